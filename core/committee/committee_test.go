package committee

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/keys"
)

// pk returns a public key whose first byte is b (not a real key: the
// committee only compares them).
func pk(b byte) keys.PublicKey {
	var k keys.PublicKey
	k[0] = b
	k[31] = 1
	return k
}

// weighted returns validators with keys pk(n), pk(n-1), … (reverse order)
// and the given weights.
func weighted(weights ...uint64) []Validator {
	vals := make([]Validator, len(weights))
	for i, w := range weights {
		vals[i] = Validator{PublicKey: pk(byte(len(weights) - i)), Weight: w, Address: "ws://v"}
	}
	return vals
}

func ones(n int) []uint64 {
	w := make([]uint64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

func mustNew(t testing.TB, vals []Validator) *Committee {
	t.Helper()
	c, err := New(vals, NoFees())
	if err != nil {
		t.Fatalf("New(%d validators) = %v", len(vals), err)
	}
	return c
}

func TestThresholds(t *testing.T) {
	tests := []struct {
		name                    string
		weights                 []uint64
		total, validity, quorum uint64
	}{
		{"1x1", ones(1), 1, 1, 1},
		{"1x2", ones(2), 2, 1, 2},
		{"1x3", ones(3), 3, 1, 2},
		{"1x4", ones(4), 4, 2, 3},
		{"1x5", ones(5), 5, 2, 4},
		{"1x7", ones(7), 7, 3, 5},
		{"1x10", ones(10), 10, 4, 7},
		{"1x100", ones(100), 100, 34, 67},
		{"1,2,3,4", []uint64{1, 2, 3, 4}, 10, 4, 7},
		{"100,1,1,1", []uint64{100, 1, 1, 1}, 103, 35, 69},
		{"3,3,3,1", []uint64{3, 3, 3, 1}, 10, 4, 7},
		{"2^61,2^61", []uint64{1 << 61, 1 << 61}, 1 << 62, (1<<62 + 2) / 3, ((1 << 62) + (1<<62+2)/3 + 1) / 2},
	}
	for _, tt := range tests {
		c := mustNew(t, weighted(tt.weights...))
		if c.TotalWeight() != tt.total || c.Validity() != tt.validity || c.Quorum() != tt.quorum {
			t.Errorf("%s: total, validity, quorum = %d, %d, %d, want %d, %d, %d",
				tt.name, c.TotalWeight(), c.Validity(), c.Quorum(), tt.total, tt.validity, tt.quorum)
		}
		// Any two quorums share at least a validity's weight, so they
		// share an honest validator.
		if 2*c.Quorum()-c.TotalWeight() < c.Validity() {
			t.Errorf("%s: two quorums of %d out of %d overlap in less than %d", tt.name, c.Quorum(), c.TotalWeight(), c.Validity())
		}
	}
}

func TestNewSortsAndCopies(t *testing.T) {
	in := weighted(1, 2, 3) // keys pk(3), pk(2), pk(1)
	c := mustNew(t, in)
	for i, v := range c.Validators {
		if v.PublicKey != pk(byte(i+1)) {
			t.Errorf("Validators[%d].PublicKey = %v, want %v", i, v.PublicKey.Short(), pk(byte(i+1)).Short())
		}
	}
	if c.Validators[0].Weight != 3 || c.Validators[2].Weight != 1 {
		t.Errorf("weights after sorting = %d, %d, %d, want 3, 2, 1", c.Validators[0].Weight, c.Validators[1].Weight, c.Validators[2].Weight)
	}
	if in[0].PublicKey != pk(3) {
		t.Errorf("New sorted its argument in place: in[0] = %v, want %v", in[0].PublicKey.Short(), pk(3).Short())
	}
}

func TestNewRefuses(t *testing.T) {
	overflow := weighted(1<<62, 1)
	tests := []struct {
		name string
		vals []Validator
	}{
		{"none", nil},
		{"duplicate key", []Validator{{PublicKey: pk(1), Weight: 1}, {PublicKey: pk(1), Weight: 2}}},
		{"zero weight", weighted(1, 0, 1)},
		{"total over 2^62", overflow},
		{"total wraps", weighted(1<<63, 1<<63)},
	}
	for _, tt := range tests {
		if c, err := New(tt.vals, NoFees()); !errors.Is(err, ErrInvalid) {
			t.Errorf("New(%s) = %v, %v, want %v", tt.name, c, err, ErrInvalid)
		}
	}
}

func TestIndexAndWeight(t *testing.T) {
	c := mustNew(t, weighted(5, 6, 7)) // sorted: pk(1):7, pk(2):6, pk(3):5
	tests := []struct {
		key    keys.PublicKey
		i      int
		ok     bool
		weight uint64
	}{
		{pk(1), 0, true, 7},
		{pk(2), 1, true, 6},
		{pk(3), 2, true, 5},
		{pk(0), 0, false, 0},
		{pk(4), 3, false, 0},
		{keys.PublicKey{}, 0, false, 0},
	}
	for _, tt := range tests {
		i, ok := c.Index(tt.key)
		if ok != tt.ok || ok && i != tt.i {
			t.Errorf("Index(%v) = %d, %v, want %d, %v", tt.key.Short(), i, ok, tt.i, tt.ok)
		}
		if w := c.Weight(tt.key); w != tt.weight {
			t.Errorf("Weight(%v) = %d, want %d", tt.key.Short(), w, tt.weight)
		}
	}
}

func TestEncodingRoundTrip(t *testing.T) {
	for _, p := range []Policy{NoFees(), Testnet()} {
		c, err := New(weighted(1, 2, 3), p)
		if err != nil {
			t.Fatal(err)
		}
		enc := codec.Marshal(c)
		var back Committee
		if err := codec.Unmarshal(enc, &back); err != nil {
			t.Fatalf("Unmarshal(Marshal(c)) = %v", err)
		}
		if !bytes.Equal(codec.Marshal(&back), enc) || back.TotalWeight() != c.TotalWeight() || back.Policy != p {
			t.Errorf("Unmarshal(Marshal(c)) = %+v, want %+v", back, c)
		}
		if back.Hash() != c.Hash() {
			t.Errorf("Hash() after a round trip = %v, want %v", back.Hash(), c.Hash())
		}
	}
	a, b := mustNew(t, weighted(1, 2)), mustNew(t, weighted(1, 3))
	if a.Hash() == b.Hash() {
		t.Errorf("committees with different weights share a hash")
	}
	c, _ := New(weighted(1, 2), Testnet())
	if a.Hash() == c.Hash() {
		t.Errorf("committees with different policies share a hash")
	}
}

func TestDecodeRefuses(t *testing.T) {
	encode := func(vals []Validator) []byte {
		c := &Committee{Validators: vals, Policy: NoFees()}
		return codec.Marshal(c)
	}
	long := weighted(1)
	long[0].Address = strings.Repeat("a", 257)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty input", nil, codec.ErrTruncated},
		{"no validators", encode(nil), ErrInvalid},
		{"unsorted", encode(weighted(1, 1)), ErrInvalid},
		{"duplicate", encode([]Validator{{PublicKey: pk(1), Weight: 1}, {PublicKey: pk(1), Weight: 1}}), ErrInvalid},
		{"zero weight", encode([]Validator{{PublicKey: pk(1), Weight: 0}}), ErrInvalid},
		{"address too long", encode(long), codec.ErrTooLarge},
		{"trailing", append(encode([]Validator{{PublicKey: pk(1), Weight: 1}}), 0), codec.ErrTrailing},
		{"count over MaxValidators", append([]byte{0, 0, 4, 1}, make([]byte, 1025*44)...), codec.ErrTooLarge},
		{"count over input", []byte{0, 0, 0, 9, 1, 2, 3}, codec.ErrTruncated},
	}
	for _, tt := range tests {
		var c Committee
		err := codec.Unmarshal(tt.in, &c)
		if !errors.Is(err, tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.name, err, tt.want)
		}
		if errors.Is(tt.want, ErrInvalid) && !errors.Is(err, codec.ErrInvalid) {
			t.Errorf("Unmarshal(%s) = %v, want it to wrap %v too", tt.name, err, codec.ErrInvalid)
		}
	}
}

