package vault

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// TestBIP39Vectors checks phrases and seeds against BIP-39's English test
// vectors (testdata/bip39.json: entropy, phrase, and seed with the
// passphrase "TREZOR", as in the BIP's vectors).
func TestBIP39Vectors(t *testing.T) {
	var vectors []struct{ Entropy, Mnemonic, Passphrase, Seed string }
	readJSON(t, "testdata/bip39.json", &vectors)
	for _, v := range vectors {
		entropy := mustHex(t, v.Entropy)
		words := len(entropy) * 3 / 4
		m, err := NewMnemonic(bytes.NewReader(entropy), words)
		if err != nil || m != v.Mnemonic {
			t.Errorf("NewMnemonic(%s, %d) = %q, %v; want %q", v.Entropy, words, m, err, v.Mnemonic)
		}
		canonical, got, err := parseMnemonic(v.Mnemonic)
		if err != nil || canonical != v.Mnemonic || !bytes.Equal(got, entropy) {
			t.Errorf("parseMnemonic(%q) = %q, %x, %v; want entropy %s", v.Mnemonic, canonical, got, err, v.Entropy)
		}
		seed, err := Seed(v.Mnemonic, v.Passphrase)
		if err != nil || hex.EncodeToString(seed) != v.Seed {
			t.Errorf("Seed(%q, %q) = %x, %v; want %s", v.Mnemonic, v.Passphrase, seed, err, v.Seed)
		}
	}
}

func TestMnemonicErrors(t *testing.T) {
	const good = "legal winner thank year wave sausage worth useful legal winner thank yellow"
	words := strings.Fields(good)
	for _, tc := range []struct {
		name, phrase string
		want         error
	}{
		{"unknown word", strings.Replace(good, "thank", "thanks", 1), ErrUnknownWord},
		{"checksum", strings.Replace(good, "yellow", "wave", 1), ErrChecksum},
		{"swapped words", strings.Replace(good, "legal winner", "winner legal", 1), ErrChecksum},
		{"11 words", strings.Join(words[:11], " "), ErrWordCount},
		{"13 words", good + " legal", ErrWordCount},
		{"27 words", strings.Repeat("abandon ", 26) + "art", ErrWordCount},
		{"empty", " ", ErrWordCount},
	} {
		err := CheckMnemonic(tc.phrase)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: CheckMnemonic = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := Seed(tc.phrase, ""); !errors.Is(err, tc.want) {
			t.Errorf("%s: Seed = %v, want %v", tc.name, err, tc.want)
		}
	}
	err := CheckMnemonic(strings.Replace(good, "thank", "thanks", 1))
	if !strings.Contains(err.Error(), "word 3") || strings.Contains(err.Error(), "thanks") {
		t.Errorf("unknown word error %q: want it to name the position (word 3), not the word", err)
	}
}

func TestMnemonicNormalised(t *testing.T) {
	const phrase = "legal winner thank year wave sausage worth useful legal winner thank yellow"
	want, err := Seed(phrase, "")
	if err != nil {
		t.Fatal(err)
	}
	messy := "  Legal WINNER thank\tyear wave sausage worth useful legal winner\nthank yellow "
	if got, err := Seed(messy, ""); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Seed of the phrase in mixed case and spacing = %x, %v; want %x", got, err, want)
	}
	// NFKD: é as one code point and as e + combining acute give one seed.
	composed, _ := Seed(phrase, "caf\u00e9")
	decomposed, _ := Seed(phrase, "cafe\u0301")
	plain, _ := Seed(phrase, "cafe")
	if !bytes.Equal(composed, decomposed) || bytes.Equal(composed, plain) {
		t.Errorf("passphrase normalisation: composed %x, decomposed %x, plain %x; want the first two equal", composed[:4], decomposed[:4], plain[:4])
	}
}

func TestNewMnemonic(t *testing.T) {
	for _, tc := range []struct{ words, want int }{{0, 24}, {12, 12}, {18, 18}, {24, 24}} {
		m, err := NewMnemonic(nil, tc.words)
		if err != nil || len(strings.Fields(m)) != tc.want || CheckMnemonic(m) != nil {
			t.Errorf("NewMnemonic(nil, %d) = %q, %v; want %d valid words", tc.words, m, err, tc.want)
		}
	}
	a, _ := NewMnemonic(nil, 12)
	b, _ := NewMnemonic(nil, 12)
	if a == b {
		t.Errorf("two new phrases are equal: %q", a)
	}
	for _, n := range []int{11, 13, 25, 36, -3} {
		if _, err := NewMnemonic(nil, n); !errors.Is(err, ErrWordCount) {
			t.Errorf("NewMnemonic(nil, %d) = %v, want ErrWordCount", n, err)
		}
	}
	if _, err := NewMnemonic(bytes.NewReader(make([]byte, 31)), 24); err == nil {
		t.Errorf("NewMnemonic with 31 bytes of entropy for 24 words succeeded, want an error")
	}
}
