package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/keys"
)

// secretsVersion is the version of the sealed plaintext.
const secretsVersion = 1

// secrets is the plaintext a vault seals, as JSON (byte strings in
// base64). A later version may add fields; decodeSecrets refuses versions
// it does not know.
type secrets struct {
	Version int `json:"version"`
	// Entropy is the BIP-39 entropy (16 to 32 bytes): it gives the
	// recovery phrase back, for the user to write down again.
	Entropy []byte `json:"entropy"`
	// Seed is the 64-byte BIP-39 seed of the phrase and its passphrase:
	// every account key is derived from it, and with it the passphrase
	// need not be kept.
	Seed []byte `json:"seed"`
	// Accounts are the account indexes in use, in the order they were
	// added; the next new account is one past the largest.
	Accounts []uint32 `json:"accounts"`
	// Imported are the 32-byte ed25519 seeds of keys not derived from
	// the phrase, in the order they were added.
	Imported [][]byte `json:"imported"`
}

func (s *secrets) encode() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("vault: encode secrets: %w", err)
	}
	return b, nil
}

// decodeSecrets decodes and checks a plaintext. It is only ever given
// what authenticated under the vault's key.
func decodeSecrets(b []byte) (*secrets, error) {
	s := new(secrets)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%w: sealed secrets: %w", ErrFormat, err)
	}
	if err := s.check(); err != nil {
		s.wipe()
		return nil, err
	}
	return s, nil
}

func (s *secrets) check() error {
	switch {
	case s.Version != secretsVersion:
		return fmt.Errorf("%w: sealed secrets of version %d, this program reads version %d", ErrUnsupported, s.Version, secretsVersion)
	case len(s.Entropy) < 16 || len(s.Entropy) > 32 || len(s.Entropy)%4 != 0:
		return fmt.Errorf("%w: sealed secrets: entropy of %d bytes", ErrFormat, len(s.Entropy))
	case len(s.Seed) != SeedSize:
		return fmt.Errorf("%w: sealed secrets: seed of %d bytes", ErrFormat, len(s.Seed))
	}
	for i, a := range s.Accounts {
		if a >= Hardened || slices.Contains(s.Accounts[:i], a) {
			return fmt.Errorf("%w: sealed secrets: account %d out of range or listed twice", ErrFormat, a)
		}
	}
	for _, k := range s.Imported {
		if len(k) != keys.SeedSize {
			return fmt.Errorf("%w: sealed secrets: imported key seed of %d bytes", ErrFormat, len(k))
		}
	}
	return nil
}

// nextAccount returns one past the largest account in use, or 0.
func (s *secrets) nextAccount() (uint32, error) {
	if len(s.Accounts) == 0 {
		return 0, nil
	}
	next := slices.Max(s.Accounts) + 1
	if next >= Hardened {
		return 0, fmt.Errorf("vault: all %d accounts are in use", Hardened)
	}
	return next, nil
}

// wipe zeroes the secrets' bytes.
func (s *secrets) wipe() {
	clear(s.Entropy)
	clear(s.Seed)
	for _, k := range s.Imported {
		clear(k)
	}
	*s = secrets{}
}
