package msgsig

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// keyOf returns the key whose seed bytes are first, first+1, … (as in
// core/keys/testdata/vectors.json).
func keyOf(first byte) *keys.PrivateKey {
	var s [keys.SeedSize]byte
	for i := range s {
		s[i] = first + byte(i)
	}
	return keys.NewPrivateKey(s)
}

const (
	origin  = "https://app.example"
	message = "Sign in to app.example\nnonce: 8f3a1c"
)

func TestSignVerify(t *testing.T) {
	k, other := keyOf(1), keyOf(2)
	sig, err := Sign(k, origin, message)
	if err != nil {
		t.Fatalf("Sign(%q, %q) = %v", origin, message, err)
	}
	flipped := sig
	flipped[5] ^= 1
	tests := []struct {
		name            string
		pub             keys.PublicKey
		origin, message string
		sig             keys.Signature
		want            error
	}{
		{"good", k.Public(), origin, message, sig, nil},
		{"another origin", k.Public(), "https://evil.example", message, sig, keys.ErrBadSignature},
		{"another port", k.Public(), "https://app.example:8443", message, sig, keys.ErrBadSignature},
		{"http for https", k.Public(), "http://app.example", message, sig, keys.ErrBadSignature},
		{"a subdomain", k.Public(), "https://www.app.example", message, sig, keys.ErrBadSignature},
		{"tampered message", k.Public(), origin, strings.Replace(message, "8f3a1c", "8f3a1d", 1), sig, keys.ErrBadSignature},
		{"message with a newline more", k.Public(), origin, message + "\n", sig, keys.ErrBadSignature},
		// The lengths are in the digest: moving bytes between origin and
		// message changes it.
		{"bytes moved to the origin", k.Public(), origin + "s", strings.TrimPrefix(message, "s"), sig, keys.ErrBadSignature},
		{"another key", other.Public(), origin, message, sig, keys.ErrBadSignature},
		{"flipped bit", k.Public(), origin, message, flipped, keys.ErrBadSignature},
		{"zero signature", k.Public(), origin, message, keys.Signature{}, keys.ErrBadSignature},
		{"malformed origin", k.Public(), origin + "/", message, sig, ErrOrigin},
		{"empty message", k.Public(), origin, "", sig, ErrMessage},
	}
	for _, tt := range tests {
		err := Verify(tt.pub, tt.origin, tt.message, tt.sig)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify(%q, %q) = %v, want %v", tt.name, tt.origin, tt.message, err, tt.want)
		}
	}
}

// TestPayload pins the signed bytes down independently of the package,
// as docs/keys.md describes them for a server in another language.
func TestPayload(t *testing.T) {
	h := sha256.New()
	h.Write([]byte("myriad/offchain-message\x00"))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(origin))))
	h.Write([]byte(origin))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(message))))
	h.Write([]byte(message))
	want := append([]byte("myriad-sig/offchain-message\x00"), h.Sum(nil)...)
	if got := Payload(origin, message); string(got) != string(want) {
		t.Fatalf("Payload(%q, %q) = %x, want %x", origin, message, got, want)
	}
	k := keyOf(1)
	sig, err := Sign(k, origin, message)
	if err != nil {
		t.Fatal(err)
	}
	pub := k.Public()
	if !ed25519.Verify(pub[:], want, sig[:]) {
		t.Errorf("Sign(%q, %q) is not Ed25519 over the payload", origin, message)
	}
}

// TestVector is the test vector of docs/keys.md.
func TestVector(t *testing.T) {
	k := keyOf(1)
	sig, err := Sign(k, origin, message)
	if err != nil {
		t.Fatal(err)
	}
	const (
		wantPub     = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"
		wantPayload = "6d79726961642d7369672f6f6666636861696e2d6d65737361676500" +
			"6d01dead2737b54b946474d004f9c266c3620f46225fa4a705e55dc1b7ded7ad"
		wantSig = "09fa619160d7d73771b6542fc314ff81216533ea3c69b8c0943ab8db901a005d" +
			"139a8d705dd90585a44987709254d797c899dea41cb781d6501cd8a0d96afb0f"
	)
	if got := k.Public().String(); got != wantPub {
		t.Errorf("public key = %s, want %s", got, wantPub)
	}
	if got := hex.EncodeToString(Payload(origin, message)); got != wantPayload {
		t.Errorf("Payload = %s, want %s", got, wantPayload)
	}
	if got := sig.String(); got != wantSig {
		t.Errorf("signature = %s, want %s", got, wantSig)
	}
}

