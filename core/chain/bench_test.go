package chain

import (
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
)

// BenchmarkExecuteTransferBlock executes a block of one transfer to
// another chain on a memory store and rolls it back, as a validator does
// for a proposal: fresh opens the chain's state each time (reads go to
// the store), warm reuses one State (reads come from its cache).
func BenchmarkExecuteTransferBlock(b *testing.B) {
	f := newFixture(b, committee.NoFees(), amount.Zero, amount.Tokens(1_000_000), amount.Zero)
	blk := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
	store := f.workers[0].Store
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := Open(f.ctx, store, blk.Chain)
			if _, err := s.Execute(&blk, ExecOptions{}); err != nil {
				b.Fatal(err)
			}
			s.Tx.Rollback()
		}
	})
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		s := Open(f.ctx, store, blk.Chain)
		for b.Loop() {
			if _, err := s.Execute(&blk, ExecOptions{}); err != nil {
				b.Fatal(err)
			}
			s.Tx.Rollback()
		}
	})
}

// BenchmarkHandleProposal is a validator's whole answer to a proposal of
// one transfer: signature check, block checks, execution, and signing the
// vote. The vote is not persisted, so every iteration votes afresh.
func BenchmarkHandleProposal(b *testing.B) {
	f := newFixture(b, committee.NoFees(), amount.Zero, amount.Tokens(1_000_000), amount.Zero)
	p := f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
	w := f.workers[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := w.HandleProposal(f.ctx, p, f.now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyConfirmed applies the confirmed certificate of a block of
// one transfer to a freshly opened state, as a validator does, and rolls
// it back: execute runs the block; stored applies the changes kept from
// the proposal's execution (Executions), after checking its reads.
func BenchmarkApplyConfirmed(b *testing.B) {
	f := newFixture(b, committee.NoFees(), amount.Zero, amount.Tokens(1_000_000), amount.Zero)
	blk := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
	c := f.certify(blk, block.Confirmed, block.Round{Kind: block.MultiLeader})
	store := f.workers[0].Store
	b.Run("execute", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := Open(f.ctx, store, blk.Chain)
			if _, err := s.ApplyConfirmed(c, f.now); err != nil {
				b.Fatal(err)
			}
			s.Tx.Rollback()
		}
	})
	b.Run("stored", func(b *testing.B) {
		s := Open(f.ctx, store, blk.Chain)
		s.Tx.Track()
		out, err := s.Execute(&blk, ExecOptions{BundlesMustBePresent: true})
		if err != nil {
			b.Fatal(err)
		}
		x := &Executions{}
		x.remember(s, c.Hash(), out)
		e := x.take(c.Hash())
		b.ReportAllocs()
		for b.Loop() {
			x.put(c.Hash(), e)
			s := Open(f.ctx, store, blk.Chain)
			if _, err := s.applyConfirmed(c, f.now, x); err != nil {
				b.Fatal(err)
			}
			s.Tx.Rollback()
		}
		if r, _ := x.Counts(); r == 0 {
			b.Fatal("nothing replayed")
		}
	})
}
