package manager

import (
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

func TestNewRoundTimeout(t *testing.T) {
	superAndOwners := withSuper(Multi([]ids.Owner{bob}, 2), alice)
	superAndOwners.Timeouts.FastRoundDuration = 3 * second
	tests := []struct {
		name  string
		own   Ownership
		round block.Round
		want  uint64
	}{
		{"single: first of 5 multi-leader rounds", Single(alice), ml(0), 0},
		{"one multi-leader round", Multi([]ids.Owner{alice, bob}, 1), ml(0), t0 + 10*second},
		{"no multi-leader rounds", Multi([]ids.Owner{alice, bob}, 0), sl(0), t0 + 10*second},
		{"super only", SingleSuper(alice), fast, 0},
		{"fast round with owners", superAndOwners, fast, t0 + 3*second},
	}
	for _, tt := range tests {
		m := New(tt.own, testChain, 3, t0)
		if m.CurrentRound() != tt.round || m.RoundTimeout() != tt.want || m.Height() != 3 {
			t.Errorf("%s: New() at %d in %v, timeout %d; want 3, %v, %d",
				tt.name, m.Height(), m.CurrentRound(), m.RoundTimeout(), tt.round, tt.want)
		}
	}
}

func TestSingleOwnerHappyPath(t *testing.T) {
	n := newNet(t, Single(ownerKey(1).Owner()))
	p := propose(ownerKey(1), 'a', ml(0), nil)
	var votes []block.Vote
	for i := range n.mgrs {
		v, err := n.propose(i, p)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		if v.Kind != block.Validated || v.Round != ml(0) {
			t.Fatalf("validator %d voted %s in %s, want validated in %s", i, v.Kind, v.Round, ml(0))
		}
		votes = append(votes, v)
	}
	validated := n.certify(validatedValue(p), ml(0), votes)
	votes = nil
	for i, m := range n.mgrs {
		v, err := n.validated(i, validated)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		votes = append(votes, v)
		if m.Locked() != validated {
			t.Errorf("validator %d: Locked() = %v, want the validated certificate", i, m.Locked())
		}
	}
	n.certify(confirmedValue(p), ml(0), votes)

	// Repeats are answered with the stored vote, without signing again.
	out, err := n.mgrs[0].CheckValidated(validated)
	if out != Skip || err != nil {
		t.Errorf("CheckValidated(again) = %v, %v, want skip", out, err)
	}
	out, err = n.mgrs[0].CheckProposal(p)
	if out != Skip || err != nil {
		t.Errorf("CheckProposal(again) = %v, %v, want skip", out, err)
	}
}

func TestFastRound(t *testing.T) {
	n := newNet(t, SingleSuper(ownerKey(1).Owner()))
	p := propose(ownerKey(1), 'a', fast, nil)
	var votes []block.Vote
	for i := range 3 {
		v, err := n.propose(i, p)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		if v.Kind != block.Confirmed {
			t.Fatalf("validator %d voted %s in the fast round, want confirmed", i, v.Kind)
		}
		votes = append(votes, v)
	}
	n.certify(confirmedValue(p), fast, votes)
	if got := n.mgrs[0].FastLocked(); got == nil || got.Block.Hash() != p.Block.Hash() {
		t.Errorf("FastLocked() = %v, want the fast proposal", got)
	}
	// The fast proposal locks: a later round needs the same block or a
	// validated certificate.
	other := propose(ownerKey(1), 'b', ml(0), nil)
	_, err := n.mgrs[0].CheckProposal(other)
	wantErr(t, "other block in a later round", err, ErrMustReproposeLocked)
	same := propose(ownerKey(1), 'a', ml(0), nil)
	if _, err := n.mgrs[0].CheckProposal(same); err != nil {
		t.Errorf("locked block in a later round: %v", err)
	}
}

func TestConflictingProposalSameRound(t *testing.T) {
	n := newNet(t, Multi([]ids.Owner{ownerKey(1).Owner(), ownerKey(2).Owner()}, 2))
	first := propose(ownerKey(1), 'a', ml(0), nil)
	if _, err := n.propose(0, first); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*block.Proposal{
		propose(ownerKey(2), 'b', ml(0), nil), // another owner's block
		propose(ownerKey(1), 'c', ml(0), nil), // the same owner's second block
	} {
		out, err := n.mgrs[0].CheckProposal(p)
		wantErr(t, "second proposal", err, ErrConflictingProposal)
		if out != Accept {
			t.Errorf("CheckProposal(second) outcome = %v", out)
		}
	}
	again := propose(ownerKey(1), 'a', ml(0), nil)
	if out, err := n.mgrs[0].CheckProposal(again); out != Skip || err != nil {
		t.Errorf("CheckProposal(identical) = %v, %v, want skip", out, err)
	}
	if p := n.mgrs[0].Proposal(); p == nil || p.Block.Hash() != first.Block.Hash() {
		t.Errorf("Proposal() = %v, want the first proposal", p)
	}
}

// A single owner who proposed two blocks from two devices, splitting the
// validators, moves on by proposing in the next multi-leader round.
func TestSingleOwnerTwoDevices(t *testing.T) {
	owner := ownerKey(1)
	n := newNet(t, Single(owner.Owner()))
	a, b := propose(owner, 'a', ml(0), nil), propose(owner, 'b', ml(0), nil)
	var votesA []block.Vote
	for i := range n.mgrs {
		p := a
		if i >= 2 {
			p = b
		}
		v, err := n.propose(i, p)
		if err != nil {
			t.Fatal(err)
		}
		if p == a {
			votesA = append(votesA, v)
		}
	}
	if c := n.tryCertify(validatedValue(a), ml(0), votesA); c != nil {
		t.Fatal("two votes made a quorum")
	}
	retry := propose(owner, 'b', ml(1), nil)
	var votes []block.Vote
	for i, m := range n.mgrs {
		v, err := n.propose(i, retry)
		if err != nil {
			t.Fatalf("validator %d: retry in %s: %v", i, ml(1), err)
		}
		votes = append(votes, v)
		if m.CurrentRound() != ml(1) {
			t.Errorf("validator %d: CurrentRound() = %v, want %v", i, m.CurrentRound(), ml(1))
		}
	}
	n.certify(validatedValue(retry), ml(1), votes)
}

func TestProposalRounds(t *testing.T) {
	o1, o2 := ownerKey(1), ownerKey(2)
	superAndOwner := withSuper(Multi([]ids.Owner{o2.Owner()}, 2), o1.Owner())
	// After a timeout of multi-leader round 0 (the last), the chain is in
	// single-leader round 0.
	n := newNet(t, Multi([]ids.Owner{o1.Owner(), o2.Owner()}, 1))
	n.now += 10 * second
	tc := n.timeout(ml(0))
	m := n.mgrs[0]
	if !m.HandleTimeout(tc, n.now) || m.CurrentRound() != sl(0) {
		t.Fatalf("after timeout: CurrentRound() = %v, want %v", m.CurrentRound(), sl(0))
	}
	leader, _ := m.Leader(sl(0))
	lk := o1
	if leader == o2.Owner() {
		lk = o2
	}
	tests := []struct {
		name string
		m    *Manager
		p    *block.Proposal
		want error
	}{
		{"lower round", m, propose(o1, 'a', ml(0), nil), ErrWrongRound},
		{"later single-leader round", m, propose(lk, 'a', sl(1), nil), ErrWrongRound},
		{"fast round the chain lacks", m, propose(o1, 'a', fast, nil), ErrWrongRound},
		{"multi-leader round the chain lacks", New(Single(o1.Owner()), testChain, 0, t0), propose(o1, 'a', ml(5), nil), ErrWrongRound},
		{"later multi-leader round", New(Single(o1.Owner()), testChain, 0, t0), propose(o1, 'a', ml(4), nil), nil},
		{"regular owner ends fast round early", New(superAndOwner, testChain, 0, t0), propose(o2, 'a', ml(0), nil), ErrWrongRound},
		{"super owner ends fast round early", New(superAndOwner, testChain, 0, t0), propose(o1, 'a', ml(1), nil), nil},
		{"regular owner in fast round", New(superAndOwner, testChain, 0, t0), propose(o2, 'a', fast, nil), ErrNotAllowed},
		{"stranger in multi-leader round", New(Single(o1.Owner()), testChain, 0, t0), propose(o2, 'a', ml(0), nil), ErrNotAllowed},
		{"leader", m, propose(lk, 'a', sl(0), nil), nil},
	}
	for _, tt := range tests {
		_, err := tt.m.CheckProposal(tt.p)
		if tt.want == nil && err != nil {
			t.Errorf("%s: CheckProposal() = %v, want ok", tt.name, err)
		} else if tt.want != nil {
			wantErr(t, tt.name, err, tt.want)
		}
	}
}

func TestOpenMultiLeaderRounds(t *testing.T) {
	own := Single(alice)
	own.OpenMultiLeaderRounds = true
	m := New(own, testChain, 0, t0)
	if !m.CanPropose(bob, ml(0)) || m.CanPropose(bob, fast) {
		t.Errorf("open rounds: CanPropose(stranger, ml 0 / fast) = %v / %v, want true / false", m.CanPropose(bob, ml(0)), m.CanPropose(bob, fast))
	}
}

func TestWrongTarget(t *testing.T) {
	o := ownerKey(1)
	m := New(Single(o.Owner()), testChain, 0, t0)
	p := propose(o, 'a', ml(0), nil)
	p.Block.Height = 1
	_, err := m.CheckProposal(block.NewProposal(p.Block, ml(0), o, nil))
	wantErr(t, "height 1", err, ErrWrongHeight)
	p.Block.Height, p.Block.Chain = 0, ids.RootDescription(8).ID()
	_, err = m.CheckProposal(block.NewProposal(p.Block, ml(0), o, nil))
	wantErr(t, "other chain", err, ErrWrongChain)
}