// TestNotAProtocolSignature checks that a message signature never passes
// for a block proposal or a validator's vote made with the same key: not
// over the same digest under the protocol's tags, not as a proposal of a
// block signed by the key's owner, not as a vote.
func TestNotAProtocolSignature(t *testing.T) {
	k := keyOf(1)
	sig, err := Sign(k, origin, message)
	if err != nil {
		t.Fatal(err)
	}
	d := Digest(origin, message)
	for _, tag := range []string{"proposal", "vote", "offchain-messag", "offchain-message\x00"} {
		if err := k.Public().Verify(tag, d, sig); !errors.Is(err, keys.ErrBadSignature) {
			t.Errorf("the message signature verifies under tag %q: %v", tag, err)
		}
	}
	p := &block.Proposal{Block: block.Block{Chain: ids.Sum("chain", nil), Signer: k.Owner()}, PublicKey: k.Public(), Signature: sig}
	if err := p.Verify(); !errors.Is(err, keys.ErrBadSignature) {
		t.Errorf("a proposal with the message signature: Verify() = %v, want %v", err, keys.ErrBadSignature)
	}
	for _, kind := range []block.Kind{block.Timeout, block.Validated, block.Confirmed} {
		v := block.Vote{Kind: kind, Hash: d, Validator: k.Public(), Signature: sig}
		if err := v.Verify(); !errors.Is(err, keys.ErrBadSignature) {
			t.Errorf("a %v vote for the digest with the message signature: Verify() = %v, want %v", kind, err, keys.ErrBadSignature)
		}
	}
	// The payloads differ from the protocol's from the first byte after
	// "myriad-sig/", and in length.
	for _, tag := range []string{"proposal", "vote"} {
		proto := "myriad-sig/" + tag + "\x00"
		if p := Payload(origin, message); strings.HasPrefix(string(p), proto) || len(p) == len(proto)+ids.HashSize {
			t.Errorf("Payload %x could be a %s payload", p, tag)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		origin, message string
		want            error
	}{
		{origin, message, nil},
		{"http://127.0.0.1:8090", "x", nil},
		{"http://localhost", "x", nil},
		{"http://[::1]:3000", "x", nil},
		{"https://xn--bcher-kva.example", "x", nil},
		{"https://my_host.example:65535", "x", nil},
		{origin, "tab\tand\r\nnewlines, ünïcödé, 絵文字 👍🏽", nil},
		{origin, strings.Repeat("a", MaxMessageSize), nil},

		{"", "x", ErrOrigin},
		{"null", "x", ErrOrigin},
		{"app.example", "x", ErrOrigin},
		{"https://app.example/", "x", ErrOrigin},
		{"https://app.example/login", "x", ErrOrigin},
		{"https://app.example?x=1", "x", ErrOrigin},
		{"https://app.example#x", "x", ErrOrigin},
		{"HTTPS://app.example", "x", ErrOrigin},
		{"https://App.example", "x", ErrOrigin},
		{"https://user@app.example", "x", ErrOrigin},
		{"https://app example", "x", ErrOrigin},
		{"https://", "x", ErrOrigin},
		{"https://:8080", "x", ErrOrigin},
		{"https://app.example:", "x", ErrOrigin},
		{"https://app.example:443", "x", ErrOrigin},
		{"http://app.example:80", "x", ErrOrigin},
		{"https://app.example:0", "x", ErrOrigin},
		{"https://app.example:080", "x", ErrOrigin},
		{"https://app.example:+80", "x", ErrOrigin},
		{"https://app.example:65536", "x", ErrOrigin},
		{"https://[::1", "x", ErrOrigin},
		{"https://[]", "x", ErrOrigin},
		{"https://[::G]", "x", ErrOrigin},
		{"ftp://app.example", "x", ErrOrigin},
		{"chrome-extension://elfcefhchegdnichncnddkihicdplome", "x", ErrOrigin},
		{"https://" + strings.Repeat("a", MaxOriginSize), "x", ErrOrigin},

		{origin, "", ErrMessage},
		{origin, strings.Repeat("a", MaxMessageSize+1), ErrTooLarge},
		{origin, "\xff", ErrMessage},
		{origin, "pay\x00", ErrMessage},
		{origin, "\x1b[2Jcleared", ErrMessage},
		{origin, "del\x7f", ErrMessage},
		{origin, "next line\u0085", ErrMessage},
	}
	for _, tt := range tests {
		err := Check(tt.origin, tt.message)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Check(%.40q, %.40q) = %v, want %v", tt.origin, tt.message, err, tt.want)
		}
		k := keyOf(3)
		if _, err := Sign(k, tt.origin, tt.message); tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Sign(%.40q, %.40q) = %v, want %v", tt.origin, tt.message, err, tt.want)
		}
	}
}

// FuzzSignVerify checks that nothing panics, that what Check accepts signs
// and verifies, and that any other origin or message does not verify.
func FuzzSignVerify(f *testing.F) {
	f.Add(origin, message, "https://evil.example", "x", []byte{})
	f.Add("http://[::1]:3000", "a\tb", "http://[::1]:3001", "a\tb ", make([]byte, 64))
	f.Add("https://a.example", "\x00", "", "", []byte("junk"))
	k := keyOf(7)
	f.Fuzz(func(t *testing.T, origin, message, origin2, message2 string, junk []byte) {
		var s keys.Signature
		copy(s[:], junk)
		_ = Verify(k.Public(), origin, message, s) // never panics
		sig, err := Sign(k, origin, message)
		if (err == nil) != (Check(origin, message) == nil) {
			t.Fatalf("Sign(%q, %q) = %v, but Check = %v", origin, message, err, Check(origin, message))
		}
		if err != nil {
			return
		}
		if err := Verify(k.Public(), origin, message, sig); err != nil {
			t.Fatalf("Verify(Sign(%q, %q)) = %v", origin, message, err)
		}
		if origin2 == origin && message2 == message {
			return
		}
		if err := Verify(k.Public(), origin2, message2, sig); err == nil {
			t.Fatalf("the signature of (%q, %q) verifies for (%q, %q)", origin, message, origin2, message2)
		}
	})
}
