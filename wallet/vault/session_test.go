package vault

import (
	"errors"
	"testing"
)

// TestSessionResume: a token from an unlocked vault unlocks a fresh copy
// of it (as a restarted extension reopens the stored vault) without the
// password, and keeps working after the vault seals again under the same
// password (a new account).
func TestSessionResume(t *testing.T) {
	v := newTestVault(t)
	token, err := v.Session()
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	if len(token) != SessionSize || token[0] != SessionVersion {
		t.Fatalf("Session() = %d bytes starting %d, want %d starting %d", len(token), token[0], SessionSize, SessionVersion)
	}
	if _, err := v.NextAccount(); err != nil {
		t.Fatal(err)
	}
	again := reopen(t, v)
	if err := again.Resume(token); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if again.Locked() {
		t.Fatal("the vault is locked after Resume")
	}
	if m, err := again.Mnemonic(); err != nil || m != testPhrase {
		t.Errorf("Mnemonic after Resume = %q, %v; want %q", m, err, testPhrase)
	}
	if acc, err := again.Accounts(); err != nil || len(acc) != 1 {
		t.Errorf("Accounts after Resume = %v, %v; want one account", acc, err)
	}
	mine, err := again.Session()
	if err != nil || string(mine) != string(token) {
		t.Errorf("Session after Resume = %x, %v; want the same token", mine, err)
	}
}

func TestSessionLocked(t *testing.T) {
	v := newTestVault(t)
	v.Lock()
	if _, err := v.Session(); !errors.Is(err, ErrLocked) {
		t.Errorf("Session of a locked vault = %v, want ErrLocked", err)
	}
}

// TestSessionRefused: a token stops working when the vault is sealed
// under another password, and malformed or altered tokens never unlock.
func TestSessionRefused(t *testing.T) {
	v := newTestVault(t)
	token, _ := v.Session()
	if err := v.Reseal("another password", 0); err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := append([]byte(nil), token...)
		b[i] ^= 1
		return b
	}
	for name, tok := range map[string][]byte{
		"after a password change": token,
		"empty":                   nil,
		"short":                   token[:SessionSize-1],
		"long":                    append(append([]byte(nil), token...), 0),
	} {
		if err := reopen(t, v).Resume(tok); !errors.Is(err, ErrSession) {
			t.Errorf("Resume(%s) = %v, want ErrSession", name, err)
		}
	}
	fresh := newTestVault(t)
	token, _ = fresh.Session()
	for name, i := range map[string]int{"version": 0, "key check": 1, "key": SessionSize - 1} {
		w := reopen(t, fresh)
		if err := w.Resume(flip(i)); !errors.Is(err, ErrSession) {
			t.Errorf("Resume(token with its %s altered) = %v, want ErrSession", name, err)
		}
		if !w.Locked() {
			t.Errorf("the vault is unlocked after Resume(token with its %s altered)", name)
		}
	}
}
