package testnet

import (
	"context"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
)

func balance(t *testing.T, n *Network, v int, id ids.ChainID) amount.Amount {
	t.Helper()
	return chain.Open(context.Background(), n.Validators[v].Store, id).System.Balance()
}

func TestTransferBetweenChains(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(5)}})
	alice, bob := n.Wallet(1), n.Wallet(2)
	op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: bob.Chain}, Amount: amount.Tokens(30)}
	if _, err := alice.Transfer(ctx, op); err != nil {
		t.Fatalf("transfer: %v", err)
	}
	if err := n.Deliver(ctx); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	if _, err := bob.ProcessInbox(ctx); err != nil {
		t.Fatalf("process inbox: %v", err)
	}
	n.Deliver(ctx)
	for v := range n.Validators {
		if got, want := balance(t, n, v, alice.Chain), amount.Tokens(70); got != want {
			t.Errorf("validator %d: alice balance = %s, want %s", v, got, want)
		}
		if got, want := balance(t, n, v, bob.Chain), amount.Tokens(35); got != want {
			t.Errorf("validator %d: bob balance = %s, want %s", v, got, want)
		}
		if n.StateHash(ctx, v, bob.Chain) != n.StateHash(ctx, 0, bob.Chain) {
			t.Errorf("validator %d: state hash differs", v)
		}
	}
	if got, _ := bob.Balance(ctx); got != "35" {
		t.Errorf("bob's wallet balance = %s, want 35", got)
	}
}
