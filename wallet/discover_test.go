package wallet_test

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
)

// claimed has w claim a chain from f and returns it.
func claimed(t *testing.T, w *wallet.Wallet, f wallet.Faucet) wallet.Chain {
	t.Helper()
	c, err := w.RequestChain(context.Background(), f)
	if err != nil {
		t.Fatalf("RequestChain: %v", err)
	}
	return c
}

// keyPath returns the derivation path of w's key of owner.
func keyPath(w *wallet.Wallet, owner ids.Owner) string {
	for _, k := range w.Document().Keys {
		if k.Owner == owner {
			return k.Path
		}
	}
	return "(no key)"
}

// TestDiscover restores a vault wallet from its recovery phrase on a new
// device: it finds the chains of accounts 0 and 1, owns them, and its next
// claim takes account 2.
func TestDiscover(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	f := newNetFaucet(h)
	first := h.vaultWallet(new(wallet.MemFile), testPhrase)
	a, b := claimed(t, first, f), claimed(t, first, f)
	// a's first block is a transfer, and its second takes the bundle that
	// opened it: neither its first block nor its inbox says where a comes
	// from any more, only the description the faucet gives.
	if _, err := first.Transfer(ctx, ids.Account{Chain: a.ID}, ids.Account{Chain: b.ID}, tokens("1")); err != nil {
		t.Fatalf("transfer from a: %v", err)
	}
	if _, err := first.ProcessInbox(ctx, a.ID); err != nil {
		t.Fatalf("process a's inbox: %v", err)
	}

	restored := h.vaultWallet(new(wallet.MemFile), testPhrase)
	d, err := restored.Discover(ctx, f)
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	if d.Accounts != 2 || len(d.Chains) != 2 || d.Chains[0].ID != a.ID || d.Chains[1].ID != b.ID {
		t.Fatalf("Discover = %+v, want accounts 2 and chains %s, %s", d, a.ID.Short(), b.ID.Short())
	}
	for i, c := range d.Chains {
		if want := []wallet.Chain{a, b}[i]; c.Owner != want.Owner {
			t.Errorf("found chain %s tracked with owner %s, want %s", c.ID.Short(), c.Owner.Short(), want.Owner.Short())
		}
	}
	wantBalance(t, restored, a.ID, "9")
	if def, _ := restored.Default(); def != a.ID {
		t.Errorf("default chain after Discover = %s, want account 0's %s", def.Short(), a.ID.Short())
	}
	c := claimed(t, restored, f)
	if p := keyPath(restored, c.Owner); p != "m/44'/19801'/2'/0'/0'" {
		t.Errorf("claim after Discover used the key at %s, want account 2", p)
	}
	if again, err := restored.Discover(ctx, f); err != nil || again.Accounts != 3 || len(restored.Chains()) != 3 {
		t.Errorf("Discover again = %+v, %v with %d chains tracked; want 3 accounts and the same 3 chains", again, err, len(restored.Chains()))
	}
}

// TestDiscoverNothing: a phrase whose account 0 has no chain finds
// nothing and uses no account; a faucet that cannot answer is an error
// that leaves the wallet usable.
func TestDiscoverNothing(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	f := newNetFaucet(h)
	w := h.vaultWallet(new(wallet.MemFile), testPhrase)
	if d, err := w.Discover(ctx, f); err != nil || d.Accounts != 0 || len(d.Chains) != 0 {
		t.Fatalf("Discover of an unused phrase = %+v, %v; want nothing", d, err)
	}
	f.down = true
	if _, err := w.Discover(ctx, f); err == nil {
		t.Fatal("Discover with the faucet down succeeded")
	}
	f.down = false
	c := claimed(t, w, f)
	if p := keyPath(w, c.Owner); p != "m/44'/19801'/0'/0'/0'" {
		t.Errorf("first claim used the key at %s, want account 0", p)
	}
	if _, err := h.wallet(new(wallet.MemFile), kv.NewMemory()).Discover(ctx, f); err == nil {
		t.Error("Discover in a wallet without a recovery phrase succeeded")
	}
}

// TestRequestChainLeavesNoGap: a refused claim does not use up an
// account, so the next claim takes the same one.
func TestRequestChainLeavesNoGap(t *testing.T) {
	h := newHarness(t, false)
	f := newNetFaucet(h)
	w := h.vaultWallet(new(wallet.MemFile), testPhrase)
	f.refuse = errors.New("rate limited")
	if _, err := w.RequestChain(context.Background(), f); err == nil {
		t.Fatal("RequestChain with the faucet refusing succeeded")
	}
	f.refuse = nil
	c := claimed(t, w, f)
	if p := keyPath(w, c.Owner); p != "m/44'/19801'/0'/0'/0'" {
		t.Errorf("claim after a refused one used the key at %s, want account 0 again", p)
	}
	c = claimed(t, w, f)
	if p := keyPath(w, c.Owner); p != "m/44'/19801'/1'/0'/0'" {
		t.Errorf("second claim used the key at %s, want account 1", p)
	}
}

// TestRequestChainAdopts: a restored wallet that could not ask the faucet
// at first gets its account 0's chain back from its first claim, and no
// new chain is opened.
func TestRequestChainAdopts(t *testing.T) {
	h := newHarness(t, false)
	f := newNetFaucet(h)
	a := claimed(t, h.vaultWallet(new(wallet.MemFile), testPhrase), f)
	restored := h.vaultWallet(new(wallet.MemFile), testPhrase)
	c := claimed(t, restored, f)
	if c.ID != a.ID || c.Owner != a.Owner || f.claims != 1 {
		t.Errorf("RequestChain of the restored wallet = %s (owner %s), %d claims; want account 0's chain %s, 1 claim",
			c.ID.Short(), c.Owner.Short(), f.claims, a.ID.Short())
	}
	if n := claimed(t, restored, f); n.ID == a.ID || f.claims != 2 {
		t.Errorf("the next RequestChain = %s after %d claims, want a new chain", n.ID.Short(), f.claims)
	}
}
