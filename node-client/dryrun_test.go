package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

// TestDryRun: a dry run reports the block's balance changes, messages and
// fees as the real block then does them, and changes nothing itself.
func TestDryRun(t *testing.T) {
	ctx := context.Background()
	n := testnet.New(testnet.Config{Validators: 4, Seed: 3, Policy: committee.Testnet(),
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Zero}})
	c := n.Wallet(1)
	bob := n.Genesis.ChainID(2)
	owner := c.Key.Owner()
	// Give the owner's account some tokens, so a block moves two accounts.
	fund := system.Transfer(ids.Owner{}, ids.Account{Chain: c.Chain, Owner: owner}, amount.Tokens(10))
	if _, err := c.Execute(ctx, fund); err != nil {
		t.Fatal(err)
	}
	before, _ := c.Balance(ctx)
	height := c.Local.OpenState(ctx, c.Chain).Tip().NextHeight

	pay := system.Transfer(owner, ids.Account{Chain: bob}, amount.Tokens(3))
	d, err := c.DryRun(ctx, []block.Transaction{{Operation: &pay}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Block.Height != height || d.Pending != nil || len(d.Runs) != 0 {
		t.Errorf("dry run: height %d (want %d), pending %v, runs %v", d.Block.Height, height, d.Pending, d.Runs)
	}
	if got, _ := c.Balance(ctx); got != before || c.Local.OpenState(ctx, c.Chain).Tip().NextHeight != height {
		t.Fatalf("the dry run changed the chain: balance %s (was %s)", got, before)
	}
	if d.Outcome.Fees.IsZero() {
		t.Errorf("dry run under the testnet policy pays no fees")
	}
	msgs := d.Outcome.Messages[0]
	if len(msgs) != 1 || msgs[0].Destination != bob || !msgs[0].Message.IsSystem() {
		t.Fatalf("messages = %+v, want one system message to bob", msgs)
	}
	if m, err := system.DecodeMessage(msgs[0].Message.Bytes); err != nil || m.Kind != system.MsgCredit || m.Amount != amount.Tokens(3) {
		t.Errorf("message = %+v, %v; want a credit of 3", m, err)
	}
	// Fees come from the chain's account, the tokens from the owner's.
	if len(d.Balances) != 2 {
		t.Fatalf("balance changes = %+v, want the chain's and the owner's", d.Balances)
	}
	chainAcct, ownerAcct := d.Balances[0], d.Balances[1]
	if !chainAcct.Owner.IsZero() || ownerAcct.Owner != owner {
		t.Fatalf("balance changes in the wrong order: %+v", d.Balances)
	}
	if spent, _ := chainAcct.Before.Sub(chainAcct.After); spent != d.Outcome.Fees {
		t.Errorf("the chain's account goes %s → %s, want it to pay the fees %s", chainAcct.Before, chainAcct.After, d.Outcome.Fees)
	}
	if ownerAcct.Before != amount.Tokens(10) || ownerAcct.After != amount.Tokens(7) {
		t.Errorf("the owner's account goes %s → %s, want 10 → 7", ownerAcct.Before, ownerAcct.After)
	}

	// The block the dry run made is the block proposed, and it does what
	// the dry run said; it cannot be proposed twice.
	cert, err := c.ProposeExactly(ctx, d.Block)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Value.Block.Block.Hash() != d.Block.Hash() {
		t.Errorf("ProposeExactly confirmed another block")
	}
	if _, err := c.ProposeExactly(ctx, d.Block); !errors.Is(err, client.ErrStaleBlock) {
		t.Errorf("ProposeExactly of a confirmed block = %v, want ErrStaleBlock", err)
	}
	if out := cert.Value.Block.Outcome; out.Fees != d.Outcome.Fees || out.Fuel != d.Outcome.Fuel || len(out.Messages[0]) != 1 {
		t.Errorf("the block's outcome (fees %s, fuel %d) differs from the dry run's (fees %s, fuel %d)",
			out.Fees, out.Fuel, d.Outcome.Fees, d.Outcome.Fuel)
	}

	// A block that would fail is an error, and a pending block is reported.
	over := system.Transfer(owner, ids.Account{Chain: bob}, amount.Tokens(1000))
	if _, err := c.DryRun(ctx, []block.Transaction{{Operation: &over}}); err == nil {
		t.Errorf("dry run of an overdraft succeeded")
	}
	b, err := c.NewBlock(ctx, transferTx(bob, "1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SavePending(ctx, b); err != nil {
		t.Fatal(err)
	}
	if d, err := c.DryRun(ctx, transferTx(bob, "2")); err != nil || d.Pending == nil || d.Pending.Hash() != b.Hash() {
		t.Errorf("dry run with a pending block: %v, %v; want the pending block reported", d, err)
	}
}
