package wallet_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/msgsig"
	"github.com/myriadchain/myriad/wallet"
)

func TestSignMessage(t *testing.T) {
	h := newHarness(t, false)
	file := new(wallet.MemFile)
	w := h.vaultWallet(file, testPhrase)
	const origin, message = "https://app.example", "Sign in\nnonce: 1"
	if _, err := w.SignMessage(ids.Owner{}, origin, message); !errors.Is(err, wallet.ErrNoDefault) {
		t.Errorf("SignMessage with no chain = %v, want ErrNoDefault", err)
	}
	h.own(w, 1)
	second := h.net.Key(2)
	if _, err := w.AddKey(second); err != nil {
		t.Fatal(err)
	}

	// The default chain's owner signs; another key of the wallet on request.
	s, err := w.SignMessage(ids.Owner{}, origin, message)
	if err != nil {
		t.Fatalf("SignMessage = %v", err)
	}
	if want := h.net.Key(1); s.Owner != want.Owner() || s.PublicKey != want.Public() {
		t.Errorf("SignMessage signed as %v (key %v), want the default chain's owner %v", s.Owner.Short(), s.PublicKey.Short(), want.Owner().Short())
	}
	if err := msgsig.Verify(s.PublicKey, origin, message, s.Signature); err != nil {
		t.Errorf("msgsig.Verify(SignMessage) = %v", err)
	}
	if err := msgsig.Verify(s.PublicKey, "https://other.example", message, s.Signature); !errors.Is(err, keys.ErrBadSignature) {
		t.Errorf("the signature for %s verifies for another origin: %v", origin, err)
	}
	s2, err := w.SignMessage(second.Owner(), origin, message)
	if err != nil || s2.PublicKey != second.Public() || msgsig.Verify(s2.PublicKey, origin, message, s2.Signature) != nil {
		t.Errorf("SignMessage(second owner) = %+v, %v", s2, err)
	}

	for _, tt := range []struct {
		owner           ids.Owner
		origin, message string
		want            error
	}{
		{ids.Sum("owner", []byte("a stranger")), origin, message, wallet.ErrNoKey},
		{ids.Owner{}, "https://app.example/", message, msgsig.ErrOrigin},
		{ids.Owner{}, origin, strings.Repeat("x", msgsig.MaxMessageSize+1), msgsig.ErrTooLarge},
		{ids.Owner{}, origin, "bell\a", msgsig.ErrMessage},
	} {
		if _, err := w.SignMessage(tt.owner, tt.origin, tt.message); !errors.Is(err, tt.want) {
			t.Errorf("SignMessage(%v, %q, %.20q) = %v, want %v", tt.owner.Short(), tt.origin, tt.message, err, tt.want)
		}
	}

	// Locked, it signs nothing; a bad request is still a bad request.
	w.Lock()
	if _, err := w.SignMessage(ids.Owner{}, origin, message); !errors.Is(err, wallet.ErrLocked) {
		t.Errorf("SignMessage while locked = %v, want ErrLocked", err)
	}
	if _, err := w.SignMessage(ids.Owner{}, "null", message); !errors.Is(err, msgsig.ErrOrigin) {
		t.Errorf("SignMessage(null origin) while locked = %v, want ErrOrigin", err)
	}
	if err := w.Unlock(testPassword); err != nil {
		t.Fatal(err)
	}
	if again, err := w.SignMessage(ids.Owner{}, origin, message); err != nil || again != s {
		t.Errorf("SignMessage after Unlock = %+v, %v, want %+v (Ed25519 is deterministic)", again, err, s)
	}
}
