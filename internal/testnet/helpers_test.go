package testnet

import (
	"context"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// tokens is shorthand for amount.Tokens.
func tokens(n uint64) amount.Amount { return amount.Tokens(n) }

// state opens validator v's state of chain id.
func state(n *Network, v int, id ids.ChainID) *chain.State {
	return chain.Open(context.Background(), n.Validators[v].Store, id)
}

// localState opens a wallet's local state of its chain.
func localState(w *client.Client) *chain.State {
	return chain.Open(context.Background(), w.Local.Store, w.Chain)
}

// ownerBalance returns validator v's balance of owner's account on chain
// id (the zero owner: the chain account).
func ownerBalance(n *Network, v int, id ids.ChainID, owner ids.Owner) amount.Amount {
	return state(n, v, id).System.OwnerBalance(owner)
}

// transfer is a system transfer from the chain account (or from owner's
// account, if from is set) to an account.
func transfer(from ids.Owner, to ids.Account, a amount.Amount) system.Operation {
	return system.Operation{Kind: system.OpTransfer, Owner: from, Recipient: to, Amount: a}
}

// to returns the chain account of id.
func to(id ids.ChainID) ids.Account { return ids.Account{Chain: id} }

// mustTransfer runs a transfer and fails the test on error.
func mustTransfer(t *testing.T, w *client.Client, op system.Operation) *block.Certificate {
	t.Helper()
	cert, err := w.Transfer(context.Background(), op)
	if err != nil {
		t.Fatalf("transfer %s from %s: %v", op.Amount, w.Chain.Short(), err)
	}
	return cert
}

// mustDeliver delivers every deliverable cross-chain message.
func mustDeliver(t *testing.T, n *Network) {
	t.Helper()
	if err := n.Deliver(context.Background()); err != nil {
		t.Fatalf("deliver: %v", err)
	}
}

// mustProcess processes w's inbox and returns the block (nil if there was
// nothing to take).
func mustProcess(t *testing.T, w *client.Client) *block.Certificate {
	t.Helper()
	cert, err := w.ProcessInbox(context.Background())
	if err != nil {
		t.Fatalf("process inbox of %s: %v", w.Chain.Short(), err)
	}
	return cert
}

// wantBalance checks owner's account on chain id on every validator whose
// fault is not Offline and in the given wallets' local nodes.
func wantBalance(t *testing.T, n *Network, id ids.ChainID, owner ids.Owner, want amount.Amount, wallets ...*client.Client) {
	t.Helper()
	for v, val := range n.Validators {
		if val.Fault == Offline {
			continue
		}
		if got := ownerBalance(n, v, id, owner); got != want {
			t.Errorf("validator %d: balance of %s = %s, want %s", v, ids.Account{Chain: id, Owner: owner}.String()[:8], got, want)
		}
	}
	for _, w := range wallets {
		if got := localState(w).System.OwnerBalance(owner); got != want {
			t.Errorf("wallet of %s: balance of %s = %s, want %s", w.Chain.Short(), ids.Account{Chain: id, Owner: owner}.String()[:8], got, want)
		}
	}
}

// supply returns the total of every account (chain and owner accounts) of
// chains on validator v.
func supply(t *testing.T, n *Network, v int, chains []ids.ChainID) amount.Amount {
	t.Helper()
	var total amount.Amount
	for _, id := range chains {
		b, err := state(n, v, id).System.TotalBalance()
		if err != nil {
			t.Fatalf("total balance of %s: %v", id.Short(), err)
		}
		if total, err = total.Add(b); err != nil {
			t.Fatalf("supply overflows: %v", err)
		}
	}
	return total
}

// rootChains returns the ids of the network's root chains.
func rootChains(n *Network) []ids.ChainID {
	out := make([]ids.ChainID, len(n.Genesis.Chains))
	for i := range out {
		out[i] = n.Genesis.ChainID(i)
	}
	return out
}

// openChild has parent open a child chain with the given ownership and
// balance and returns its id.
func openChild(t *testing.T, parent *client.Client, own manager.Ownership, bal amount.Amount) ids.ChainID {
	t.Helper()
	op := system.Operation{Kind: system.OpOpenChain, Ownership: own, Amount: bal}
	cert, err := parent.Execute(context.Background(), op.AsBlockOperation())
	if err != nil {
		t.Fatalf("open chain from %s: %v", parent.Chain.Short(), err)
	}
	return ids.ChildDescription(parent.Chain, cert.Value.Height(), 0).ID()
}

// childWallet returns a wallet for chain id with key k whose local node
// has received the chain's OpenChain bundle (delivered to validators
// already).
func childWallet(t *testing.T, n *Network, id ids.ChainID, k *keys.PrivateKey) *client.Client {
	t.Helper()
	w := n.WalletFor(id, k)
	if _, err := w.PendingBundles(context.Background()); err != nil {
		t.Fatalf("pending bundles of %s: %v", id.Short(), err)
	}
	if !localState(w).Active() {
		t.Fatalf("wallet of %s: chain not active after receiving its bundles", id.Short())
	}
	return w
}

// sameStateHashes checks that every validator not offline and every
// wallet has the same state hash and tip for each wallet's chain.
func sameStateHashes(t *testing.T, n *Network, wallets ...*client.Client) {
	t.Helper()
	for _, w := range wallets {
		want := localState(w).Tip()
		for v, val := range n.Validators {
			if val.Fault == Offline {
				continue
			}
			if got := state(n, v, w.Chain).Tip(); got != want {
				t.Errorf("validator %d: tip of %s = height %d state %s, wallet has height %d state %s",
					v, w.Chain.Short(), got.NextHeight, got.StateHash.Short(), want.NextHeight, want.StateHash.Short())
			}
		}
	}
}
