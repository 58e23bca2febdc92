package manager

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

func FuzzOwnership(f *testing.F) {
	sup := withSuper(Multi([]ids.Owner{alice, bob}, 3), alice)
	sup.OpenMultiLeaderRounds = true
	sup.Timeouts.FastRoundDuration = 1
	for _, o := range []Ownership{Single(alice), SingleSuper(bob), sup, {Timeouts: DefaultTimeouts()}} {
		f.Add(codec.Marshal(o))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var o Ownership
		if codec.Unmarshal(data, &o) != nil {
			return
		}
		if re := codec.Marshal(o); !bytes.Equal(re, data) {
			t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
		}
		m := New(o, testChain, 0, t0)
		m.Leader(sl(3))
		m.CanPropose(alice, o.NextRound(m.CurrentRound()))
	})
}

// sampleStates returns managers in the states a height goes through:
// fresh, after a validated vote, locked after a confirmed vote, after a
// timeout, and after a fast-round vote.
func sampleStates(tb testing.TB) []*Manager {
	o1, o2 := ownerKey(1), ownerKey(2)
	n := newNet(tb, Multi([]ids.Owner{o1.Owner(), o2.Owner()}, 1))
	out := []*Manager{roundTrip(tb, n.mgrs[0])}
	x := propose(o1, 'x', ml(0), nil)
	var votes []block.Vote
	for i := range 3 {
		v, _ := n.propose(i, x)
		votes = append(votes, v)
	}
	out = append(out, roundTrip(tb, n.mgrs[0]))
	cert := n.certify(validatedValue(x), ml(0), votes)
	n.validated(0, cert)
	out = append(out, roundTrip(tb, n.mgrs[0]))
	n.now += 10 * second
	tc := n.timeout(ml(0))
	n.mgrs[0].HandleTimeout(tc, n.now)
	out = append(out, roundTrip(tb, n.mgrs[0]))

	f := newNet(tb, SingleSuper(o1.Owner()))
	f.propose(0, propose(o1, 'f', fast, nil))
	return append(out, roundTrip(tb, f.mgrs[0]), n.mgrs[0])
}

func FuzzManager(f *testing.F) {
	states := sampleStates(f)
	for _, m := range states {
		f.Add(codec.Marshal(m))
	}
	// Inputs to drive decoded states with.
	n := newNet(f, Single(ownerKey(1).Owner()))
	props := []*block.Proposal{
		propose(ownerKey(1), 'x', ml(0), nil),
		propose(ownerKey(1), 'z', sl(0), nil),
		propose(ownerKey(2), 'y', ml(0), nil),
	}
	cert := n.forge(validatedValue(props[1]), sl(0))
	tc := n.forge(block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: testChain}}, sl(0))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Manager
		if codec.Unmarshal(data, &m) != nil {
			return
		}
		if re := codec.Marshal(&m); !bytes.Equal(re, data) {
			t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
		}
		drive(&m, props, cert, tc, n)
	})
}

// drive runs every method on a decoded state; none may panic.
func drive(m *Manager, props []*block.Proposal, cert, tc *block.Certificate, n *net) {
	m.Leader(m.CurrentRound())
	m.PendingVote()
	m.TimeoutVoteFor(m.CurrentRound())
	for _, p := range props {
		if out, err := m.CheckProposal(p); err == nil && out == Accept {
			m.CreateVote(p, execute(p.Block), n.keys[0], t0)
		}
	}
	if out, err := m.CheckValidated(cert); err == nil && out == Accept {
		m.CreateFinalVote(cert, n.keys[0], t0)
	}
	m.VoteTimeout(0, m.RoundTimeout(), n.keys[0])
	m.HandleTimeout(tc, t0)
}
