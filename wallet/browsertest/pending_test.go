//go:build js && wasm

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/internal/testnet"
	"github.com/myriadchain/myriad/wallet"
)

// interruption is how a proposal is cut short after its block was stored.
type interruption struct {
	name string
	arm  func(n *network)
}

var interruptions = []interruption{
	// Two of four validators are down: the block gets two votes, no quorum.
	{"quorum offline", func(n *network) {
		n.Validators[2].Fault, n.Validators[3].Fault = testnet.Offline, testnet.Offline
	}},
	// The connection drops once one validator has voted.
	{"connection lost after one vote", func(n *network) { n.cutAfter = 1 }},
	// Validators stop answering once one has voted, until the command's
	// context ends: the user closed the tab in the middle of a request.
	{"hang after one vote, then canceled", func(n *network) { n.hangAfter = 1 }},
}

// TestPendingBlockSurvivesReload interrupts a transfer of a vault wallet
// on IndexedDB after its block was stored, reloads the tab (the wallet
// and both databases are closed, then opened anew: only what IndexedDB
// made durable survives), and checks that the reloaded wallet finishes
// exactly that block at its height — whether the next command is a Sync
// or a different transfer, which goes to the next height — and never
// asks validators to vote for another block there.
func TestPendingBlockSurvivesReload(t *testing.T) {
	for _, fast := range []bool{false, true} {
		for _, in := range interruptions {
			for _, next := range []string{"Sync", "Transfer"} {
				name := fmt.Sprintf("fast=%v/%s/next=%s", fast, strings.ReplaceAll(in.name, " ", "_"), next)
				t.Run(name, func(t *testing.T) { testReload(t, fast, in, next) })
			}
		}
	}
}

func testReload(t *testing.T, fast bool, in interruption, next string) {
	net := newNetwork(t, fast)
	tb := newTab(t, net)
	w := tb.create()
	a, b := own(t, w, net, 1), net.Genesis.ChainID(2)
	stored := interrupt(t, w, net, in, ids.Account{Chain: a}, ids.Account{Chain: b})
	tb.unload(w)

	net.heal()
	w = tb.load()
	defer w.Close()
	if !w.Locked() {
		t.Fatal("the reloaded vault wallet is unlocked")
	}
	wantStatus(t, w, a, 0, &stored)
	checkLocked(t, w, net, a, b, stored)
	wantIs(t, "Unlock(wrong password)", w.Unlock("wrong "+password), wallet.ErrWrongPassword)
	if err := w.Unlock(password); err != nil {
		t.Fatalf("Unlock: %v", err)
	}

	ctx := t.Context()
	if next == "Sync" {
		if _, err := w.Sync(ctx, a); err != nil {
			t.Fatalf("Sync after the reload: %v", err)
		}
		wantStatus(t, w, a, 1, nil)
	}
	cert, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, amount.MustParse("11"))
	if err != nil {
		t.Fatalf("transfer after the reload: %v", err)
	}
	if h := cert.Value.Height(); h != 1 {
		t.Errorf("transfer after the reload confirmed at height %d, want 1", h)
	}
	if got, ok := net.confirmed(a, 0); !ok || got != stored {
		t.Errorf("block confirmed at height 0 = %s (%v), want the stored block %s", got.Short(), ok, stored.Short())
	}
	net.checkOneBlockPerHeight()
	wantStatus(t, w, a, 2, nil)
	wantBalance(t, w, net, a, "82") // 100 - 7 - 11
}

// interrupt makes a transfer of 7 from a to b that in cuts short, checks
// that it failed with its block pending at height 0, and returns the
// block's hash.
func interrupt(t *testing.T, w *wallet.Wallet, net *network, in interruption, a, b ids.Account) ids.Hash {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	net.cancel = cancel
	in.arm(net)
	_, err := w.Transfer(ctx, a, b, amount.MustParse("7"))
	if err == nil {
		t.Fatal("interrupted transfer succeeded")
	}
	t.Logf("interrupted transfer: %v", err)
	if net.sent == 0 {
		t.Fatal("no proposal reached a validator before the interruption")
	}
	st, err := w.Status(t.Context(), a.Chain)
	if err != nil || st.Pending == nil || st.Pending.Height != 0 {
		t.Fatalf("after the interrupted transfer: pending %v, %v; want a block at height 0", st.Pending, err)
	}
	return st.Pending.Hash()
}

// checkLocked checks what a locked wallet does with its pending block.
// The block is stored unsigned: a proposal is signed for its round when it
// is sent, and a retry may need another round. So a locked wallet cannot
// finish it and does not try: commands that sign fail with ErrLocked
// before anything is sent, Sync only downloads, and the block stays
// pending, unchanged, for the first command after Unlock.
func checkLocked(t *testing.T, w *wallet.Wallet, net *network, a, b ids.ChainID, stored ids.Hash) {
	t.Helper()
	ctx, sent := t.Context(), net.sent
	_, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, amount.MustParse("11"))
	wantIs(t, "Transfer while locked", err, wallet.ErrLocked)
	_, err = w.ProcessInbox(ctx, a)
	wantIs(t, "ProcessInbox while locked", err, wallet.ErrLocked)
	if _, err := w.Sync(ctx, a); err != nil {
		t.Errorf("Sync while locked: %v", err)
	}
	wantStatus(t, w, a, 0, &stored)
	if net.sent != sent {
		t.Errorf("a locked wallet sent %d proposals", net.sent-sent)
	}
}
