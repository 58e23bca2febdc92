package vault

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cosmos/go-bip39"
	"golang.org/x/text/unicode/norm"
)

// DefaultWords is the length of a new recovery phrase: 24 words, 256 bits
// of entropy.
const DefaultWords = 24

// SeedSize is the size of a BIP-39 seed in bytes.
const SeedSize = 64

// Errors of recovery phrases. They never quote the phrase: it is a secret,
// and error messages end up in logs.
var (
	ErrWordCount   = errors.New("vault: a recovery phrase has 12, 15, 18, 21 or 24 words")
	ErrUnknownWord = errors.New("vault: recovery phrase word not in the BIP-39 English word list")
	ErrChecksum    = errors.New("vault: recovery phrase checksum does not match: a word is wrong or out of place")
)

// NewMnemonic returns a new BIP-39 recovery phrase (English word list) of
// words words: 12, 15, 18, 21 or 24, or 0 for DefaultWords. Its entropy
// comes from rand; nil means crypto/rand.
func NewMnemonic(rand io.Reader, words int) (string, error) {
	if words == 0 {
		words = DefaultWords
	}
	if !validWordCount(words) {
		return "", fmt.Errorf("%w, not %d", ErrWordCount, words)
	}
	entropy := make([]byte, words*4/3) // words*11 bits less one checksum bit in 33
	defer clear(entropy)
	if _, err := io.ReadFull(orCrypto(rand), entropy); err != nil {
		return "", fmt.Errorf("vault: read entropy: %w", err)
	}
	return mnemonicOf(entropy)
}

// CheckMnemonic returns nil if phrase is a valid BIP-39 recovery phrase,
// else an error wrapping ErrWordCount, ErrUnknownWord (saying which word)
// or ErrChecksum. Case and spacing do not matter.
func CheckMnemonic(phrase string) error {
	_, entropy, err := parseMnemonic(phrase)
	clear(entropy)
	return err
}

// Seed returns the 64-byte BIP-39 seed of a recovery phrase and an
// optional passphrase (the "25th word"; "" for none), after checking the
// phrase as CheckMnemonic does. The phrase is taken in its canonical form
// (lower case, single spaces) and both are normalised to Unicode NFKD, as
// BIP-39 says, so the seed is the one other BIP-39 wallets compute.
func Seed(phrase, passphrase string) ([]byte, error) {
	canonical, entropy, err := parseMnemonic(phrase)
	clear(entropy)
	if err != nil {
		return nil, err
	}
	return bip39.NewSeed(canonical, norm.NFKD.String(passphrase)), nil
}

// parseMnemonic returns the canonical form of phrase and its entropy.
func parseMnemonic(phrase string) (string, []byte, error) {
	words := strings.Fields(strings.ToLower(norm.NFKD.String(phrase)))
	if !validWordCount(len(words)) {
		return "", nil, fmt.Errorf("%w, not %d", ErrWordCount, len(words))
	}
	bits := make([]byte, (len(words)*11+7)/8)
	defer clear(bits)
	for i, w := range words {
		index, ok := bip39.ReverseWordMap[w]
		if !ok {
			return "", nil, fmt.Errorf("%w: word %d", ErrUnknownWord, i+1)
		}
		putBits(bits, i*11, uint16(index))
	}
	entropy := append([]byte{}, bits[:len(words)*4/3]...)
	canonical := strings.Join(words, " ")
	// The phrase is valid if encoding its entropy gives it back: that
	// recomputes the checksum words with the library's encoder.
	again, err := mnemonicOf(entropy)
	if err != nil || again != canonical {
		clear(entropy)
		return "", nil, ErrChecksum
	}
	return canonical, entropy, nil
}

// putBits writes the 11 low bits of v into b at bit offset off, most
// significant bit first.
func putBits(b []byte, off int, v uint16) {
	for i := range 11 {
		if v&(1<<(10-i)) != 0 {
			pos := off + i
			b[pos/8] |= 0x80 >> (pos % 8)
		}
	}
}

func mnemonicOf(entropy []byte) (string, error) {
	m, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return "", fmt.Errorf("vault: encode recovery phrase: %w", err)
	}
	return m, nil
}

func validWordCount(n int) bool { return n >= 12 && n <= 24 && n%3 == 0 }

func orCrypto(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}