// TestNewRefusesWhatDecodeRefuses checks that New and Decode agree: a
// committee New accepts must decode from its own encoding, or the admin
// chain could publish a committee no one can read back.
func TestNewRefusesWhatDecodeRefuses(t *testing.T) {
	long := weighted(1, 1, 1, 1)
	long[0].Address = "ws://" + strings.Repeat("a", 300)
	tests := []struct {
		name string
		vals []Validator
	}{
		{"address over 256 bytes", long},
		{"more than MaxValidators", manyValidators(MaxValidators + 1)},
	}
	for _, tt := range tests {
		c, err := New(tt.vals, NoFees())
		if err != nil {
			continue // refused up front: consistent
		}
		var back Committee
		if err := codec.Unmarshal(codec.Marshal(c), &back); err != nil {
			t.Errorf("New(%s) = ok, but Unmarshal(Marshal(committee)) = %v; want New to refuse it with %v", tt.name, err, ErrInvalid)
		}
	}
}

// TestQuorumOfUncheckedCommittee checks the thresholds of a committee that
// did not go through New or Decode: one read from JSON (a genesis file)
// or written as a literal. Its cached total weight is 0, so Quorum() is 0
// and a certificate with no signatures at all reaches "quorum".
func TestQuorumOfUncheckedCommittee(t *testing.T) {
	c := mustNew(t, weighted(1, 1, 1, 1))
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON Committee
	if err := json.Unmarshal(js, &fromJSON); err != nil {
		t.Fatal(err)
	}
	literal := &Committee{Validators: c.Validators, Policy: c.Policy}
	for _, tt := range []struct {
		name string
		u    *Committee
	}{{"json", &fromJSON}, {"literal", literal}} {
		name, u := tt.name, tt.u
		if u.TotalWeight() != 4 || u.Quorum() != 3 {
			t.Errorf("%s committee of 4: TotalWeight(), Quorum() = %d, %d, want 4, 3", name, u.TotalWeight(), u.Quorum())
		}
	}
}

