package wallet_test

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/vault"
)

const (
	testPassword = "correct horse battery staple"
	// testPhrase is BIP-39's vector "legal winner ... yellow".
	testPhrase = "legal winner thank year wave sausage worth useful legal winner thank yellow"
)

// vaultConfig is a wallet config whose vault seals with 1,000 PBKDF2
// iterations, which only tests may do.
func (h *harness) vaultConfig(file wallet.File) wallet.Config {
	return wallet.Config{File: file, Store: kv.NewMemory(), Dialer: h, Now: func() uint64 { return h.net.Clock },
		Vault: vault.Options{Iterations: 1000, InsecureMinIterations: 1000}}
}

// vaultWallet creates a vault wallet in file from phrase ("" for a new one).
func (h *harness) vaultWallet(file wallet.File, phrase string) *wallet.Wallet {
	h.t.Helper()
	w, err := wallet.CreateVault(context.Background(), h.vaultConfig(file),
		wallet.VaultSetup{Genesis: h.net.Genesis, Mnemonic: phrase, Password: testPassword})
	if err != nil {
		h.t.Fatalf("CreateVault: %v", err)
	}
	h.t.Cleanup(func() { w.Close() })
	return w
}

// reopen opens the wallet in file with a fresh store: locked.
func (h *harness) reopen(file wallet.File) *wallet.Wallet {
	h.t.Helper()
	w, err := wallet.Open(context.Background(), h.vaultConfig(file))
	if err != nil {
		h.t.Fatalf("Open: %v", err)
	}
	h.t.Cleanup(func() { w.Close() })
	return w
}

func TestVaultWalletSigns(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, "")
	if w.Locked() {
		t.Fatal("a new vault wallet is locked")
	}
	if m, err := w.Mnemonic(); err != nil || len(strings.Fields(m)) != 24 {
		t.Errorf("Mnemonic = %q, %v; want 24 words", m, err)
	}
	k, err := w.GenerateKey()
	if err != nil || k.Path != "m/44'/19801'/0'/0'/0'" {
		t.Fatalf("GenerateKey = %+v, %v; want the key of account 0", k, err)
	}
	a, b := h.own(w, 1), h.net.Genesis.ChainID(2)
	if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("10")); err != nil {
		t.Fatalf("transfer while unlocked: %v", err)
	}

	w.Lock()
	if !w.Locked() {
		t.Fatal("Locked() = false after Lock")
	}
	_, errTransfer := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("1"))
	_, errInbox := w.ProcessInbox(ctx, a)
	_, errKey := w.Key(k.Owner)
	_, errGenerate := w.GenerateKey()
	_, errAdd := w.AddKey(h.net.Key(3))
	_, errMnemonic := w.Mnemonic()
	for name, err := range map[string]error{"Transfer": errTransfer, "ProcessInbox": errInbox, "Key": errKey,
		"GenerateKey": errGenerate, "AddKey": errAdd, "Mnemonic": errMnemonic} {
		if !errors.Is(err, wallet.ErrLocked) {
			t.Errorf("%s while locked = %v, want ErrLocked", name, err)
		}
	}
	// Reading needs no key.
	if _, err := w.Sync(ctx, a); err != nil {
		t.Errorf("Sync while locked: %v", err)
	}
	wantBalance(t, w, a, "90")

	if err := w.Unlock("wrong horse"); !errors.Is(err, wallet.ErrWrongPassword) {
		t.Fatalf("Unlock with a wrong password = %v, want ErrWrongPassword", err)
	}
	if err := w.Unlock(testPassword); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if _, err := w.Transfer(ctx, ids.Account{Chain: a}, ids.Account{Chain: b}, tokens("1")); err != nil {
		t.Errorf("transfer after Unlock: %v", err)
	}
	wantBalance(t, w, a, "89")
	h.checkOneBlockPerHeight()
}

