package amount

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
)

// FuzzAmountParse checks that whatever Parse accepts formats to a string
// that parses back to the same amount and formats the same again, and that
// the 16-byte encoding round-trips.
func FuzzAmountParse(f *testing.F) {
	for _, s := range []string{"0", "1", "1.5", "0.000000000000000001", "12", "1.", ".5", "007",
		"340282366920938463463.374607431768211455", "340282366920938463463.374607431768211456",
		"-1", "1e5", "0.0000000000000000001", " 3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		str := a.String()
		b, err := Parse(str)
		if err != nil || b != a {
			t.Fatalf("Parse(%q) = %#v; Parse(String() = %q) = %#v, %v", s, a, str, b, err)
		}
		if again := b.String(); again != str {
			t.Fatalf("String() = %q, then %q after a round trip", str, again)
		}
		enc := codec.Marshal(a)
		var c Amount
		if err := codec.Unmarshal(enc, &c); err != nil || c != a || !bytes.Equal(codec.Marshal(c), enc) {
			t.Fatalf("Unmarshal(Marshal(%#v)) = %#v, %v", a, c, err)
		}
	})
}
