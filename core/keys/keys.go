// Package keys holds Myriad's ed25519 keys and domain-separated signatures.
//
// A signature never covers a raw byte string: it covers
//
//	"myriad-sig/" + tag + "\x00" + hash
//
// where tag names the kind of value signed ("proposal", "vote", and
// "offchain-message" for the messages dApps ask a wallet to sign, package
// msgsig) and hash is the value's ids hash. No tag contains a zero byte, so
// a signature made for one kind of value never verifies as another.
package keys

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// Sizes of keys and signatures in bytes.
const (
	PublicKeySize = ed25519.PublicKeySize
	SignatureSize = ed25519.SignatureSize
	SeedSize      = ed25519.SeedSize
)

// ErrBadSignature is returned when a signature does not verify.
var ErrBadSignature = errors.New("keys: bad signature")

// PublicKey is an ed25519 public key.
type PublicKey [PublicKeySize]byte

// Signature is an ed25519 signature.
type Signature [SignatureSize]byte

// PrivateKey is an ed25519 private key. It never leaves the process that
// made it except encrypted in a wallet's vault.
type PrivateKey struct {
	key ed25519.PrivateKey
	pub PublicKey
}

// NewPrivateKey derives a key from a 32-byte seed.
func NewPrivateKey(seed [SeedSize]byte) *PrivateKey {
	k := ed25519.NewKeyFromSeed(seed[:])
	p := &PrivateKey{key: k}
	copy(p.pub[:], k[SeedSize:])
	return p
}

// Generate makes a key from rand.
func Generate(rand io.Reader) (*PrivateKey, error) {
	var seed [SeedSize]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, fmt.Errorf("keys: read seed: %w", err)
	}
	return NewPrivateKey(seed), nil
}

// Seed returns the 32-byte seed of k, for storage in a vault.
func (k *PrivateKey) Seed() [SeedSize]byte {
	var s [SeedSize]byte
	copy(s[:], k.key.Seed())
	return s
}

// Public returns k's public key.
func (k *PrivateKey) Public() PublicKey { return k.pub }

// Owner returns the owner id of k's public key.
func (k *PrivateKey) Owner() ids.Owner { return k.pub.Owner() }

func message(tag string, h ids.Hash) []byte {
	m := make([]byte, 0, 12+len(tag)+1+ids.HashSize)
	m = append(m, "myriad-sig/"...)
	m = append(m, tag...)
	m = append(m, 0)
	return append(m, h[:]...)
}

// Sign signs hash h as a value of kind tag.
func (k *PrivateKey) Sign(tag string, h ids.Hash) Signature {
	var s Signature
	copy(s[:], ed25519.Sign(k.key, message(tag, h)))
	return s
}

// Verify checks that s signs hash h as a value of kind tag under p.
func (p PublicKey) Verify(tag string, h ids.Hash, s Signature) error {
	if !ed25519.Verify(p[:], message(tag, h), s[:]) {
		return fmt.Errorf("%w: %s by %s", ErrBadSignature, tag, p.Short())
	}
	return nil
}

// Owner returns the owner id of p.
func (p PublicKey) Owner() ids.Owner { return ids.Sum("owner", p[:]) }

// String returns p in hex.
func (p PublicKey) String() string { return hex.EncodeToString(p[:]) }

// Short returns the first 8 hex digits of p.
func (p PublicKey) Short() string { return hex.EncodeToString(p[:4]) }

// IsZero reports whether p is all zeros.
func (p PublicKey) IsZero() bool { return p == PublicKey{} }

// Encode writes the 32 key bytes.
func (p PublicKey) Encode(w *codec.Writer) { w.Fixed(p[:]) }

// Decode reads 32 key bytes.
func (p *PublicKey) Decode(r *codec.Reader) { r.FixedInto(p[:]) }

// MarshalText encodes p as hex.
func (p PublicKey) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses hex.
func (p *PublicKey) UnmarshalText(b []byte) error {
	v, err := ParsePublicKey(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePublicKey parses 64 hex digits.
func ParsePublicKey(s string) (PublicKey, error) {
	var p PublicKey
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != PublicKeySize {
		return p, fmt.Errorf("keys: malformed public key %q", s)
	}
	copy(p[:], b)
	return p, nil
}

// Encode writes the 64 signature bytes.
func (s Signature) Encode(w *codec.Writer) { w.Fixed(s[:]) }

// Decode reads 64 signature bytes.
func (s *Signature) Decode(r *codec.Reader) { r.FixedInto(s[:]) }

// String returns s in hex.
func (s Signature) String() string { return hex.EncodeToString(s[:]) }

// MarshalText encodes s as hex.
func (s Signature) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses hex.
func (s *Signature) UnmarshalText(b []byte) error {
	v, err := ParseSignature(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSignature parses 128 hex digits.
func ParseSignature(s string) (Signature, error) {
	var sig Signature
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != SignatureSize {
		return sig, fmt.Errorf("keys: malformed signature %.140q: want %d hex digits", s, 2*SignatureSize)
	}
	copy(sig[:], b)
	return sig, nil
}
