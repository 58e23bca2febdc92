package manager

import (
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

func weightedOwners() Ownership {
	own := Multi([]ids.Owner{ownerKey(1).Owner(), ownerKey(2).Owner(), ownerKey(3).Owner(), ownerKey(4).Owner()}, 0)
	for i := range own.Owners {
		own.Owners[i].Weight = uint64(i + 1) // total 10
	}
	return own
}

// Over many heights and rounds each owner leads in proportion to its
// weight. The draw is deterministic, so the bound is exact, not flaky:
// with 20000 draws the standard deviation is at most about 70.
func TestLeaderWeighted(t *testing.T) {
	own := weightedOwners()
	const heights, rounds = 5000, 4
	counts := map[ids.Owner]int{}
	for h := range uint64(heights) {
		m := New(own, testChain, h, t0)
		for r := range uint32(rounds) {
			leader, ok := m.Leader(sl(r))
			if !ok {
				t.Fatalf("Leader(%v) at height %d: none", sl(r), h)
			}
			counts[leader]++
		}
	}
	for _, ow := range own.Owners {
		want := heights * rounds * int(ow.Weight) / 10
		if got := counts[ow.Owner]; got < want-400 || got > want+400 {
			t.Errorf("owner of weight %d led %d of %d rounds, want %d ± 400", ow.Weight, got, heights*rounds, want)
		}
	}
}

func TestLeaderDeterministic(t *testing.T) {
	own := weightedOwners()
	a, b := New(own, testChain, 9, t0), New(own, testChain, 9, t0+123)
	b = roundTrip(t, b)
	differs := false
	for r := range uint32(50) {
		la, _ := a.Leader(sl(r))
		lb, _ := b.Leader(sl(r))
		if la != lb {
			t.Fatalf("Leader(%v) = %s and %s on two managers", sl(r), la.Short(), lb.Short())
		}
		l0, _ := a.Leader(sl(0))
		differs = differs || la != l0
	}
	if !differs {
		t.Error("the same owner leads 50 rounds in a row")
	}
	for _, r := range []block.Round{fast, ml(0), {Kind: block.ValidatorRound}} {
		if l, ok := a.Leader(r); ok {
			t.Errorf("Leader(%v) = %s, want none", r, l.Short())
		}
	}
}

func TestOnlyLeaderProposes(t *testing.T) {
	own := weightedOwners()
	m := New(own, testChain, 0, t0)
	leader, _ := m.Leader(sl(0))
	for i := byte(1); i <= 4; i++ {
		k := ownerKey(i)
		isLeader := k.Owner() == leader
		if got := m.CanPropose(k.Owner(), sl(0)); got != isLeader {
			t.Errorf("CanPropose(owner %d, %v) = %v, want %v", i, sl(0), got, isLeader)
		}
		_, err := m.CheckProposal(propose(k, 'a', sl(0), nil))
		if isLeader && err != nil {
			t.Errorf("leader's proposal: %v", err)
		}
		if !isLeader {
			wantErr(t, "non-leader's proposal", err, ErrNotAllowed)
		}
	}
	// A super owner may propose in any single-leader round.
	sup := withSuper(own, ownerKey(9).Owner())
	if !New(sup, testChain, 0, t0).CanPropose(ownerKey(9).Owner(), sl(3)) {
		t.Error("super owner may not propose in a single-leader round")
	}
	if New(sup, testChain, 0, t0).CanPropose(ownerKey(9).Owner(), block.Round{Kind: block.ValidatorRound}) {
		t.Error("super owner may propose in a validator round")
	}
}
