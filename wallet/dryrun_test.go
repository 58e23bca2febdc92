package wallet_test

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
)

// TestDryRunThenApproved: under WithDryRun an operation records its block
// and signs nothing; under WithApproved the same operation proposes
// exactly that block, and an operation that would make another block
// fails with ErrChanged.
func TestDryRunThenApproved(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	alice := h.wallet(new(wallet.MemFile), kv.NewMemory())
	a, b := h.own(alice, 1), h.net.Genesis.ChainID(2)

	dctx, runs := wallet.WithDryRun(ctx)
	if _, err := alice.Transfer(dctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("30")); !errors.Is(err, wallet.ErrDryRun) {
		t.Fatalf("transfer under a dry run = %v, want ErrDryRun", err)
	}
	if _, err := alice.ProcessInbox(dctx, a); err != nil {
		t.Fatalf("process an empty inbox under a dry run: %v (want no block, no error)", err)
	}
	got := runs.Runs()
	if len(got) != 1 || got[0].Block.Chain != a || len(got[0].Block.Transactions) != 1 {
		t.Fatalf("dry runs = %+v, want one block of one transfer on alice's chain", got)
	}
	wantBalance(t, alice, a, "100")
	if len(h.proposals) != 0 {
		t.Fatalf("a dry run reached the validators: %v", h.proposals)
	}

	// Another operation than the approved one is refused, unsigned.
	blocks := []*block.Block{got[0].Block}
	_, err := alice.Transfer(wallet.WithApproved(ctx, blocks), ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("31"))
	if !errors.Is(err, wallet.ErrChanged) || len(h.proposals) != 0 {
		t.Fatalf("transfer of another amount under the approval = %v (%d proposals); want ErrChanged, none", err, len(h.proposals))
	}
	// The approved operation signs exactly the approved block, once.
	actx := wallet.WithApproved(ctx, blocks)
	cert, err := alice.Transfer(actx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("30"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.Value.Block.Block.Hash() != blocks[0].Hash() {
		t.Errorf("the confirmed block is not the approved block")
	}
	wantBalance(t, alice, a, "70")
	if _, err := alice.Transfer(actx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("30")); !errors.Is(err, wallet.ErrChanged) {
		t.Errorf("a second block under one approval = %v, want ErrChanged", err)
	}
	// An approved block the chain has moved past is refused.
	if _, err := alice.Transfer(wallet.WithApproved(ctx, blocks), ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("30")); !errors.Is(err, wallet.ErrChanged) {
		t.Errorf("a stale approved block = %v, want ErrChanged", err)
	}
	wantBalance(t, alice, a, "70")
	h.checkOneBlockPerHeight()
}
