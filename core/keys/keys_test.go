package keys

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// seedOf returns the seed whose bytes are first, first+1, ….
func seedOf(first byte) [SeedSize]byte {
	var s [SeedSize]byte
	for i := range s {
		s[i] = first + byte(i)
	}
	return s
}

func TestSignVerify(t *testing.T) {
	k, other := NewPrivateKey(seedOf(1)), NewPrivateKey(seedOf(2))
	h, h2 := ids.Sum("test", []byte("a")), ids.Sum("test", []byte("b"))
	sig := k.Sign("vote", h)
	tests := []struct {
		name string
		pub  PublicKey
		tag  string
		hash ids.Hash
		sig  Signature
		ok   bool
	}{
		{"good", k.Public(), "vote", h, sig, true},
		{"other tag", k.Public(), "proposal", h, sig, false},
		{"tag prefix", k.Public(), "vot", h, sig, false},
		{"empty tag", k.Public(), "", h, sig, false},
		{"wrong key", other.Public(), "vote", h, sig, false},
		{"zero key", PublicKey{}, "vote", h, sig, false},
		{"wrong hash", k.Public(), "vote", h2, sig, false},
		{"zero signature", k.Public(), "vote", h, Signature{}, false},
		{"flipped bit", k.Public(), "vote", h, flip(sig, 10), false},
		{"flipped s bit", k.Public(), "vote", h, flip(sig, 40), false},
	}
	for _, tt := range tests {
		err := tt.pub.Verify(tt.tag, tt.hash, tt.sig)
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Verify(%q, %v) = %v, want ok=%v", tt.name, tt.tag, tt.hash.Short(), err, tt.ok)
		}
	}
}

func flip(s Signature, i int) Signature {
	s[i] ^= 1
	return s
}

// TestSignedMessage pins the signed message down independently of the
// package: ed25519 over "myriad-sig/" + tag + 0 + hash.
func TestSignedMessage(t *testing.T) {
	seed := seedOf(1)
	k := NewPrivateKey(seed)
	h := ids.Sum("test", []byte("x"))
	msg := append([]byte("myriad-sig/vote\x00"), h[:]...)
	want := ed25519.Sign(ed25519.NewKeyFromSeed(seed[:]), msg)
	if got := k.Sign("vote", h); !bytes.Equal(got[:], want) {
		t.Errorf("Sign(vote, %v) = %v, want ed25519 over myriad-sig/vote\\x00‖hash = %x", h.Short(), got, want)
	}
	// The tag is 0-terminated, so "vote"+hash and "vot"+"e"+… cannot collide.
	if k.Sign("vote", h) == k.Sign("votes", h) {
		t.Errorf("Sign(vote) = Sign(votes)")
	}
}

func TestKeys(t *testing.T) {
	seed := seedOf(1)
	k := NewPrivateKey(seed)
	if k.Seed() != seed {
		t.Errorf("Seed() = %x, want %x", k.Seed(), seed)
	}
	pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
	if got := k.Public(); !bytes.Equal(got[:], pub) {
		t.Errorf("Public() = %v, want %x", got, pub)
	}
	if got, want := k.Owner(), ids.Sum("owner", pub); got != want || k.Public().Owner() != want {
		t.Errorf("Owner() = %v, want %v", got, want)
	}
	if k.Public().IsZero() || !(PublicKey{}).IsZero() {
		t.Errorf("IsZero() wrong for %v or the zero key", k.Public())
	}
	if got := k.Public().Short(); got != k.Public().String()[:8] {
		t.Errorf("Short() = %q, want %q", got, k.Public().String()[:8])
	}
	if k.Owner() == NewPrivateKey(seedOf(2)).Owner() {
		t.Errorf("two keys share an owner")
	}
}

func TestGenerate(t *testing.T) {
	seed := seedOf(5)
	k, err := Generate(bytes.NewReader(seed[:]))
	if err != nil || k.Seed() != seed {
		t.Errorf("Generate(seed reader) = %v, %v, want the key of seed %x", k, err, seed)
	}
	if _, err := Generate(bytes.NewReader(seed[:31])); err == nil {
		t.Errorf("Generate(31 bytes) = nil error, want a read error")
	}
}

