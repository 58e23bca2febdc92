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

// TestBlockByHash finds blocks of two tracked chains by hash, including
// blocks made after the index was first built, in batches smaller than a
// chain; and lists a chain's recent blocks newest first.
func TestBlockByHash(t *testing.T) {
	defer wallet.SetIndexBatch(2)()
	ctx := context.Background()
	h := newHarness(t, false)
	w := h.wallet(new(wallet.MemFile), kv.NewMemory())
	alice, bob := h.own(w, 1), h.own(w, 2)
	var certs []*block.Certificate
	transfer := func() {
		t.Helper()
		cert, err := w.Transfer(ctx, ids.Account{Chain: alice}, ids.Account{Chain: bob}, tokens("1"))
		if err != nil {
			t.Fatalf("transfer: %v", err)
		}
		certs = append(certs, cert)
	}
	for range 5 {
		transfer()
	}
	find := func(c *block.Certificate) {
		t.Helper()
		got, err := w.Block(ctx, c.Hash())
		if err != nil || got.Hash() != c.Hash() || got.Value.Height() != c.Value.Height() {
			t.Fatalf("Block(%s) = %v, %v; want block %d of %s", c.Hash().Short(), got, err, c.Value.Height(), c.Value.Chain().Short())
		}
	}
	find(certs[0])
	find(certs[4])
	transfer() // after the index caught up
	find(certs[5])
	in, err := w.ProcessInbox(ctx, bob)
	if err != nil || in == nil {
		t.Fatalf("process inbox: %v, %v", in, err)
	}
	find(in)
	if _, err := w.Block(ctx, ids.Hash{1}); !errors.Is(err, wallet.ErrUnknownBlock) {
		t.Errorf("Block(unknown) error = %v, want ErrUnknownBlock", err)
	}

	recent, err := w.RecentBlocks(ctx, alice, 2)
	if err != nil || len(recent) != 2 || recent[0].Hash() != certs[5].Hash() || recent[1].Hash() != certs[4].Hash() {
		t.Errorf("RecentBlocks(alice, 2) = %v, %v; want blocks 5 and 4", recent, err)
	}
	if recent, err = w.RecentBlocks(ctx, alice, 100); err != nil || len(recent) != len(certs) {
		t.Errorf("RecentBlocks(alice, 100) = %d blocks, %v; want %d", len(recent), err, len(certs))
	}
	if _, err := w.RecentBlocks(ctx, ids.Hash{2}, 1); !errors.Is(err, wallet.ErrUnknownChain) {
		t.Errorf("RecentBlocks(unknown chain) error = %v, want ErrUnknownChain", err)
	}
}
