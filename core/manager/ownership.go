package manager

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// MaxOwners bounds the number of super owners and of owners of a chain.
const MaxOwners = 1024

// Default timeouts, in microseconds.
const (
	DefaultBaseTimeout      = 10_000_000
	DefaultTimeoutIncrement = 1_000_000
)

// DefaultMultiLeaderRounds is the number of multi-leader rounds of the
// chains made by Single, SingleSuper and Linera's equivalents.
const DefaultMultiLeaderRounds = 5

// DefaultWeight is the weight Single and Multi give each owner.
const DefaultWeight = 100

// maxTotalWeight bounds the sum of owner weights so it never overflows.
const maxTotalWeight = 1 << 62

// ErrInvalidOwnership is returned (wrapped) by Validate.
var ErrInvalidOwnership = errors.New("manager: invalid ownership")

// TimeoutConfig says how long rounds last, in microseconds.
type TimeoutConfig struct {
	// FastRoundDuration is how long the fast round lasts when the chain
	// also has regular owners; 0 means it never times out.
	FastRoundDuration uint64
	// BaseTimeout is the duration of single-leader and validator round 0
	// and of the last multi-leader round. It must be positive.
	BaseTimeout uint64
	// TimeoutIncrement is added per single-leader or validator round.
	TimeoutIncrement uint64
}

// DefaultTimeouts returns a base timeout of 10 s, an increment of 1 s and
// a fast round that never times out.
func DefaultTimeouts() TimeoutConfig {
	return TimeoutConfig{BaseTimeout: DefaultBaseTimeout, TimeoutIncrement: DefaultTimeoutIncrement}
}

// OwnerWeight is a regular owner and its weight in leader elections.
type OwnerWeight struct {
	Owner  ids.Owner
	Weight uint64
}

// Ownership says who may propose blocks on a chain, and in which rounds.
type Ownership struct {
	// SuperOwners may propose in the fast round. Sorted, unique.
	SuperOwners []ids.Owner
	// Owners may propose in multi-leader rounds and lead single-leader
	// rounds in proportion to their weight. Sorted by owner, unique,
	// weights positive.
	Owners []OwnerWeight
	// MultiLeaderRounds is the number of multi-leader rounds before the
	// single-leader rounds begin.
	MultiLeaderRounds uint32
	// OpenMultiLeaderRounds lets anyone propose in multi-leader rounds.
	OpenMultiLeaderRounds bool
	Timeouts              TimeoutConfig
}

// Single returns the ownership of a chain with one regular owner: blocks
// take two phases (validated, then confirmed) in multi-leader rounds. It is
// the default for user chains because it stays live even if the owner's key
// proposes two different blocks from two devices: the owner proposes again
// in a later multi-leader round.
func Single(owner ids.Owner) Ownership {
	return Ownership{
		Owners:            []OwnerWeight{{owner, DefaultWeight}},
		MultiLeaderRounds: DefaultMultiLeaderRounds,
		Timeouts:          DefaultTimeouts(),
	}
}

// SingleSuper returns the ownership of a chain with one super owner:
// blocks are confirmed in one phase in the fast round. Opt-in: if the owner
// ever proposes two different blocks at one height, the chain can be stuck
// for good.
func SingleSuper(owner ids.Owner) Ownership {
	return Ownership{
		SuperOwners:       []ids.Owner{owner},
		MultiLeaderRounds: DefaultMultiLeaderRounds,
		Timeouts:          DefaultTimeouts(),
	}
}

// Multi returns the ownership of a chain shared by owners of equal weight,
// with multiLeaderRounds cooperative rounds before leaders take turns.
// Owners are sorted and duplicates dropped.
func Multi(owners []ids.Owner, multiLeaderRounds uint32) Ownership {
	sorted := slices.Clone(owners)
	slices.SortFunc(sorted, compareOwners)
	sorted = slices.Compact(sorted)
	o := Ownership{MultiLeaderRounds: multiLeaderRounds, Timeouts: DefaultTimeouts()}
	for _, owner := range sorted {
		o.Owners = append(o.Owners, OwnerWeight{owner, DefaultWeight})
	}
	return o
}

func compareOwners(a, b ids.Owner) int { return bytes.Compare(a[:], b[:]) }

// Validate checks that owner lists are sorted, unique and bounded, that
// weights are positive and their sum bounded, and that the base timeout is
// positive.
func (o Ownership) Validate() error {
	if len(o.SuperOwners) > MaxOwners || len(o.Owners) > MaxOwners {
		return fmt.Errorf("%w: more than %d owners", ErrInvalidOwnership, MaxOwners)
	}
	for i := 1; i < len(o.SuperOwners); i++ {
		if compareOwners(o.SuperOwners[i-1], o.SuperOwners[i]) >= 0 {
			return fmt.Errorf("%w: super owners not sorted and unique", ErrInvalidOwnership)
		}
	}
	if err := o.validateOwners(); err != nil {
		return err
	}
	if o.Timeouts.BaseTimeout == 0 {
		return fmt.Errorf("%w: base timeout is 0", ErrInvalidOwnership)
	}
	return nil
}

func (o Ownership) validateOwners() error {
	var total uint64
	for i, ow := range o.Owners {
		if i > 0 && compareOwners(o.Owners[i-1].Owner, ow.Owner) >= 0 {
			return fmt.Errorf("%w: owners not sorted and unique", ErrInvalidOwnership)
		}
		if ow.Weight == 0 {
			return fmt.Errorf("%w: owner %s has weight 0", ErrInvalidOwnership, ow.Owner.Short())
		}
		if ow.Weight > maxTotalWeight-total {
			return fmt.Errorf("%w: total weight exceeds 2^62", ErrInvalidOwnership)
		}
		total += ow.Weight
	}
	return nil
}