func manyValidators(n int) []Validator {
	vals := make([]Validator, n)
	for i := range vals {
		vals[i].PublicKey[0], vals[i].PublicKey[1] = byte(i>>8), byte(i)
		vals[i].Weight = 1
	}
	return vals
}

func TestClone(t *testing.T) {
	c := mustNew(t, weighted(1, 2, 3))
	d := c.Clone()
	if d.TotalWeight() != c.TotalWeight() || d.Quorum() != c.Quorum() {
		t.Errorf("Clone: total, quorum = %d, %d, want %d, %d", d.TotalWeight(), d.Quorum(), c.TotalWeight(), c.Quorum())
	}
	old := d.Validators[0].Weight
	d.Validators[0].Weight = 99
	if c.Validators[0].Weight == 99 {
		t.Errorf("Clone shares Validators with the original")
	}
	if want := 6 - old + 99; c.TotalWeight() != 6 || d.TotalWeight() != want {
		t.Errorf("after changing the clone: totals %d, %d, want 6, %d", c.TotalWeight(), d.TotalWeight(), want)
	}
}

func TestPolicyByName(t *testing.T) {
	tests := []struct {
		name string
		want Policy
		ok   bool
	}{
		{"", NoFees(), true},
		{"no-fees", NoFees(), true},
		{"testnet", Testnet(), true},
		{"mainnet", Policy{}, false},
	}
	for _, tt := range tests {
		got, err := PolicyByName(tt.name)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("PolicyByName(%q) = %+v, %v, want %+v, ok=%v", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

// TestPolicyEncoding checks that every field of a Policy is encoded: a
// policy with one field changed must encode differently and round-trip.
func TestPolicyEncoding(t *testing.T) {
	base := codec.Marshal(Testnet())
	if want := 9*16 + 4*8 + 4; len(base) != want {
		t.Errorf("len(Marshal(policy)) = %d, want %d", len(base), want)
	}
	p := Testnet()
	for i, a := range p.prices() {
		q := Testnet()
		*q.prices()[i] = amount.Attos(a.Lo + 1)
		checkPolicyChange(t, q, base)
	}
	for i := range p.caps() {
		q := Testnet()
		*q.caps()[i]++
		checkPolicyChange(t, q, base)
	}
	q := Testnet()
	q.MaxBlockTxs++
	checkPolicyChange(t, q, base)
}

func checkPolicyChange(t *testing.T, q Policy, base []byte) {
	t.Helper()
	enc := codec.Marshal(q)
	if bytes.Equal(enc, base) {
		t.Errorf("Marshal(%+v) equals the unchanged policy's encoding", q)
	}
	var back Policy
	if err := codec.Unmarshal(enc, &back); err != nil || back != q {
		t.Errorf("Unmarshal(Marshal(%+v)) = %+v, %v", q, back, err)
	}
}
