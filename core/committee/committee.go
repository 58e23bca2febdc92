// Package committee describes the validators of an epoch and the resource
// policy they enforce.
//
// A committee lists validators with voting weights. With total weight N,
// validity = ceil(N/3) and quorum = ceil((N + validity)/2): for four
// validators of weight 1, validity is 2 and quorum is 3, so one faulty
// validator can neither block nor forge a certificate.
package committee

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// Epoch numbers committees in the order the admin chain creates them.
type Epoch = uint32

// Limits on a committee, enforced by New and Decode alike.
const (
	MaxValidators = 1024
	MaxAddress    = 256 // bytes of a validator's address
)

// ErrInvalid is returned for a malformed committee.
var ErrInvalid = errors.New("committee: invalid committee")

// Validator is one member of a committee.
type Validator struct {
	PublicKey keys.PublicKey
	Weight    uint64
	// Address is where clients reach the validator (e.g. "ws://127.0.0.1:9100").
	Address string
}

// Committee is the set of validators of an epoch and its resource policy.
// Validators are sorted by public key; a validator's index in that order is
// how certificates name it.
type Committee struct {
	Validators []Validator
	Policy     Policy
}

// New returns a committee of the given validators, sorted by public key.
func New(vals []Validator, policy Policy) (*Committee, error) {
	c := &Committee{Validators: slices.Clone(vals), Policy: policy}
	slices.SortFunc(c.Validators, func(a, b Validator) int { return bytes.Compare(a.PublicKey[:], b.PublicKey[:]) })
	if err := c.init(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Committee) init() error {
	if len(c.Validators) == 0 || len(c.Validators) > MaxValidators {
		return fmt.Errorf("%w: %d validators, want 1 to %d", ErrInvalid, len(c.Validators), MaxValidators)
	}
	var total uint64
	for i, v := range c.Validators {
		if len(v.Address) > MaxAddress {
			return fmt.Errorf("%w: address of %d bytes > %d", ErrInvalid, len(v.Address), MaxAddress)
		}
		if v.Weight == 0 {
			return fmt.Errorf("%w: validator %s has weight 0", ErrInvalid, v.PublicKey.Short())
		}
		if i > 0 && bytes.Compare(c.Validators[i-1].PublicKey[:], v.PublicKey[:]) >= 0 {
			return fmt.Errorf("%w: validators not sorted and unique", ErrInvalid)
		}
		if total+v.Weight < total || total+v.Weight > 1<<62 {
			return fmt.Errorf("%w: total weight overflows", ErrInvalid)
		}
		total += v.Weight
	}
	return nil
}

// TotalWeight returns the sum of all weights. It is summed on each call
// (at most MaxValidators entries) so that a committee built as a literal or
// read from JSON has the right quorum, never zero.
func (c *Committee) TotalWeight() uint64 {
	var total uint64
	for _, v := range c.Validators {
		total += v.Weight
	}
	return total
}

// Check reports whether c is well formed: validators sorted and unique,
// weights positive, within the limits.
func (c *Committee) Check() error { return c.init() }

// Validity returns ceil(total/3): any set this heavy holds an honest validator.
func (c *Committee) Validity() uint64 { return (c.TotalWeight() + 2) / 3 }

// Quorum returns ceil((total + validity)/2).
func (c *Committee) Quorum() uint64 { return (c.TotalWeight() + c.Validity() + 1) / 2 }

// Index returns the index of the validator with key pk.
func (c *Committee) Index(pk keys.PublicKey) (int, bool) {
	return slices.BinarySearchFunc(c.Validators, pk, func(v Validator, k keys.PublicKey) int {
		return bytes.Compare(v.PublicKey[:], k[:])
	})
}

// Weight returns the weight of pk, or 0 if it is not a member.
func (c *Committee) Weight(pk keys.PublicKey) uint64 {
	if i, ok := c.Index(pk); ok {
		return c.Validators[i].Weight
	}
	return 0
}

// Hash returns the committee's hash.
func (c *Committee) Hash() ids.Hash { return ids.Of("committee", c) }

// Encode writes the committee.
func (c *Committee) Encode(w *codec.Writer) {
	w.Count(len(c.Validators))
	for _, v := range c.Validators {
		v.PublicKey.Encode(w)
		w.U64(v.Weight)
		w.String(v.Address)
	}
	c.Policy.Encode(w)
}

// Decode reads a committee and checks it.
func (c *Committee) Decode(r *codec.Reader) {
	c.Validators = codec.List(r, MaxValidators, keys.PublicKeySize+12, func(r *codec.Reader) Validator {
		var v Validator
		v.PublicKey.Decode(r)
		v.Weight = r.U64()
		v.Address = r.String(MaxAddress)
		return v
	})
	c.Policy.Decode(r)
	if r.Err() == nil {
		if err := c.init(); err != nil {
			r.Fail(fmt.Errorf("%w: %w", codec.ErrInvalid, err))
		}
	}
}

// Clone returns a deep copy of c.
func (c *Committee) Clone() *Committee {
	d := *c
	d.Validators = slices.Clone(c.Validators)
	return &d
}