// IsOwner reports whether o is a regular owner.
func (o Ownership) IsOwner(owner ids.Owner) bool {
	_, ok := slices.BinarySearchFunc(o.Owners, owner, func(ow OwnerWeight, t ids.Owner) int {
		return compareOwners(ow.Owner, t)
	})
	return ok
}

// IsSuperOwner reports whether o is a super owner.
func (o Ownership) IsSuperOwner(owner ids.Owner) bool {
	_, ok := slices.BinarySearchFunc(o.SuperOwners, owner, compareOwners)
	return ok
}

// TotalWeight returns the sum of the regular owners' weights.
func (o Ownership) TotalWeight() uint64 {
	var total uint64
	for _, ow := range o.Owners {
		total += ow.Weight
	}
	return total
}

func (o Ownership) hasOwners() bool { return len(o.Owners) > 0 || len(o.SuperOwners) > 0 }

// FirstRound returns the round a height starts in: Fast if the chain has
// super owners; else validator round 0 if it has no owners (a public
// chain); else multi-leader round 0 if it has multi-leader rounds; else
// single-leader round 0.
func (o Ownership) FirstRound() block.Round {
	switch {
	case len(o.SuperOwners) > 0:
		return block.Round{Kind: block.Fast}
	case len(o.Owners) == 0:
		return block.Round{Kind: block.ValidatorRound}
	case o.MultiLeaderRounds > 0:
		return block.Round{Kind: block.MultiLeader}
	}
	return block.Round{Kind: block.SingleLeader}
}

// NextRound returns the round a timeout certificate for r leads to: after
// Fast comes multi-leader round 0 (single-leader round 0 if there are no
// multi-leader rounds); after the last multi-leader round comes
// single-leader round 0; otherwise the number goes up by one. A round
// numbered math.MaxUint32 is its own successor.
func (o Ownership) NextRound(r block.Round) block.Round {
	switch r.Kind {
	case block.Fast:
		if o.MultiLeaderRounds > 0 {
			return block.Round{Kind: block.MultiLeader}
		}
		return block.Round{Kind: block.SingleLeader}
	case block.MultiLeader:
		if uint64(r.Number)+1 >= uint64(o.MultiLeaderRounds) {
			return block.Round{Kind: block.SingleLeader}
		}
	}
	if r.Number == math.MaxUint32 {
		return r
	}
	return block.Round{Kind: r.Kind, Number: r.Number + 1}
}

// HasRound reports whether the chain has round r: the fast round needs a
// super owner, multi-leader round k needs k < MultiLeaderRounds and some
// owner, single-leader rounds need some owner, and validator rounds exist
// on every chain.
func (o Ownership) HasRound(r block.Round) bool {
	switch r.Kind {
	case block.Fast:
		return len(o.SuperOwners) > 0
	case block.MultiLeader:
		return r.Number < o.MultiLeaderRounds && o.hasOwners()
	case block.SingleLeader:
		return o.hasOwners()
	}
	return true
}

// RoundDuration returns how long round r lasts before validators sign a
// timeout for it, and false if it never times out. The fast round lasts
// FastRoundDuration if the chain has regular owners to take over (never if
// that is 0); of the multi-leader rounds only the last times out, after
// BaseTimeout; single-leader and validator round n last BaseTimeout +
// n*TimeoutIncrement, saturating.
func (o Ownership) RoundDuration(r block.Round) (uint64, bool) {
	t := o.Timeouts
	switch r.Kind {
	case block.Fast:
		return t.FastRoundDuration, len(o.Owners) > 0 && t.FastRoundDuration > 0
	case block.MultiLeader:
		return t.BaseTimeout, uint64(r.Number)+1 == uint64(o.MultiLeaderRounds)
	}
	return saturatingAdd(t.BaseTimeout, saturatingMul(uint64(r.Number), t.TimeoutIncrement)), true
}

func saturatingAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}

func saturatingMul(a, b uint64) uint64 {
	if a != 0 && b > math.MaxUint64/a {
		return math.MaxUint64
	}
	return a * b
}

// Encode writes o.
func (o Ownership) Encode(w *codec.Writer) {
	codec.WriteListOf(w, o.SuperOwners)
	codec.WriteList(w, o.Owners, func(w *codec.Writer, ow OwnerWeight) {
		ow.Owner.Encode(w)
		w.U64(ow.Weight)
	})
	w.U32(o.MultiLeaderRounds)
	w.Bool(o.OpenMultiLeaderRounds)
	w.U64(o.Timeouts.FastRoundDuration)
	w.U64(o.Timeouts.BaseTimeout)
	w.U64(o.Timeouts.TimeoutIncrement)
}

// Decode reads o and validates it.
func (o *Ownership) Decode(r *codec.Reader) {
	o.SuperOwners = codec.ListOf[ids.Owner](r, MaxOwners, ids.HashSize)
	o.Owners = codec.List(r, MaxOwners, ids.HashSize+8, func(r *codec.Reader) OwnerWeight {
		var ow OwnerWeight
		ow.Owner.Decode(r)
		ow.Weight = r.U64()
		return ow
	})
	o.MultiLeaderRounds = r.U32()
	o.OpenMultiLeaderRounds = r.Bool()
	o.Timeouts.FastRoundDuration = r.U64()
	o.Timeouts.BaseTimeout = r.U64()
	o.Timeouts.TimeoutIncrement = r.U64()
	if r.Err() == nil {
		if err := o.Validate(); err != nil {
			r.Fail(fmt.Errorf("%w: %w", codec.ErrInvalid, err))
		}
	}
}
