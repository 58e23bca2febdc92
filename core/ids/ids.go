// Package ids defines Myriad's hashes and identifiers.
//
// Every hash is SHA-256 over a domain tag and a canonical encoding:
//
//	SHA-256("myriad/" + tag + "\x00" + codec.Marshal(v))
//
// so two values of different kinds never share a hash even when their
// encodings are equal. Identifiers are hashes: a ChainID is the hash of the
// chain's Description, an Owner the hash of a public key, a BlobID the hash
// of the blob's content and an ApplicationID the hash of the application's
// description.
package ids

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/myriadchain/myriad/core/codec"
)

// HashSize is the size of a Hash in bytes.
const HashSize = 32

// Hash is a SHA-256 digest.
type Hash [HashSize]byte

// ErrBadHex is returned when a textual identifier cannot be parsed.
var ErrBadHex = errors.New("ids: malformed hex identifier")

// Sum returns SHA-256("myriad/" + tag + "\x00" + data).
func Sum(tag string, data []byte) Hash {
	h := sha256.New()
	h.Write([]byte("myriad/"))
	h.Write([]byte(tag))
	h.Write([]byte{0})
	h.Write(data)
	var out Hash
	h.Sum(out[:0])
	return out
}

// Of returns the tagged hash of v's canonical encoding.
func Of(tag string, v codec.Encoder) Hash { return Sum(tag, codec.Marshal(v)) }

// IsZero reports whether h is all zeros.
func (h Hash) IsZero() bool { return h == Hash{} }

// String returns h in lowercase hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Short returns the first 8 hex digits of h, for logs.
func (h Hash) Short() string { return hex.EncodeToString(h[:4]) }

// Encode writes the 32 bytes of h.
func (h Hash) Encode(w *codec.Writer) { w.Fixed(h[:]) }

// Decode reads 32 bytes into h.
func (h *Hash) Decode(r *codec.Reader) { r.FixedInto(h[:]) }

// MarshalText encodes h as hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses hex.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHash parses 64 hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != HashSize {
		return h, fmt.Errorf("%w: %q", ErrBadHex, s)
	}
	copy(h[:], b)
	return h, nil
}

// ChainID identifies a microchain: the hash of its Description.
type ChainID = Hash

// Owner identifies a key holder: the hash of an ed25519 public key. The
// zero Owner stands for the chain's own account in an Account.
type Owner = Hash

// BlobID identifies a blob by the hash of its content.
type BlobID = Hash

// ApplicationID identifies an application by the hash of its description.
// The zero ApplicationID is the system application.
type ApplicationID = Hash

// Description is where a chain comes from. Exactly one of Root or Child is
// meaningful: IsRoot selects.
type Description struct {
	IsRoot bool
	// Root is the index of a chain created at genesis.
	Root uint32
	// Parent, Height and Index name the OpenChain operation that made a
	// child chain: the parent chain, its block height and the operation's
	// index among the chains opened in that block.
	Parent ChainID
	Height uint64
	Index  uint32
}

// RootDescription returns the description of genesis chain i.
func RootDescription(i uint32) Description { return Description{IsRoot: true, Root: i} }

// ChildDescription returns the description of a chain opened by parent.
func ChildDescription(parent ChainID, height uint64, index uint32) Description {
	return Description{Parent: parent, Height: height, Index: index}
}

// Encode writes the description.
func (d Description) Encode(w *codec.Writer) {
	if d.IsRoot {
		w.U8(0)
		w.U32(d.Root)
		return
	}
	w.U8(1)
	d.Parent.Encode(w)
	w.U64(d.Height)
	w.U32(d.Index)
}

// Decode reads a description.
func (d *Description) Decode(r *codec.Reader) {
	*d = Description{}
	if r.Tag(2) == 0 {
		d.IsRoot = true
		d.Root = r.U32()
		return
	}
	d.Parent.Decode(r)
	d.Height = r.U64()
	d.Index = r.U32()
}

// ID returns the chain id of the described chain.
func (d Description) ID() ChainID { return Of("chain", d) }

// String describes d for people.
func (d Description) String() string {
	if d.IsRoot {
		return fmt.Sprintf("root(%d)", d.Root)
	}
	return fmt.Sprintf("child(%s@%d#%d)", d.Parent.Short(), d.Height, d.Index)
}

// Account is a place that holds tokens: a chain's own account (zero Owner)
// or an owner's account on a chain.
type Account struct {
	Chain ChainID
	Owner Owner
}

// Encode writes the account.
func (a Account) Encode(w *codec.Writer) {
	a.Chain.Encode(w)
	a.Owner.Encode(w)
}

// Decode reads an account.
func (a *Account) Decode(r *codec.Reader) {
	a.Chain.Decode(r)
	a.Owner.Decode(r)
}

// String returns "CHAIN" or "CHAIN:OWNER" in hex.
func (a Account) String() string {
	if a.Owner.IsZero() {
		return a.Chain.String()
	}
	return a.Chain.String() + ":" + a.Owner.String()
}

// ParseAccount parses "CHAIN" or "CHAIN:OWNER".
func ParseAccount(s string) (Account, error) {
	var a Account
	chain, owner, hasOwner := strings.Cut(s, ":")
	c, err := ParseHash(chain)
	if err != nil {
		return a, fmt.Errorf("parse account chain: %w", err)
	}
	a.Chain = c
	if hasOwner {
		o, err := ParseHash(owner)
		if err != nil {
			return a, fmt.Errorf("parse account owner: %w", err)
		}
		a.Owner = o
	}
	return a, nil
}
