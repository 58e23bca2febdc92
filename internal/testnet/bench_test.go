package testnet

import (
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
)

// BenchmarkCertifyTransfer is a full client round trip on the in-process
// four-validator network: the wallet executes a block of one transfer,
// gathers votes, builds the certificates and has every validator apply
// the block. two-phase is a single-owner chain (validated, then confirmed
// certificate); fast a super-owner chain (confirmed in one phase). Each
// iteration also delivers the block's update to the recipient on the four
// validators and its acknowledgement back: a confirmation re-sends every
// bundle not yet acknowledged, so without delivery the cost per block
// would grow with the number of blocks.
func BenchmarkCertifyTransfer(b *testing.B) {
	for _, bc := range []struct {
		name  string
		super bool
	}{{"two-phase", false}, {"fast", true}} {
		b.Run(bc.name, func(b *testing.B) {
			n := New(Config{Validators: 4, Seed: 1, SuperOwners: bc.super,
				Chains: []amount.Amount{amount.Zero, amount.Tokens(1 << 40), amount.Zero}})
			a := n.Wallet(1)
			op := transfer(ids.Owner{}, to(n.Genesis.ChainID(2)), amount.Attos(1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.Transfer(b.Context(), op); err != nil {
					b.Fatal(err)
				}
				if err := n.Deliver(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
