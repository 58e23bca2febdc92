package ids

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
)

// hashOf returns a hash whose bytes are all b.
func hashOf(b byte) Hash {
	var h Hash
	for i := range h {
		h[i] = b
	}
	return h
}

func TestSum(t *testing.T) {
	want := sha256.Sum256([]byte("myriad/blob\x00data"))
	if got := Sum("blob", []byte("data")); got != Hash(want) {
		t.Errorf("Sum(blob, data) = %v, want %x", got, want)
	}
	// The tag is separated from the data: moving a byte across the
	// boundary changes the hash.
	if Sum("ab", []byte("c")) == Sum("a", []byte("bc")) {
		t.Errorf("Sum(ab, c) = Sum(a, bc), want distinct hashes")
	}
	if Sum("x", nil) == Sum("y", nil) {
		t.Errorf("Sum(x, nil) = Sum(y, nil), want distinct hashes")
	}
}

func TestOf(t *testing.T) {
	d := RootDescription(3)
	if got, want := Of("chain", d), Sum("chain", codec.Marshal(d)); got != want {
		t.Errorf("Of(chain, %v) = %v, want %v", d, got, want)
	}
	if got, want := d.ID(), Of("chain", d); got != want {
		t.Errorf("%v.ID() = %v, want %v", d, got, want)
	}
}

func TestHashFormatting(t *testing.T) {
	h := hashOf(0xab)
	if got, want := h.String(), strings.Repeat("ab", 32); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := h.Short(); got != "abababab" {
		t.Errorf("Short() = %q, want %q", got, "abababab")
	}
	if h.IsZero() || !(Hash{}).IsZero() {
		t.Errorf("IsZero() = %v for %v and %v for zero, want false and true", h.IsZero(), h, (Hash{}).IsZero())
	}
	text, err := h.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back Hash
	if err := back.UnmarshalText(text); err != nil || back != h {
		t.Errorf("UnmarshalText(%s) = %v, %v, want %v", text, back, err, h)
	}
	if err := back.UnmarshalText([]byte("zz")); !errors.Is(err, ErrBadHex) || back != h {
		t.Errorf("UnmarshalText(zz) = %v leaving %v, want %v leaving %v", err, back, ErrBadHex, h)
	}
}

func TestParseHash(t *testing.T) {
	good := strings.Repeat("01", 32)
	tests := []struct {
		in   string
		want Hash
		err  error
	}{
		{good, hashOf(1), nil},
		{strings.Repeat("AB", 32), hashOf(0xab), nil}, // upper case is accepted
		{" " + good + "\n", hashOf(1), nil},           // surrounding space is trimmed
		{"", Hash{}, ErrBadHex},
		{good[:62], Hash{}, ErrBadHex},        // 31 bytes
		{good + "01", Hash{}, ErrBadHex},      // 33 bytes
		{good[:63], Hash{}, ErrBadHex},        // odd length
		{good[:62] + "zz", Hash{}, ErrBadHex}, // not hex
		{"0x" + good[:62], Hash{}, ErrBadHex},
		{good[:32] + " " + good[32:], Hash{}, ErrBadHex},
	}
	for _, tt := range tests {
		got, err := ParseHash(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseHash(%q) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestDescriptionIDs(t *testing.T) {
	parent := hashOf(7)
	descs := []Description{
		RootDescription(0),
		RootDescription(1),
		ChildDescription(Hash{}, 0, 0),
		ChildDescription(parent, 0, 0),
		ChildDescription(parent, 1, 0),
		ChildDescription(parent, 0, 1),
		ChildDescription(hashOf(8), 0, 0),
	}
	seen := map[ChainID]Description{}
	for _, d := range descs {
		id := d.ID()
		if prev, dup := seen[id]; dup {
			t.Errorf("%v.ID() = %v.ID() = %v, want distinct ids", d, prev, id)
		}
		seen[id] = d
	}
	// A root and a child whose fields hold the same numbers differ.
	if RootDescription(0).ID() == ChildDescription(Hash{}, 0, 0).ID() {
		t.Errorf("root(0) and child(0@0#0) share an id")
	}
}

func TestDescriptionEncoding(t *testing.T) {
	tests := []struct {
		d    Description
		want string
		str  string
	}{
		{RootDescription(0x01020304), "0001020304", "root(16909060)"},
		{ChildDescription(hashOf(0xaa), 5, 6), "01" + strings.Repeat("aa", 32) + "0000000000000005" + "00000006", "child(aaaaaaaa@5#6)"},
	}
	for _, tt := range tests {
		enc := codec.Marshal(tt.d)
		if got := hex.EncodeToString(enc); got != tt.want {
			t.Errorf("Marshal(%v) = %s, want %s", tt.d, got, tt.want)
		}
		var back Description
		if err := codec.Unmarshal(enc, &back); err != nil || back != tt.d {
			t.Errorf("Unmarshal(Marshal(%v)) = %#v, %v, want %#v", tt.d, back, err, tt.d)
		}
		if got := tt.d.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.str)
		}
	}
}

func TestDescriptionDecodeErrors(t *testing.T) {
	tests := []struct {
		in   []byte
		want error
	}{
		{nil, codec.ErrTruncated},
		{[]byte{2, 0, 0, 0, 0}, codec.ErrInvalid},
		{[]byte{0, 0, 0, 0}, codec.ErrTruncated},
		{[]byte{0, 0, 0, 0, 0, 0}, codec.ErrTrailing},
		{append([]byte{1}, make([]byte, 32+8+3)...), codec.ErrTruncated},
	}
	for _, tt := range tests {
		var d Description
		if err := codec.Unmarshal(tt.in, &d); !errors.Is(err, tt.want) {
			t.Errorf("Unmarshal(%x) = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestAccount(t *testing.T) {
	chain, owner := hashOf(0x11), hashOf(0x22)
	tests := []struct {
		a   Account
		str string
	}{
		{Account{Chain: chain}, chain.String()},
		{Account{Chain: chain, Owner: owner}, chain.String() + ":" + owner.String()},
		{Account{Owner: owner}, Hash{}.String() + ":" + owner.String()},
		{Account{}, Hash{}.String()},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.a, got, tt.str)
		}
		if got, err := ParseAccount(tt.str); got != tt.a || err != nil {
			t.Errorf("ParseAccount(%q) = %#v, %v, want %#v, nil", tt.str, got, err, tt.a)
		}
		enc := codec.Marshal(tt.a)
		var back Account
		if err := codec.Unmarshal(enc, &back); err != nil || back != tt.a || len(enc) != 64 {
			t.Errorf("Unmarshal(Marshal(%v)) = %v, %v (%d bytes), want %v (64 bytes)", tt.a, back, err, len(enc), tt.a)
		}
	}
	// An explicit zero owner parses to the chain's own account.
	if got, err := ParseAccount(chain.String() + ":" + Hash{}.String()); got != (Account{Chain: chain}) || err != nil {
		t.Errorf("ParseAccount(chain:zero) = %v, %v, want %v, nil", got, err, Account{Chain: chain})
	}
}

func TestParseAccountErrors(t *testing.T) {
	c := hashOf(1).String()
	for _, in := range []string{"", ":", c + ":", ":" + c, c + ":" + c + ":" + c, c[:10], c + ":xyz", "xyz:" + c} {
		if got, err := ParseAccount(in); !errors.Is(err, ErrBadHex) {
			t.Errorf("ParseAccount(%q) = %v, %v, want %v", in, got, err, ErrBadHex)
		}
	}
}
