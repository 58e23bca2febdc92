package vault

import (
	"testing"

	"github.com/myriadchain/myriad/core/keys"
)

// BenchmarkDeriveKey is PBKDF2-HMAC-SHA256 at DefaultIterations in each
// suite of the build (under js/wasm: WebCrypto and Go compiled to Wasm).
func BenchmarkDeriveKey(b *testing.B) {
	salt := make([]byte, SaltSize)
	for _, s := range suites() {
		b.Run(s.name(), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.deriveKey(testPassword, salt, DefaultIterations); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSeal seals a vault with a new password at DefaultIterations
// (Reseal: PBKDF2, then AES-GCM).
func BenchmarkSeal(b *testing.B) {
	v := benchVault(b)
	for b.Loop() {
		if err := v.Reseal(testPassword, DefaultIterations); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnlock opens a vault sealed at DefaultIterations.
func BenchmarkUnlock(b *testing.B) {
	v := benchVault(b)
	v.Lock()
	for b.Loop() {
		if err := v.Unlock(testPassword); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextAccount adds an account: sealing again under the key in
// memory, without PBKDF2.
func BenchmarkNextAccount(b *testing.B) {
	v := benchVault(b)
	for b.Loop() {
		if _, err := v.NextAccount(); err != nil {
			b.Fatal(err)
		}
		v.sec.Accounts = v.sec.Accounts[:0]
	}
}

// BenchmarkDeriveAccount derives an account's key (SLIP-0010, five
// hardened steps, and the ed25519 public key).
func BenchmarkDeriveAccount(b *testing.B) {
	seed, _ := Seed(testPhrase, "")
	p, _ := AccountPath(7)
	var k *keys.PrivateKey
	for b.Loop() {
		k, _ = DeriveKey(seed, p)
	}
	_ = k
}

func benchVault(b *testing.B) *Vault {
	b.Helper()
	v, err := New(testPhrase, "", testPassword, testOptions())
	if err != nil {
		b.Fatal(err)
	}
	if err := v.Reseal(testPassword, DefaultIterations); err != nil {
		b.Fatal(err)
	}
	return v
}