func TestParsePublicKey(t *testing.T) {
	pub := NewPrivateKey(seedOf(1)).Public()
	s := pub.String()
	tests := []struct {
		in string
		ok bool
	}{
		{s, true},
		{strings.ToUpper(s), true},
		{"", false},
		{s[:62], false},
		{s + "00", false},
		{s[:63], false},
		{s[:62] + "zz", false},
	}
	for _, tt := range tests {
		got, err := ParsePublicKey(tt.in)
		if tt.ok && (err != nil || got != pub) || !tt.ok && err == nil {
			t.Errorf("ParsePublicKey(%q) = %v, %v, want ok=%v", tt.in, got, err, tt.ok)
		}
	}
	text, _ := pub.MarshalText()
	var back PublicKey
	if err := back.UnmarshalText(text); err != nil || back != pub {
		t.Errorf("UnmarshalText(%s) = %v, %v, want %v", text, back, err, pub)
	}
	if err := back.UnmarshalText([]byte("00")); err == nil || back != pub {
		t.Errorf("UnmarshalText(00) = %v leaving %v, want an error leaving %v", err, back, pub)
	}
}

func TestParseSignature(t *testing.T) {
	sig := NewPrivateKey(seedOf(1)).Sign("vote", ids.Hash{})
	s := sig.String()
	tests := []struct {
		in string
		ok bool
	}{
		{s, true},
		{strings.ToUpper(s), true},
		{"", false},
		{s[:126], false},
		{s + "00", false},
		{s[:127], false},
		{s[:126] + "zz", false},
		{" " + s, false},
	}
	for _, tt := range tests {
		got, err := ParseSignature(tt.in)
		if tt.ok && (err != nil || got != sig) || !tt.ok && err == nil {
			t.Errorf("ParseSignature(%q) = %v, %v, want ok=%v", tt.in, got, err, tt.ok)
		}
	}
	text, _ := sig.MarshalText()
	var back Signature
	if err := back.UnmarshalText(text); err != nil || back != sig {
		t.Errorf("UnmarshalText(%s) = %v, %v, want %v", text, back, err, sig)
	}
	if err := back.UnmarshalText([]byte("00")); err == nil || back != sig {
		t.Errorf("UnmarshalText(00) = %v leaving %v, want an error leaving %v", err, back, sig)
	}
}

// FuzzParseSignature checks that parsing never panics and that what
// parses prints back as its input (in lowercase).
func FuzzParseSignature(f *testing.F) {
	f.Add(NewPrivateKey(seedOf(1)).Sign("vote", ids.Hash{}).String())
	f.Add("zz")
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := ParseSignature(s)
		if err != nil {
			return
		}
		if got := sig.String(); got != strings.ToLower(s) {
			t.Fatalf("ParseSignature(%q).String() = %q", s, got)
		}
	})
}

func TestEncoding(t *testing.T) {
	k := NewPrivateKey(seedOf(1))
	pub, sig := k.Public(), k.Sign("vote", ids.Hash{})
	var pub2 PublicKey
	if err := codec.Unmarshal(codec.Marshal(pub), &pub2); err != nil || pub2 != pub || len(codec.Marshal(pub)) != PublicKeySize {
		t.Errorf("Unmarshal(Marshal(%v)) = %v, %v", pub, pub2, err)
	}
	var sig2 Signature
	if err := codec.Unmarshal(codec.Marshal(sig), &sig2); err != nil || sig2 != sig || len(codec.Marshal(sig)) != SignatureSize {
		t.Errorf("Unmarshal(Marshal(%v)) = %v, %v", sig, sig2, err)
	}
	if got := sig.String(); len(got) != 2*SignatureSize {
		t.Errorf("Signature.String() has %d digits, want %d", len(got), 2*SignatureSize)
	}
	if err := codec.Unmarshal(make([]byte, 63), &sig2); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("Unmarshal(63 bytes) = %v, want %v", err, codec.ErrTruncated)
	}
}
