package vault

import (
	"bytes"
	"os"
	"slices"
	"testing"
)

// FuzzOpen feeds arbitrary bytes to the stored-vault decoder and to Open
// and Unlock: they never panic, and what parses encodes to something that
// parses to the same encoding.
func FuzzOpen(f *testing.F) {
	if b, err := os.ReadFile("testdata/sealed-v1.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"kdf":"pbkdf2-hmac-sha256","iterations":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA==",` +
		`"cipher":"aes-256-gcm","nonce":"AAAAAAAAAAAAAAAA","key_check":"AAAAAAAAAAAAAAAAAAAAAA==","ciphertext":"AAAAAAAAAAAAAAAAAAAAAA=="}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSealed(b)
		if err != nil {
			return
		}
		enc, err := s.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed vault: %v", err)
		}
		again, err := ParseSealed(enc)
		if err != nil {
			t.Fatalf("ParseSealed(Marshal(ParseSealed(%q))): %v", b, err)
		}
		if enc2, _ := again.Marshal(); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", enc, enc2)
		}
		if s.Iterations > 2*testIterations {
			return // too slow to unlock in a fuzzer
		}
		v, err := Open(s, Options{InsecureMinIterations: 1})
		if err != nil {
			t.Fatalf("Open of a parsed vault with %d iterations: %v", s.Iterations, err)
		}
		if v.Unlock(testPassword) == nil && v.Locked() {
			t.Fatal("Unlock succeeded but the vault is locked")
		}
	})
}

// FuzzDecodeSecrets feeds arbitrary plaintexts to the secrets decoder
// (which in use only sees what authenticated): it never panics, and what
// decodes encodes and decodes to the same secrets.
func FuzzDecodeSecrets(f *testing.F) {
	v := &Vault{sec: &secrets{Version: 1, Entropy: make([]byte, 16), Seed: make([]byte, 64),
		Accounts: []uint32{0, 3}, Imported: [][]byte{make([]byte, 32)}}}
	if b, err := v.sec.encode(); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"entropy":"","seed":"","accounts":[2147483648],"imported":[""]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeSecrets(b)
		if err != nil {
			return
		}
		enc, err := s.encode()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := decodeSecrets(enc)
		if err != nil {
			t.Fatalf("decode(encode(decode(%q))): %v", b, err)
		}
		if !bytes.Equal(s.Seed, s2.Seed) || !bytes.Equal(s.Entropy, s2.Entropy) || !slices.Equal(s.Accounts, s2.Accounts) ||
			!slices.EqualFunc(s.Imported, s2.Imported, bytes.Equal) {
			t.Fatalf("secrets changed in a round trip: %+v, %+v", s, s2)
		}
		if _, err := s.nextAccount(); err != nil && len(s.Accounts) == 0 {
			t.Fatalf("nextAccount of no accounts: %v", err)
		}
	})
}

// FuzzCheckMnemonic: checking a phrase never panics (the BIP-39 library
// has panics of its own on paths we avoid), and a valid phrase gives a
// seed and encodes back from its entropy.
func FuzzCheckMnemonic(f *testing.F) {
	f.Add(testPhrase)
	f.Add("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")
	f.Add("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong")
	f.Fuzz(func(t *testing.T, phrase string) {
		canonical, entropy, err := parseMnemonic(phrase)
		if err != nil {
			return
		}
		if again, err := mnemonicOf(entropy); err != nil || again != canonical {
			t.Fatalf("phrase %q: entropy %x encodes to %q, %v", canonical, entropy, again, err)
		}
		if seed, err := Seed(phrase, ""); err != nil || len(seed) != SeedSize {
			t.Fatalf("Seed(%q) = %x, %v", phrase, seed, err)
		}
	})
}

// FuzzParsePath: parsing never panics and a parsed path prints as a path
// that parses to the same indexes.
func FuzzParsePath(f *testing.F) {
	f.Add("m/44'/19801'/0'/0'/0'")
	f.Add("m/0h/1H/2'")
	f.Add("m/0")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		q, err := ParsePath(p.String())
		if err != nil || !slices.Equal(p, q) {
			t.Fatalf("ParsePath(%q) = %v; its String %q parses to %v, %v", s, p, p.String(), q, err)
		}
	})
}
