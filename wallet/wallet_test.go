package wallet_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/wallet"
)

func TestDocumentRoundTrip(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.wallet(file, kv.NewMemory())
	alice := h.own(w, 1)
	if _, err := w.Follow(context.Background(), h.net.Genesis.ChainID(2), nil); err != nil {
		t.Fatalf("follow: %v", err)
	}
	if _, err := w.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	before, _ := file.Read()

	w2 := h.wallet(file, kv.NewMemory()) // a fresh store is initialised from the file's genesis
	if err := w2.Save(); err != nil {
		t.Fatal(err)
	}
	after, _ := file.Read()
	if !bytes.Equal(before, after) {
		t.Errorf("wallet file changed on reopen and save:\n%s\nthen\n%s", before, after)
	}
	if d, _ := w2.Default(); d != alice {
		t.Errorf("Default() = %s, want alice's chain %s", d.Short(), alice.Short())
	}
	if got := len(w2.Chains()); got != 2 {
		t.Errorf("len(Chains()) = %d, want 2", got)
	}
	if c, _ := w2.Chain(h.net.Genesis.ChainID(2)); !c.Owner.IsZero() {
		t.Errorf("followed chain has owner %s, want none", c.Owner.Short())
	}
	for _, want := range []string{`"version": 1`, `"key_format": "plain-hex"`, `"root": 1`} {
		if !strings.Contains(string(after), want) {
			t.Errorf("wallet file lacks %s:\n%s", want, after)
		}
	}
}

