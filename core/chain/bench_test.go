package chain

import (
	"testing"

	"github.com/myriadchain/myriad/core/amount"
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
