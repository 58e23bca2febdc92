package wallet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/internal/testnet"
	"github.com/myriadchain/myriad/storage/crash"
	"github.com/myriadchain/myriad/wallet"
)

// TestPendingBlockAfterCrash crashes a wallet in the middle of a transfer
// — before anything is sent, after some validators voted, after the
// certificate reached every validator but before the wallet stored it —
// restarts it from what its store had made durable, and makes a second,
// different transfer. The interrupted transfer must end up confirmed at
// most once, and validators must never have been asked to vote for two
// different blocks at one height (in the fast round that would stall the
// chain for good).
func TestPendingBlockAfterCrash(t *testing.T) {
	type crashPoint struct {
		name string
		arm  func(h *harness, store *crash.Store, fast bool)
		// confirmed says whether the interrupted transfer ends up confirmed.
		confirmed bool
	}
	points := []crashPoint{
		{"while storing the block", func(_ *harness, s *crash.Store, _ bool) { s.CrashAfter(1) }, false},
		{"after one vote", func(h *harness, _ *crash.Store, _ bool) { h.crashAfterProposals = 1 }, true},
		{"after three votes", func(h *harness, _ *crash.Store, _ bool) { h.crashAfterProposals = 3 }, true},
		{"between validated and confirmed", func(h *harness, _ *crash.Store, fast bool) {
			h.crashAfterCerts = 2 // fast: while broadcasting the confirmed certificate
		}, true},
		{"after the confirmed certificate was broadcast", func(h *harness, _ *crash.Store, fast bool) {
			h.crashAfterCerts = 8 // the validated certificate, then the confirmed one, to 4 validators
			if fast {
				h.crashAfterCerts = 4 // the fast round confirms in one phase
			}
		}, true},
	}
	for _, fast := range []bool{false, true} {
		for _, p := range points {
			t.Run(fmt.Sprintf("fast=%v/%s", fast, strings.ReplaceAll(p.name, " ", "_")), func(t *testing.T) {
				testCrash(t, fast, p.arm, p.confirmed)
			})
		}
	}
}

func testCrash(t *testing.T, fast bool, arm func(*harness, *crash.Store, bool), confirmed bool) {
	ctx := context.Background()
	h := newHarness(t, fast)
	file, store := new(wallet.MemFile), crash.New()
	w := h.wallet(file, store)
	a := h.own(w, 1)
	b := h.net.Genesis.ChainID(2)
	h.onCrash = func() { store.CrashAfter(0) }
	arm(h, store, fast)
	_, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("7"))
	if err == nil {
		t.Fatalf("transfer survived the crash")
	}
	t.Logf("interrupted transfer: %v", err)

	// Restart: the process is back with the store's durable state.
	h.crashed = false
	store = store.Restart()
	w = h.wallet(file, store)
	if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("11")); err != nil {
		t.Fatalf("transfer after restart: %v", err)
	}
	h.checkOneBlockPerHeight()
	want := "89" // 100 - 11
	if confirmed {
		want = "82" // 100 - 7 - 11
	}
	wantBalance(t, w, a, want)
	if got := h.validatorBalance(a); got.String() != want {
		t.Errorf("validator's balance = %s, want %s", got, want)
	}
	st, err := w.Status(ctx, a)
	if err != nil || st.Pending != nil {
		t.Errorf("Status after the retry: pending %v, %v; want none", st.Pending, err)
	}
}

// TestPendingBlockKeptUntilQuorum: while too few validators answer, the
// block stays pending and every later command retries that same block;
// once a quorum is back it is confirmed and the new command goes on.
func TestPendingBlockKeptUntilQuorum(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, true)
	w := h.wallet(new(wallet.MemFile), crash.New())
	a := h.own(w, 1)
	b := h.net.Genesis.ChainID(2)
	h.net.Validators[2].Fault, h.net.Validators[3].Fault = testnet.Offline, testnet.Offline
	for _, amt := range []string{"7", "8"} {
		if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens(amt)); err == nil {
			t.Fatalf("transfer of %s with two of four validators offline succeeded", amt)
		}
	}
	st, _ := w.Status(ctx, a)
	if st.Pending == nil || st.Pending.Height != 0 {
		t.Fatalf("pending block = %v, want the first transfer at height 0", st.Pending)
	}
	h.net.Validators[3].Fault = testnet.Honest
	if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("9")); err != nil {
		t.Fatalf("transfer with a quorum back: %v", err)
	}
	h.checkOneBlockPerHeight()
	wantBalance(t, w, a, "84") // 100 - 7 - 9: the 8 was never proposed
	if st, _ := w.Status(ctx, a); st.Height != 2 || st.Pending != nil {
		t.Errorf("Status = height %d, pending %v; want height 2, none pending", st.Height, st.Pending)
	}
}
