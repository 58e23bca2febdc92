package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The sealed format, version 1.
const (
	// Version is the sealed format this package reads and writes.
	Version = 1
	// KDF names the key derivation: PBKDF2 with HMAC-SHA256, a 32-byte key.
	KDF = "pbkdf2-hmac-sha256"
	// Cipher names the encryption: AES-256-GCM with a 16-byte tag.
	Cipher = "aes-256-gcm"
	// SaltSize is the size of the random salt of a new seal.
	SaltSize = 16
	// NonceSize is the size of the random GCM nonce of each seal.
	NonceSize = 12

	maxSaltSize   = 64
	checkSize     = 16
	tagSize       = 16
	maxCiphertext = 1 << 20
)

// Iteration counts of PBKDF2.
const (
	// DefaultIterations is what a new vault is sealed with: OWASP's 2023
	// figure for PBKDF2-HMAC-SHA256.
	DefaultIterations = 600_000
	// MinIterations is the least count Open accepts (unless
	// Options.InsecureMinIterations lowers it for tests): a vault whose
	// stored count was lowered is refused rather than unlocked cheaply.
	MinIterations = 600_000
	// MaxIterations is the most Open accepts: an edited count of 2^31
	// would make unlocking run for hours.
	MaxIterations = 20_000_000
)

// Errors of sealed vaults.
var (
	ErrFormat      = errors.New("vault: malformed vault")
	ErrUnsupported = errors.New("vault: unsupported vault format")
	ErrWeakKDF     = errors.New("vault: too few key derivation iterations")
)

// Sealed is a vault as it is stored, in JSON; byte strings are in base64.
// Only Ciphertext is secret. Version, KDF, Iterations, Salt and Cipher are
// the header: they are authenticated as GCM's additional data, and they
// determine the key, so changing any of them makes Unlock fail. KeyCheck
// tells a wrong password from damaged ciphertext.
type Sealed struct {
	Version    int    `json:"version"`
	KDF        string `json:"kdf"`
	Iterations int    `json:"iterations"`
	Salt       []byte `json:"salt"`
	Cipher     string `json:"cipher"`
	Nonce      []byte `json:"nonce"`
	// KeyCheck is the first 16 bytes of HMAC-SHA256(key, "myriad-vault
	// key check"): it verifies the derived key, and testing a password
	// against it costs an attacker the same PBKDF2 as the ciphertext.
	KeyCheck   []byte `json:"key_check"`
	Ciphertext []byte `json:"ciphertext"`
}

// ParseSealed decodes a sealed vault and checks its form (Validate).
// Unknown fields and trailing data are errors.
func ParseSealed(b []byte) (*Sealed, error) {
	s := new(Sealed)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the vault", ErrFormat)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Marshal encodes s as ParseSealed reads it.
func (s *Sealed) Marshal() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("vault: encode: %w", err)
	}
	return b, nil
}

// Validate checks the form of s: a known version, KDF and cipher
// (ErrUnsupported), sizes in range and a positive iteration count
// (ErrFormat). Whether the count is high enough is Open's question.
func (s *Sealed) Validate() error {
	switch {
	case s.Version != Version:
		return fmt.Errorf("%w: version %d, this program reads version %d", ErrUnsupported, s.Version, Version)
	case s.KDF != KDF:
		return fmt.Errorf("%w: key derivation %q, this program knows %q", ErrUnsupported, s.KDF, KDF)
	case s.Cipher != Cipher:
		return fmt.Errorf("%w: cipher %q, this program knows %q", ErrUnsupported, s.Cipher, Cipher)
	case s.Iterations <= 0 || s.Iterations > MaxIterations:
		return fmt.Errorf("%w: %d iterations, not between 1 and %d", ErrFormat, s.Iterations, MaxIterations)
	case len(s.Salt) < SaltSize || len(s.Salt) > maxSaltSize:
		return fmt.Errorf("%w: salt of %d bytes, not %d to %d", ErrFormat, len(s.Salt), SaltSize, maxSaltSize)
	case len(s.Nonce) != NonceSize || len(s.KeyCheck) != checkSize:
		return fmt.Errorf("%w: nonce or key check of the wrong size", ErrFormat)
	case len(s.Ciphertext) < tagSize || len(s.Ciphertext) > maxCiphertext:
		return fmt.Errorf("%w: ciphertext of %d bytes", ErrFormat, len(s.Ciphertext))
	}
	return nil
}

// aad is the header as GCM's additional data. The KDF and cipher names
// are known constants by then (Validate), so the encoding is unambiguous.
func (s *Sealed) aad() []byte {
	return fmt.Appendf(nil, "myriad-vault v%d %s %d %s %x", s.Version, s.KDF, s.Iterations, s.Cipher, s.Salt)
}

func (s *Sealed) clone() *Sealed {
	c := *s
	c.Salt = bytes.Clone(s.Salt)
	c.Nonce = bytes.Clone(s.Nonce)
	c.KeyCheck = bytes.Clone(s.KeyCheck)
	c.Ciphertext = bytes.Clone(s.Ciphertext)
	return &c
}
