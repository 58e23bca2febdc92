package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"errors"
	"fmt"
)

// keySize is the size of the AES-256 key PBKDF2 derives.
const keySize = 32

// errAuth is returned by suite.open when the ciphertext does not
// authenticate under the key and additional data.
var errAuth = errors.New("vault: message authentication failed")

// suite is the password-based encryption a vault is sealed with:
// PBKDF2-HMAC-SHA256 and AES-256-GCM. In the browser it is WebCrypto
// (suite_js.go), elsewhere the Go standard library (goSuite); both give the
// same bytes for the same input, which the tests check against one vector.
//
// Implementations must be safe for concurrent use. They may block (the
// WebCrypto one waits for promises), so under js/wasm they must not be
// called from inside a js.FuncOf callback.
type suite interface {
	// name says which implementation this is, for tests and errors.
	name() string
	// deriveKey returns the keySize-byte PBKDF2-HMAC-SHA256 key of
	// password (its UTF-8 bytes) and salt after iterations rounds.
	deriveKey(password string, salt []byte, iterations int) ([]byte, error)
	// seal encrypts and authenticates plaintext and authenticates aad with
	// AES-256-GCM under key and a 12-byte nonce; the result is the
	// ciphertext followed by the 16-byte tag.
	seal(key, nonce, plaintext, aad []byte) ([]byte, error)
	// open reverses seal; errAuth if ciphertext, nonce, aad or key differ
	// from the ones sealed with.
	open(key, nonce, ciphertext, aad []byte) ([]byte, error)
}

// goSuite is the suite of the Go standard library.
type goSuite struct{}

func (goSuite) name() string { return "go" }

func (goSuite) deriveKey(password string, salt []byte, iterations int) ([]byte, error) {
	k, err := pbkdf2.Key(sha256.New, password, salt, iterations, keySize)
	if err != nil {
		return nil, fmt.Errorf("vault: pbkdf2: %w", err)
	}
	return k, nil
}

func (goSuite) seal(key, nonce, plaintext, aad []byte) ([]byte, error) {
	g, err := newGCM(key, nonce)
	if err != nil {
		return nil, err
	}
	return g.Seal(nil, nonce, plaintext, aad), nil
}

func (goSuite) open(key, nonce, ciphertext, aad []byte) ([]byte, error) {
	g, err := newGCM(key, nonce)
	if err != nil {
		return nil, err
	}
	p, err := g.Open(nil, nonce, ciphertext, aad)
	if err != nil {
		return nil, errAuth
	}
	return p, nil
}

func newGCM(key, nonce []byte) (cipher.AEAD, error) {
	if len(key) != keySize || len(nonce) != NonceSize {
		return nil, fmt.Errorf("vault: aes-gcm needs a %d-byte key and a %d-byte nonce", keySize, NonceSize)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return g, nil
}
