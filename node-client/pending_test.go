package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

func transferTx(to ids.ChainID, a string) []block.Transaction {
	op := system.Transfer(ids.Owner{}, ids.Account{Chain: to}, amount.MustParse(a))
	return []block.Transaction{{Operation: &op}}
}

// TestPendingBlock: a stored block survives until it is confirmed, a
// block that no longer extends the tip is refused, and ProposeDurably
// finishes the stored block before proposing the new one.
func TestPendingBlock(t *testing.T) {
	ctx := context.Background()
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Zero}})
	c := n.Wallet(1)
	bob := n.Genesis.ChainID(2)
	if b, err := c.Pending(ctx); b != nil || err != nil {
		t.Fatalf("Pending of a fresh client = %v, %v; want none", b, err)
	}
	if _, err := c.NewBlock(ctx, transferTx(bob, "1000")); err == nil {
		t.Errorf("NewBlock of an overdraft succeeded")
	}
	first, err := c.NewBlock(ctx, transferTx(bob, "7"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SavePending(ctx, first); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Pending(ctx); err != nil || got.Hash() != first.Hash() {
		t.Fatalf("Pending = %v, %v; want the saved block", got, err)
	}
	cert, err := c.ProposeDurably(ctx, transferTx(bob, "11"))
	if err != nil {
		t.Fatal(err)
	}
	if cert.Value.Height() != 1 {
		t.Errorf("new block at height %d, want 1 (after the pending block)", cert.Value.Height())
	}
	if got, _ := c.Balance(ctx); got != "82" {
		t.Errorf("balance = %s, want 82 (100 - 7 - 11)", got)
	}
	if b, _ := c.Pending(ctx); b != nil {
		t.Errorf("Pending after confirmation = block %d, want none", b.Height)
	}
	if _, err := c.ProposeBlock(ctx, first); !errors.Is(err, client.ErrStaleBlock) {
		t.Errorf("ProposeBlock of a confirmed height = %v, want ErrStaleBlock", err)
	}
	if cert, err := c.RetryPending(ctx); cert != nil || err != nil {
		t.Errorf("RetryPending with nothing pending = %v, %v; want nothing", cert, err)
	}
}