func TestDocumentErrors(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.wallet(file, kv.NewMemory())
	h.own(w, 1)
	good, _ := file.Read()
	for name, edit := range map[string]func(string) string{
		"newer version": func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 3`, 1) },
		"version 2 with seeds in clear": func(s string) string {
			return strings.Replace(s, `"version": 1`, `"version": 2`, 1)
		},
		"unknown key format": func(s string) string {
			return strings.Replace(s, `"plain-hex"`, `"vault"`, 1)
		},
		"seed of another key": func(s string) string {
			i := strings.Index(s, `"seed": "`) + len(`"seed": "`)
			return s[:i] + "00" + s[i+2:]
		},
		"wrong description": func(s string) string { return strings.Replace(s, `"root": 1`, `"root": 2`, 1) },
		"unknown field":     func(s string) string { return strings.Replace(s, `"version"`, `"colour": 1, "version"`, 1) },
		"not json":          func(string) string { return "{" },
	} {
		_, err := wallet.ParseDocument([]byte(edit(string(good))))
		if !errors.Is(err, wallet.ErrFormat) {
			t.Errorf("%s: ParseDocument = %v, want ErrFormat", name, err)
		}
	}
	cfg := wallet.Config{File: file, Store: kv.NewMemory(), Dialer: h}
	if _, err := wallet.Create(context.Background(), cfg, h.net.Genesis, ""); !errors.Is(err, wallet.ErrExists) {
		t.Errorf("Create over an existing wallet = %v, want ErrExists", err)
	}
	cfg.File = new(wallet.MemFile)
	if _, err := wallet.Open(context.Background(), cfg); !errors.Is(err, wallet.ErrNoWallet) {
		t.Errorf("Open of an empty file = %v, want ErrNoWallet", err)
	}
}

func TestDiskFile(t *testing.T) {
	p := wallet.DiskFile(filepath.Join(t.TempDir(), "sub", "wallet.json"))
	if _, err := p.Read(); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read of a missing file = %v, want ErrNotExist", err)
	}
	for _, s := range []string{"one", "two"} {
		if err := p.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if got, err := p.Read(); err != nil || string(got) != s {
			t.Errorf("Read = %q, %v; want %q", got, err, s)
		}
	}
	fi, err := os.Stat(string(p))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("wallet file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(string(p)))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the wallet file", len(entries))
	}
}

func TestGenesisRoundTrip(t *testing.T) {
	h := newHarness(t, false)
	b, err := wallet.MarshalGenesis(h.net.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	g, err := wallet.ParseGenesis(b)
	if err != nil {
		t.Fatal(err)
	}
	if g.Committee.Quorum() != h.net.Genesis.Committee.Quorum() || g.Committee.Hash() != h.net.Genesis.Committee.Hash() {
		t.Errorf("committee after round trip: quorum %d hash %s, want %d %s", g.Committee.Quorum(), g.Committee.Hash().Short(),
			h.net.Genesis.Committee.Quorum(), h.net.Genesis.Committee.Hash().Short())
	}
	for i := range g.Chains {
		if g.Config(i).Description.ID() != h.net.Genesis.ChainID(i) || g.Chains[i].Balance != h.net.Genesis.Chains[i].Balance {
			t.Errorf("chain %d differs after round trip", i)
		}
	}
}

func TestTransferBothWays(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	alice, bob := h.wallet(new(wallet.MemFile), kv.NewMemory()), h.wallet(new(wallet.MemFile), kv.NewMemory())
	a, b := h.own(alice, 1), h.own(bob, 2)
	if _, err := alice.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("30")); err != nil {
		t.Fatalf("alice → bob: %v", err)
	}
	if got, err := bob.QueryBalance(ctx, ids.Account{Chain: b}); err != nil || got.String() != "130" {
		t.Errorf("bob's QueryBalance before processing = %v, %v; want 130 (staged inbox)", got, err)
	}
	wantBalance(t, bob, b, "100")
	if cert, err := bob.ProcessInbox(ctx, b); err != nil || cert == nil {
		t.Fatalf("bob processes inbox: %v, %v", cert, err)
	}
	if _, err := bob.Transfer(ctx, ids.Account{Chain: b}, ids.Account{Chain: a}, tokens("12.5")); err != nil {
		t.Fatalf("bob → alice: %v", err)
	}
	if _, err := alice.ProcessInbox(ctx, a); err != nil {
		t.Fatalf("alice processes inbox: %v", err)
	}
	if cert, err := alice.ProcessInbox(ctx, a); err != nil || cert != nil {
		t.Errorf("second ProcessInbox = %v, %v; want nothing to do", cert, err)
	}
	wantBalance(t, alice, a, "82.5")
	wantBalance(t, bob, b, "117.5")
	if got := h.validatorBalance(b); got.String() != "117.5" {
		t.Errorf("validator's balance of bob = %s, want 117.5", got)
	}
	_, err := alice.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("1000"))
	if !errors.Is(err, system.ErrInsufficientFunds) {
		t.Errorf("overdraft = %v, want ErrInsufficientFunds", err)
	}
	if _, err := alice.Transfer(ctx, ids.Account{Chain: b}, ids.Account{Chain: a}, tokens("1")); !errors.Is(err, wallet.ErrUnknownChain) {
		t.Errorf("transfer from a chain alice does not track = %v, want ErrUnknownChain", err)
	}
	h.checkOneBlockPerHeight()
}

func TestOpenFollowClose(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	alice, bob := h.wallet(new(wallet.MemFile), kv.NewMemory()), h.wallet(new(wallet.MemFile), kv.NewMemory())
	a := h.own(alice, 1)
	k, err := bob.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	child, _, err := alice.OpenChain(ctx, a, single(k.Owner), tokens("40"))
	if err != nil {
		t.Fatalf("open chain: %v", err)
	}
	if !child.Owner.IsZero() {
		t.Errorf("alice tracks bob's chain with owner %s, want none", child.Owner.Short())
	}
	// Bob follows it knowing only its id: the description comes from the validators.
	c, err := bob.Follow(ctx, child.ID, nil)
	if err != nil {
		t.Fatalf("bob follows the new chain: %v", err)
	}
	if c.Owner != k.Owner || c.Description.Parent != a {
		t.Errorf("bob tracks %+v, want owner %s, parent %s", c, k.Owner.Short(), a.Short())
	}
	if d, _ := bob.Default(); d != child.ID {
		t.Errorf("bob's default = %s, want his new chain", d.Short())
	}
	wantBalance(t, bob, child.ID, "40")
	if _, err := bob.ProcessInbox(ctx, child.ID); err != nil {
		t.Fatalf("bob takes the open-chain message: %v", err)
	}
	if _, err := bob.Transfer(ctx, ids.Account{Chain: child.ID}, ids.Account{Chain: a}, tokens("15")); err != nil {
		t.Fatalf("transfer from the child: %v", err)
	}
	// A third wallet follows the child after it has blocks.
	carol := h.wallet(new(wallet.MemFile), kv.NewMemory())
	if _, err := carol.Follow(ctx, child.ID, nil); err != nil {
		t.Fatalf("carol follows the child: %v", err)
	}
	wantBalance(t, carol, child.ID, "25")

	if _, err := bob.CloseChain(ctx, child.ID); err != nil {
		t.Fatalf("close chain: %v", err)
	}
	if _, err := alice.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: child.ID}, tokens("5")); err != nil {
		t.Fatalf("transfer to the closed chain: %v", err)
	}
	if _, err := bob.ProcessInbox(ctx, child.ID); err != nil {
		t.Fatalf("closed chain rejects its inbox: %v", err)
	}
	if _, err := alice.ProcessInbox(ctx, a); err != nil { // the bounced transfer
		t.Fatalf("alice takes the bounce: %v", err)
	}
	wantBalance(t, alice, a, "75") // 100 - 40 + 15 - 5 + 5
	if _, err := bob.Transfer(ctx, ids.Account{Chain: child.ID}, ids.Account{Chain: a}, tokens("1")); err == nil {
		t.Errorf("transfer from a closed chain succeeded")
	}
	st, err := bob.Status(ctx, child.ID)
	if err != nil || !st.Closed {
		t.Errorf("Status of the closed chain = %+v, %v; want closed", st, err)
	}
	h.checkOneBlockPerHeight()
}

func TestMultiOwnerAndChangeOwnership(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	alice, bob := h.wallet(new(wallet.MemFile), kv.NewMemory()), h.wallet(new(wallet.MemFile), kv.NewMemory())
	a := h.own(alice, 1)
	ka, _ := alice.GenerateKey()
	kb, _ := bob.GenerateKey()
	shared, _, err := alice.OpenChain(ctx, a, manager.Multi([]ids.Owner{ka.Owner, kb.Owner}, 3), tokens("10"))
	if err != nil {
		t.Fatalf("open multi-owner chain: %v", err)
	}
	if shared.Owner != ka.Owner {
		t.Errorf("alice tracks the shared chain with %s, want her new key", shared.Owner.Short())
	}
	if _, err := bob.Follow(ctx, shared.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.ProcessInbox(ctx, shared.ID); err != nil {
		t.Fatalf("bob proposes on the shared chain: %v", err)
	}
	if _, err := alice.Transfer(ctx, ids.Account{Chain: shared.ID}, ids.Account{Chain: a}, tokens("4")); err != nil {
		t.Fatalf("alice proposes on the shared chain: %v", err)
	}
	if _, err := alice.ChangeOwnership(ctx, shared.ID, manager.SingleSuper(ka.Owner)); err != nil {
		t.Fatalf("change ownership: %v", err)
	}
	if _, err := bob.Transfer(ctx, ids.Account{Chain: shared.ID}, ids.Account{Chain: a}, tokens("1")); err == nil {
		t.Errorf("bob still proposes after losing ownership")
	}
	if _, err := alice.Transfer(ctx, ids.Account{Chain: shared.ID}, ids.Account{Chain: a}, tokens("1")); err != nil {
		t.Fatalf("alice as super owner: %v", err)
	}
	wantBalance(t, alice, shared.ID, "5")
}

func TestKVFile(t *testing.T) {
	f := wallet.KVFile{Store: kv.NewMemory(), Key: []byte("doc")}
	if _, err := f.Read(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read of an empty store: %v, want fs.ErrNotExist", err)
	}
	for _, want := range []string{"one", "two"} {
		if err := f.Write([]byte(want)); err != nil {
			t.Fatal(err)
		}
		if got, err := f.Read(); err != nil || string(got) != want {
			t.Fatalf("read %q, %v; want %q", got, err, want)
		}
	}
}

// TestFollowChainOpenedLater: a chain whose first block is a transfer and
// whose second takes its open-chain message is followed by id alone: the
// wallet reads its first blocks for the one that took the message.
func TestFollowChainOpenedLater(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	alice, bob := h.wallet(new(wallet.MemFile), kv.NewMemory()), h.wallet(new(wallet.MemFile), kv.NewMemory())
	a := h.own(alice, 1)
	k, err := alice.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	child, _, err := alice.OpenChain(ctx, a, single(k.Owner), tokens("40"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Transfer(ctx, ids.Account{Chain: child.ID}, ids.Account{Chain: a}, tokens("15")); err != nil {
		t.Fatalf("the child's first block, a transfer: %v", err)
	}
	if cert, err := alice.ProcessInbox(ctx, child.ID); err != nil || cert == nil || cert.Value.Height() != 1 {
		t.Fatalf("the child's second block takes the open-chain message: %v, %v", cert, err)
	}
	c, err := bob.Follow(ctx, child.ID, nil)
	if err != nil {
		t.Fatalf("bob follows the child by its id: %v", err)
	}
	if c.Description.Parent != a {
		t.Errorf("bob tracks %+v, want parent %s", c, a.Short())
	}
	wantBalance(t, bob, child.ID, "25")
}
