package testnet

import (
	"context"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
)

// TestSyncReportsProgress: a second wallet of a chain with 250 blocks
// downloads them all and is told how far it is every 100 blocks and at
// the end.
func TestSyncReportsProgress(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 8, SuperOwners: true, Chains: []amount.Amount{amount.Zero, tokens(1000), amount.Zero}})
	a := n.Wallet(1)
	const blocks = 250
	for range blocks {
		mustTransfer(t, a, transfer(ids.Owner{}, to(n.Genesis.ChainID(2)), amount.Attos(1)))
	}
	fresh := n.WalletFor(a.Chain, n.Key(1))
	var seen []string
	fresh.Progress = func(next, target uint64) { seen = append(seen, fmt.Sprintf("%d/%d", next, target)) }
	if err := fresh.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(seen), "[100/250 200/250 250/250]"; got != want {
		t.Errorf("progress = %s, want %s", got, want)
	}
	got := chain.Open(ctx, fresh.Local.Store, a.Chain).Tip()
	if want := state(n, 0, a.Chain).Tip(); got != want || got.NextHeight != blocks {
		t.Errorf("synced tip %+v, validator's %+v (want height %d)", got, want, blocks)
	}
}
