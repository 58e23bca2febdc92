package msgsig

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// Tag names message signatures, in the digest (ids.Sum) and in the signed
// payload (keys.Sign).
const Tag = "offchain-message"

// Limits of what is signed, in bytes.
const (
	MaxMessageSize = 16 << 10
	MaxOriginSize  = 512
)

// Errors of Check, Sign and Verify (wrapped, with what is wrong). Verify
// returns keys.ErrBadSignature (wrapped) for a signature that does not
// verify.
var (
	ErrOrigin   = errors.New("msgsig: malformed origin")
	ErrMessage  = errors.New("msgsig: malformed message")
	ErrTooLarge = errors.New("msgsig: message too large")
)

// content is what the digest covers.
type content struct{ origin, message string }

func (c content) Encode(w *codec.Writer) {
	w.String(c.origin)
	w.String(c.message)
}

// Digest returns the hash that is signed for message at origin. It does
// not check them (Check does).
func Digest(origin, message string) ids.Hash { return ids.Of(Tag, content{origin, message}) }

// Payload returns the bytes Ed25519 signs for message at origin:
// "myriad-sig/offchain-message", a zero byte and the digest.
func Payload(origin, message string) []byte {
	d := Digest(origin, message)
	p := make([]byte, 0, len("myriad-sig/")+len(Tag)+1+len(d))
	p = append(p, "myriad-sig/"...)
	p = append(p, Tag...)
	p = append(p, 0)
	return append(p, d[:]...)
}

// Sign signs message for origin with k, after Check.
func Sign(k *keys.PrivateKey, origin, message string) (keys.Signature, error) {
	if err := Check(origin, message); err != nil {
		return keys.Signature{}, err
	}
	return k.Sign(Tag, Digest(origin, message)), nil
}

// Verify checks that sig is pub's signature of message for origin. It
// fails for an origin or message that Sign refuses.
func Verify(pub keys.PublicKey, origin, message string, sig keys.Signature) error {
	if err := Check(origin, message); err != nil {
		return err
	}
	return pub.Verify(Tag, Digest(origin, message), sig)
}

// Check returns nil if origin and message are what Sign accepts: a
// browser's serialised web origin and non-empty UTF-8 text of at most
// MaxMessageSize bytes without control characters other than tab, line
// feed and carriage return.
func Check(origin, message string) error {
	if err := CheckOrigin(origin); err != nil {
		return err
	}
	return checkMessage(message)
}

func checkMessage(m string) error {
	switch {
	case m == "":
		return fmt.Errorf("%w: empty", ErrMessage)
	case len(m) > MaxMessageSize:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(m), MaxMessageSize)
	case !utf8.ValidString(m):
		return fmt.Errorf("%w: not UTF-8 text", ErrMessage)
	}
	for i, r := range m {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Errorf("%w: control character %U at byte %d", ErrMessage, r, i)
		}
	}
	return nil
}
