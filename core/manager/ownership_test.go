package manager

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

const (
	second = 1_000_000 // microseconds
	t0     = 1_700_000_000 * second
)

// key returns a deterministic key; kind separates validators from owners.
func key(kind, i byte) *keys.PrivateKey {
	var seed [keys.SeedSize]byte
	seed[0], seed[1] = kind, i
	return keys.NewPrivateKey(seed)
}

func ownerKey(i byte) *keys.PrivateKey { return key('o', i) }

func ml(k uint32) block.Round { return block.Round{Kind: block.MultiLeader, Number: k} }
func sl(k uint32) block.Round { return block.Round{Kind: block.SingleLeader, Number: k} }

var fast = block.Round{Kind: block.Fast}

var (
	alice = ownerKey(1).Owner()
	bob   = ownerKey(2).Owner()
)

func withSuper(o Ownership, supers ...ids.Owner) Ownership {
	o.SuperOwners = supers
	return o
}

func TestFirstRound(t *testing.T) {
	tests := []struct {
		name string
		own  Ownership
		want block.Round
	}{
		{"single", Single(alice), ml(0)},
		{"single super", SingleSuper(alice), fast},
		{"super and owners", withSuper(Multi([]ids.Owner{bob}, 2), alice), fast},
		{"public", Ownership{Timeouts: DefaultTimeouts()}, block.Round{Kind: block.ValidatorRound}},
		{"no multi-leader rounds", Multi([]ids.Owner{alice, bob}, 0), sl(0)},
	}
	for _, tt := range tests {
		if got := tt.own.FirstRound(); got != tt.want {
			t.Errorf("%s: FirstRound() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNextRound(t *testing.T) {
	three := Multi([]ids.Owner{alice}, 3)
	none := Multi([]ids.Owner{alice}, 0)
	v := func(k uint32) block.Round { return block.Round{Kind: block.ValidatorRound, Number: k} }
	tests := []struct {
		own     Ownership
		r, want block.Round
	}{
		{three, fast, ml(0)},
		{none, fast, sl(0)},
		{three, ml(0), ml(1)},
		{three, ml(1), ml(2)},
		{three, ml(2), sl(0)},
		{none, ml(0), sl(0)},
		{three, sl(0), sl(1)},
		{three, sl(41), sl(42)},
		{three, sl(math.MaxUint32), sl(math.MaxUint32)},
		{three, v(0), v(1)},
	}
	for _, tt := range tests {
		if got := tt.own.NextRound(tt.r); got != tt.want {
			t.Errorf("NextRound(%v) with %d multi-leader rounds = %v, want %v", tt.r, tt.own.MultiLeaderRounds, got, tt.want)
		}
	}
}

func TestRoundDuration(t *testing.T) {
	own := Multi([]ids.Owner{alice}, 3)
	own.Timeouts.FastRoundDuration = 5 * second
	superOnly := SingleSuper(alice)
	superOnly.Timeouts.FastRoundDuration = 5 * second
	tests := []struct {
		name string
		own  Ownership
		r    block.Round
		want uint64
		ok   bool
	}{
		{"fast with owners", own, fast, 5 * second, true},
		{"fast without owners", superOnly, fast, 0, false},
		{"fast without duration", Multi([]ids.Owner{alice}, 3), fast, 0, false},
		{"first multi-leader", own, ml(0), 0, false},
		{"last multi-leader", own, ml(2), 10 * second, true},
		{"single-leader 0", own, sl(0), 10 * second, true},
		{"single-leader 3", own, sl(3), 13 * second, true},
		{"validator 2", own, block.Round{Kind: block.ValidatorRound, Number: 2}, 12 * second, true},
		{"saturates", Ownership{Timeouts: TimeoutConfig{BaseTimeout: 1, TimeoutIncrement: math.MaxUint64}}, sl(2), math.MaxUint64, true},
	}
	for _, tt := range tests {
		got, ok := tt.own.RoundDuration(tt.r)
		if got != tt.want && tt.ok || ok != tt.ok {
			t.Errorf("%s: RoundDuration(%v) = %d, %v, want %d, %v", tt.name, tt.r, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHasRound(t *testing.T) {
	own := Multi([]ids.Owner{alice}, 2)
	public := Ownership{Timeouts: DefaultTimeouts()}
	tests := []struct {
		own  Ownership
		r    block.Round
		want bool
	}{
		{own, fast, false},
		{SingleSuper(alice), fast, true},
		{own, ml(1), true},
		{own, ml(2), false},
		{own, sl(9), true},
		{public, ml(0), false},
		{public, sl(0), false},
		{public, block.Round{Kind: block.ValidatorRound, Number: 3}, true},
	}
	for i, tt := range tests {
		if got := tt.own.HasRound(tt.r); got != tt.want {
			t.Errorf("%d: HasRound(%v) = %v, want %v", i, tt.r, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	lo, hi := alice, bob
	if bytes.Compare(lo[:], hi[:]) > 0 {
		lo, hi = hi, lo
	}
	base := DefaultTimeouts()
	tests := []struct {
		name string
		own  Ownership
		ok   bool
	}{
		{"single", Single(alice), true},
		{"single super", SingleSuper(alice), true},
		{"multi", Multi([]ids.Owner{bob, alice, bob}, 2), true},
		{"public", Ownership{Timeouts: base}, true},
		{"supers unsorted", Ownership{SuperOwners: []ids.Owner{hi, lo}, Timeouts: base}, false},
		{"supers repeated", Ownership{SuperOwners: []ids.Owner{lo, lo}, Timeouts: base}, false},
		{"owners unsorted", Ownership{Owners: []OwnerWeight{{hi, 1}, {lo, 1}}, Timeouts: base}, false},
		{"owners repeated", Ownership{Owners: []OwnerWeight{{lo, 1}, {lo, 2}}, Timeouts: base}, false},
		{"zero weight", Ownership{Owners: []OwnerWeight{{lo, 0}}, Timeouts: base}, false},
		{"weight overflow", Ownership{Owners: []OwnerWeight{{lo, 1 << 62}, {hi, 1}}, Timeouts: base}, false},
		{"weight at limit", Ownership{Owners: []OwnerWeight{{lo, 1 << 61}, {hi, 1<<61 - 1}}, Timeouts: base}, true},
		{"no base timeout", Ownership{Owners: []OwnerWeight{{lo, 1}}}, false},
	}
	for _, tt := range tests {
		err := tt.own.Validate()
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrInvalidOwnership) {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestOwnershipMembership(t *testing.T) {
	own := withSuper(Multi([]ids.Owner{bob}, 1), alice)
	if !own.IsSuperOwner(alice) || own.IsSuperOwner(bob) {
		t.Errorf("IsSuperOwner(alice, bob) = %v, %v, want true, false", own.IsSuperOwner(alice), own.IsSuperOwner(bob))
	}
	if own.IsOwner(alice) || !own.IsOwner(bob) {
		t.Errorf("IsOwner(alice, bob) = %v, %v, want false, true", own.IsOwner(alice), own.IsOwner(bob))
	}
}

func TestOwnershipRoundTrip(t *testing.T) {
	own := withSuper(Multi([]ids.Owner{alice, bob}, 3), alice)
	own.OpenMultiLeaderRounds = true
	own.Timeouts.FastRoundDuration = 7
	var got Ownership
	if err := codec.Unmarshal(codec.Marshal(own), &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(codec.Marshal(got), codec.Marshal(own)) || got.Timeouts != own.Timeouts || !got.OpenMultiLeaderRounds {
		t.Errorf("round trip = %+v, want %+v", got, own)
	}
	bad := own
	bad.Owners = []OwnerWeight{{alice, 0}}
	if err := codec.Unmarshal(codec.Marshal(bad), &got); !errors.Is(err, codec.ErrInvalid) {
		t.Errorf("decode of invalid ownership: err = %v, want %v", err, codec.ErrInvalid)
	}
}