func TestVaultWalletReopen(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	derived, err := w.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	imported, err := w.AddKey(h.net.Key(1))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := file.Read()
	seed := h.net.Key(1).Seed()
	for _, secret := range []string{`"seed"`, hex.EncodeToString(seed[:]), "legal winner"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the wallet file holds %s in clear:\n%s", secret, b)
		}
	}
	for _, want := range []string{`"version": 2`, `"key_format": "vault"`, `"path": "m/44'/19801'/0'/0'/0'"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the wallet file lacks %s:\n%s", want, b)
		}
	}
	if _, err := wallet.ParseDocument(b); err != nil {
		t.Fatalf("ParseDocument of a vault wallet: %v", err)
	}

	again := h.reopen(file)
	if !again.Locked() {
		t.Fatal("a reopened vault wallet is unlocked")
	}
	if _, err := again.Key(derived.Owner); !errors.Is(err, wallet.ErrLocked) {
		t.Errorf("Key of the reopened wallet = %v, want ErrLocked", err)
	}
	if err := again.Unlock(testPassword); err != nil {
		t.Fatalf("Unlock of the reopened wallet: %v", err)
	}
	for _, k := range []wallet.Key{derived, imported} {
		if pk, err := again.Key(k.Owner); err != nil || pk.Public() != k.PublicKey {
			t.Errorf("Key(%s) after reopening = %v, %v; want public key %s", k.Owner.Short(), pk, err, k.PublicKey.Short())
		}
	}
	if m, _ := again.Mnemonic(); m != testPhrase {
		t.Errorf("Mnemonic after reopening = %q, want %q", m, testPhrase)
	}
	if next, err := again.GenerateKey(); err != nil || next.Path != "m/44'/19801'/1'/0'/0'" {
		t.Errorf("GenerateKey after reopening = %+v, %v; want account 1", next, err)
	}
}

// TestVaultWalletRestore: a wallet made again from the recovery phrase
// derives the same keys in the same order.
func TestVaultWalletRestore(t *testing.T) {
	h := newHarness(t, false)
	first := h.vaultWallet(new(wallet.MemFile), testPhrase)
	second := h.vaultWallet(new(wallet.MemFile), " Legal winner thank year wave sausage worth useful legal winner thank yellow")
	for i := range 3 {
		a, err1 := first.GenerateKey()
		b, err2 := second.GenerateKey()
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("key %d: %+v, %v from the first wallet; %+v, %v restored", i, a, err1, b, err2)
		}
	}
	_, err := wallet.CreateVault(context.Background(), h.vaultConfig(new(wallet.MemFile)),
		wallet.VaultSetup{Genesis: h.net.Genesis, Mnemonic: "legal winner thank", Password: testPassword})
	if !errors.Is(err, vault.ErrWordCount) {
		t.Errorf("CreateVault with a 3-word phrase = %v, want vault.ErrWordCount", err)
	}
}

func TestVaultWalletChangePassword(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	k, _ := w.GenerateKey()
	if err := w.ChangePassword("new password"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	again := h.reopen(file)
	if err := again.Unlock(testPassword); !errors.Is(err, wallet.ErrWrongPassword) {
		t.Errorf("Unlock with the old password = %v, want ErrWrongPassword", err)
	}
	if err := again.Unlock("new password"); err != nil {
		t.Fatalf("Unlock with the new password: %v", err)
	}
	if _, err := again.Key(k.Owner); err != nil {
		t.Errorf("Key after a password change: %v", err)
	}
	w.Lock()
	if err := w.ChangePassword("third"); !errors.Is(err, wallet.ErrLocked) {
		t.Errorf("ChangePassword while locked = %v, want ErrLocked", err)
	}
}

// TestVaultWalletEdited: a document whose clear part was edited to list
// another public key fails to unlock; one whose vault's iteration count
// was lowered below the real minimum does not open.
func TestVaultWalletEdited(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	if _, err := w.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	good, _ := file.Read()

	other := h.net.Key(2)
	doc, err := wallet.ParseDocument(good)
	if err != nil {
		t.Fatal(err)
	}
	doc.Keys[0].PublicKey, doc.Keys[0].Owner = other.Public(), other.Owner()
	edited, _ := doc.Marshal()
	file.Write(edited)
	if err := h.reopen(file).Unlock(testPassword); !errors.Is(err, wallet.ErrFormat) {
		t.Errorf("Unlock of a document listing another key = %v, want ErrFormat", err)
	}

	file.Write(good)
	cfg := h.vaultConfig(file)
	cfg.Vault = vault.Options{}
	if _, err := wallet.Open(context.Background(), cfg); !errors.Is(err, vault.ErrWeakKDF) {
		t.Errorf("Open of a 1,000-iteration vault with the real minimum = %v, want vault.ErrWeakKDF", err)
	}
}

func TestVaultDocumentErrors(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	if _, err := w.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	good, _ := file.Read()
	for name, edit := range map[string]func(string) string{
		"plain key format":    func(s string) string { return strings.Replace(s, `"vault",`, `"plain-hex",`, 1) },
		"version 1":           func(s string) string { return strings.Replace(s, `"version": 2`, `"version": 1`, 1) },
		"version 3":           func(s string) string { return strings.Replace(s, `"version": 2`, `"version": 3`, 1) },
		"seed in clear":       func(s string) string { return strings.Replace(s, `"path"`, `"seed": "00", "path"`, 1) },
		"non-hardened path":   func(s string) string { return strings.Replace(s, `/0'/0'"`, `/0'/0"`, 1) },
		"vault kdf":           func(s string) string { return strings.Replace(s, `"pbkdf2-hmac-sha256"`, `"scrypt"`, 1) },
		"vault unknown field": func(s string) string { return strings.Replace(s, `"kdf"`, `"colour": 1, "kdf"`, 1) },
	} {
		if _, err := wallet.ParseDocument([]byte(edit(string(good)))); !errors.Is(err, wallet.ErrFormat) {
			t.Errorf("%s: ParseDocument = %v, want ErrFormat", name, err)
		}
	}
	doc, err := wallet.ParseDocument(good)
	if err != nil {
		t.Fatal(err)
	}
	doc.Vault = nil
	b, _ := doc.Marshal()
	if _, err := wallet.ParseDocument(b); !errors.Is(err, wallet.ErrFormat) {
		t.Errorf("no vault: ParseDocument = %v, want ErrFormat", err)
	}
}

// TestPlainWalletHasNoPassword: a version-1 wallet is never locked and
// has no password to unlock or change.
func TestPlainWalletHasNoPassword(t *testing.T) {
	h := newHarness(t, false)
	w := h.wallet(new(wallet.MemFile), kv.NewMemory())
	w.Lock()
	if w.Locked() {
		t.Error("a version-1 wallet is locked")
	}
	if _, err := w.GenerateKey(); err != nil {
		t.Errorf("GenerateKey of a version-1 wallet after Lock: %v", err)
	}
	if err := w.Unlock(testPassword); err == nil {
		t.Error("Unlock of a version-1 wallet succeeded")
	}
	if err := w.ChangePassword(testPassword); err == nil {
		t.Error("ChangePassword of a version-1 wallet succeeded")
	}
}

// TestVaultWalletSession: a session token from an unlocked wallet unlocks
// the same wallet reopened (as a restarted browser extension does)
// without the password, and can sign; after a password change it no
// longer opens the vault.
func TestVaultWalletSession(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	k, err := w.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	token, err := w.Session()
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	again := h.reopen(file)
	if err := again.Resume(token); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if pk, err := again.Key(k.Owner); err != nil || pk.Public() != k.PublicKey {
		t.Errorf("Key after Resume = %v, %v; want public key %s", pk, err, k.PublicKey.Short())
	}
	if _, err := again.GenerateKey(); err != nil {
		t.Errorf("GenerateKey after Resume: %v", err)
	}
	again.Lock()
	if _, err := again.Session(); !errors.Is(err, wallet.ErrLocked) {
		t.Errorf("Session of a locked wallet = %v, want ErrLocked", err)
	}
	if err := w.ChangePassword("new password"); err != nil {
		t.Fatal(err)
	}
	if err := h.reopen(file).Resume(token); !errors.Is(err, wallet.ErrSession) {
		t.Errorf("Resume after a password change = %v, want ErrSession", err)
	}
}
