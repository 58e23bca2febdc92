package wallet_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

// recordingDialer dials the harness's validators and remembers the
// address it was asked to dial each one at.
type recordingDialer struct {
	h    *harness
	mu   sync.Mutex
	last map[keys.PublicKey]string
}

func (d *recordingDialer) Dial(ctx context.Context, v committee.Validator) (client.Node, error) {
	d.mu.Lock()
	d.last[v.PublicKey] = v.Address
	d.mu.Unlock()
	return d.h.Dial(ctx, v)
}

func (d *recordingDialer) dialedAt(pub keys.PublicKey) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last[pub]
}

// TestValidatorAddress: the wallet reaches a validator where the user
// says, keeps that in its document, and goes back to the committee's
// address when the user's is cleared; bad addresses and unknown
// validators are refused.
func TestValidatorAddress(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	d := &recordingDialer{h: h, last: map[keys.PublicKey]string{}}
	w, err := wallet.Create(ctx, wallet.Config{File: file, Store: kv.NewMemory(), Dialer: d, Now: func() uint64 { return h.net.Clock }}, h.net.Genesis, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	a := h.own(w, 1)
	v := h.net.Genesis.Committee.Validators[0]
	if got := d.dialedAt(v.PublicKey); got != v.Address {
		t.Fatalf("validator 0 dialled at %q, want the committee's %q", got, v.Address)
	}

	const there = "ws://10.1.2.3:9000"
	if err := w.SetValidatorAddress(ctx, v.PublicKey, there); err != nil {
		t.Fatal(err)
	}
	if addr, mine := w.ValidatorAddress(v); addr != there || !mine {
		t.Errorf("ValidatorAddress = %q, %v; want %q, the user's", addr, mine, there)
	}
	if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: h.net.Genesis.ChainID(2)}, tokens("1")); err != nil {
		t.Fatal(err)
	}
	if got := d.dialedAt(v.PublicKey); got != there {
		t.Errorf("after the change validator 0 was dialled at %q, want %q", got, there)
	}
	raw, err := file.Read()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := wallet.ParseDocument(raw)
	if err != nil || saved.Addresses[v.PublicKey] != there {
		t.Errorf("the saved document's addresses = %v, %v; want validator 0 at %q", saved.Addresses, err, there)
	}

	for _, bad := range []string{"10.1.2.3:9000", "ftp://x", "ws://"} {
		if err := w.SetValidatorAddress(ctx, v.PublicKey, bad); err == nil {
			t.Errorf("SetValidatorAddress(%q) succeeded", bad)
		}
	}
	if err := w.SetValidatorAddress(ctx, h.net.Key(1).Public(), there); err == nil || !strings.Contains(err.Error(), "no validator") {
		t.Errorf("SetValidatorAddress of a key outside the committee = %v", err)
	}

	if err := w.SetValidatorAddress(ctx, v.PublicKey, ""); err != nil {
		t.Fatal(err)
	}
	if addr, mine := w.ValidatorAddress(v); addr != v.Address || mine {
		t.Errorf("after clearing: %q, %v; want the committee's %q", addr, mine, v.Address)
	}
	if _, err := w.Sync(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := d.dialedAt(v.PublicKey); got != v.Address {
		t.Errorf("after clearing validator 0 was dialled at %q, want %q", got, v.Address)
	}
}
