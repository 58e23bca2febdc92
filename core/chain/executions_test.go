package chain

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
)

// chainDump returns validator v's stored state of chain id, without the
// consensus manager (which holds v's own vote).
func (f *fixture) chainDump(v int, id ids.ChainID) string {
	f.tb.Helper()
	var buf bytes.Buffer
	p := Prefix(id)
	err := f.workers[v].Store.Scan(f.ctx, p, func(k, val []byte) error {
		if !bytes.Equal(k[len(p):], keyManager) {
			fmt.Fprintf(&buf, "%x=%x\n", k[len(p):], val)
		}
		return nil
	})
	if err != nil {
		f.tb.Fatal(err)
	}
	return buf.String()
}

// voteOn has validator v handle proposal p and persists its vote.
func (f *fixture) voteOn(v int, p *block.Proposal) {
	f.tb.Helper()
	_, e, err := f.workers[v].HandleProposal(f.ctx, p, f.now)
	if err != nil {
		f.tb.Fatalf("validator %d: handle proposal: %v", v, err)
	}
	f.run(v, e)
}

// TestConfirmAppliesStoredExecution: a validator that executed a proposal
// applies its confirmed certificate from the stored execution, without
// executing it again, and ends in the same state as a validator that
// executes it.
func TestConfirmAppliesStoredExecution(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	x := &Executions{}
	f.workers[0].Executions = x // validator 1 has none: it executes
	b := f.next(1, ops(pay(f.id(2), amount.Tokens(30))))
	f.voteOn(0, f.propose(1, b))
	f.voteOn(1, f.propose(1, b))
	c := f.certify(b, block.Confirmed, block.Round{Kind: block.MultiLeader})
	f.handle(0, c)
	if r, e := x.Counts(); r != 1 || e != 0 {
		t.Errorf("Counts() = %d replayed, %d executed; want 1, 0", r, e)
	}
	f.handle(1, c)
	if got, want := f.state(0, f.id(1)).Tip(), f.state(1, f.id(1)).Tip(); got != want || got.StateHash != c.Value.Block.Outcome.StateHash {
		t.Errorf("tip from the stored execution = %+v, executing = %+v (certified state hash %s)", got, want, c.Value.Block.Outcome.StateHash.Short())
	}
	for _, id := range []ids.ChainID{f.id(1), f.id(2)} {
		if got, want := f.chainDump(0, id), f.chainDump(1, id); got != want {
			t.Errorf("chain %s from the stored execution:\n%s\nexecuting:\n%s", id.Short(), got, want)
		}
	}
	// The entry is used once: the next block is executed afresh.
	if x.take(c.Hash()) != nil {
		t.Error("the stored execution is still there after use")
	}
}

// TestConfirmChecksWhatItDidNotExecute: a certificate that does not match
// the stored execution is executed and checked in full: another outcome
// for the same block, and the same block on a state that changed since the
// proposal.
func TestConfirmChecksWhatItDidNotExecute(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	x := &Executions{}
	f.workers[0].Executions = x
	b := f.next(1, ops(pay(f.id(2), amount.Tokens(30))))
	f.voteOn(0, f.propose(1, b))
	good := f.certify(b, block.Confirmed, block.Round{Kind: block.MultiLeader})

	// The same block with a forged outcome, signed by the whole committee.
	forged := *good.Value.Block
	forged.Outcome.StateHash = ids.Sum("forged", nil)
	bad := f.sign(block.Value{Kind: block.Confirmed, Block: &forged}, block.Round{Kind: block.MultiLeader})
	before := f.dump(0)
	if _, _, err := f.workers[0].HandleCertificate(f.ctx, bad, f.now); !errors.Is(err, ErrOutcomeMismatch) {
		t.Errorf("certificate with a forged outcome: err = %v, want ErrOutcomeMismatch", err)
	}
	if r, e := x.Counts(); r != 0 || e != 1 {
		t.Errorf("forged outcome: Counts() = %d replayed, %d executed; want 0, 1", r, e)
	}
	if f.dump(0) != before {
		t.Error("a refused certificate changed the store")
	}

	// The chain's balance changes between the proposal and the
	// certificate: the stored changes no longer apply, and executing the
	// block now gives another outcome than the certified one.
	s := f.state(0, f.id(1))
	s.System.SetBalance(amount.Tokens(99))
	var batch kv.Batch
	if err := s.Commit(&batch); err != nil {
		t.Fatal(err)
	}
	if err := f.workers[0].Store.Apply(f.ctx, &batch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.workers[0].HandleCertificate(f.ctx, good, f.now); !errors.Is(err, ErrOutcomeMismatch) {
		t.Errorf("certificate on a changed state: err = %v, want ErrOutcomeMismatch", err)
	}
	if r, e := x.Counts(); r != 0 || e != 2 {
		t.Errorf("changed state: Counts() = %d replayed, %d executed; want 0, 2", r, e)
	}
}

func TestExecutionsBound(t *testing.T) {
	x := &Executions{Max: 2}
	for i := range 5 {
		x.put(ids.Sum("h", []byte{byte(i)}), &storedExecution{})
	}
	for i := range 5 {
		got := x.take(ids.Sum("h", []byte{byte(i)})) != nil
		if want := i >= 3; got != want {
			t.Errorf("entry %d kept = %v, want %v", i, got, want)
		}
	}
}

// TestOutboxCount: the count of non-empty outboxes follows additions and
// removals, and a chain stored without one (before it existed) is counted
// once by looking at its outboxes.
func TestOutboxCount(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	s := f.state(0, f.id(1))
	a, b := f.id(0), f.id(2)
	if !s.OwesNothing() {
		t.Fatal("a new chain owes something")
	}
	s.addOutbox(a)
	s.addOutbox(b)
	s.addOutbox(a)
	if n := s.outboxCount().Get().v; n != 2 || s.OwesNothing() {
		t.Errorf("after adding a, b, a: count %d, OwesNothing %v; want 2, false", n, s.OwesNothing())
	}
	s.removeOutbox(a)
	s.removeOutbox(a)
	if n := s.outboxCount().Get().v; n != 1 {
		t.Errorf("after removing a twice: count %d, want 1", n)
	}
	s.Tx.Delete(keyOutboxCount) // as stored before the count existed
	if s.OwesNothing() {
		t.Error("without a count: OwesNothing with b's outbox full")
	}
	if n, ok := s.outboxCount().Lookup(); !ok || n.v != 1 {
		t.Errorf("count recorded by OwesNothing = %d, %v; want 1", n.v, ok)
	}
	s.removeOutbox(b)
	if !s.OwesNothing() {
		t.Error("every outbox empty: OwesNothing = false")
	}
}
