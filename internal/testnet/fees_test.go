package testnet

import (
	"context"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
)

// TestFeesAreCharged runs a transfer under the testnet policy: the block's
// outcome records exactly the fees the policy prices (block, operation and
// its bytes, message and its bytes), the sender pays them on top of the
// amount on every validator (fees are burned, as in Linera).
func TestFeesAreCharged(t *testing.T) {
	ctx := context.Background()
	p := committee.Testnet()
	n := New(Config{Validators: 4, Seed: 5, Policy: p, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(1)}})
	a, b := n.Wallet(1), n.Wallet(2)
	op := transfer(ids.Owner{}, to(b.Chain), tokens(10)).AsBlockOperation()
	cert, err := a.Execute(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	msg := cert.Value.Block.Outcome.Messages[0][0]
	want := p.Block
	for _, c := range []struct {
		price amount.Amount
		units uint64
	}{{p.Operation, 1}, {p.OperationByte, uint64(len(op.Bytes))}, {p.Message, 1}, {p.MessageByte, uint64(len(msg.Message.Bytes))}} {
		fee, _ := c.price.MulUint(c.units)
		want, _ = want.Add(fee)
	}
	if got := cert.Value.Block.Outcome.Fees; got != want {
		t.Fatalf("fees = %s, want %s", got, want)
	}
	spent, _ := tokens(10).Add(want)
	left, _ := tokens(100).Sub(spent)
	for v := range n.Validators {
		if got := state(n, v, a.Chain).System.Balance(); got != left {
			t.Errorf("validator %d: sender balance %s, want %s", v, got, left)
		}
	}
}
