package amount

import (
	"encoding/hex"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/codec"
)

var maxAmount = Amount{Hi: math.MaxUint64, Lo: math.MaxUint64}

func TestAdd(t *testing.T) {
	tests := []struct {
		a, b, want Amount
		err        error
	}{
		{Zero, Zero, Zero, nil},
		{Attos(1), Attos(2), Attos(3), nil},
		{Attos(math.MaxUint64), Attos(1), Amount{Hi: 1}, nil}, // carry into Hi
		{Amount{Hi: 1, Lo: math.MaxUint64}, Attos(1), Amount{Hi: 2}, nil},
		{maxAmount, Zero, maxAmount, nil},
		{maxAmount, Attos(1), Zero, ErrOverflow},
		{Amount{Hi: math.MaxUint64}, Amount{Hi: 1}, Zero, ErrOverflow},
		{maxAmount, maxAmount, Zero, ErrOverflow},
	}
	for _, tt := range tests {
		got, err := tt.a.Add(tt.b)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%v.Add(%v) = %v, %v, want %v, %v", tt.a, tt.b, got, err, tt.want, tt.err)
		}
	}
}

func TestSub(t *testing.T) {
	tests := []struct {
		a, b, want Amount
		err        error
	}{
		{Zero, Zero, Zero, nil},
		{Attos(3), Attos(2), Attos(1), nil},
		{Amount{Hi: 1}, Attos(1), Attos(math.MaxUint64), nil}, // borrow from Hi
		{maxAmount, maxAmount, Zero, nil},
		{Zero, Attos(1), Zero, ErrUnderflow},
		{Attos(math.MaxUint64), Amount{Hi: 1}, Zero, ErrUnderflow},
		{Amount{Hi: 1}, Amount{Hi: 1, Lo: 1}, Zero, ErrUnderflow},
	}
	for _, tt := range tests {
		got, err := tt.a.Sub(tt.b)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%v.Sub(%v) = %v, %v, want %v, %v", tt.a, tt.b, got, err, tt.want, tt.err)
		}
		if sat := tt.a.SaturatingSub(tt.b); sat != tt.want {
			t.Errorf("%v.SaturatingSub(%v) = %v, want %v", tt.a, tt.b, sat, tt.want)
		}
	}
}

func TestMulUint(t *testing.T) {
	tests := []struct {
		a    Amount
		n    uint64
		want Amount
		err  error
	}{
		{Attos(7), 0, Zero, nil},
		{maxAmount, 0, Zero, nil},
		{maxAmount, 1, maxAmount, nil},
		{Attos(3), 5, Attos(15), nil},
		{Attos(math.MaxUint64), 2, Amount{Hi: 1, Lo: math.MaxUint64 - 1}, nil},
		{Amount{Hi: 1, Lo: 1}, 3, Amount{Hi: 3, Lo: 3}, nil},
		{Attos(1_000_000_000_000_000_000), 12, Tokens(12), nil},
		{Amount{Hi: 1 << 63}, 2, Zero, ErrOverflow}, // Hi*n overflows on its own
		{maxAmount, 2, Zero, ErrOverflow},           // and with the carry
		{Amount{Hi: math.MaxUint64, Lo: 1 << 63}, 1, Amount{Hi: math.MaxUint64, Lo: 1 << 63}, nil},
		{Amount{Hi: math.MaxUint64 / 2, Lo: 1 << 63}, 2, Amount{Hi: math.MaxUint64}, nil}, // carry exactly fits
		{Amount{Hi: math.MaxUint64/2 + 1, Lo: 0}, 2, Zero, ErrOverflow},
		{Amount{Hi: math.MaxUint64 / 3, Lo: math.MaxUint64}, 3, Zero, ErrOverflow}, // only the carry overflows
	}
	for _, tt := range tests {
		got, err := tt.a.MulUint(tt.n)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%v.MulUint(%d) = %v, %v, want %v, %v", tt.a, tt.n, got, err, tt.want, tt.err)
		}
	}
}

func TestCmpMin(t *testing.T) {
	tests := []struct {
		a, b Amount
		want int
	}{
		{Zero, Zero, 0},
		{Attos(1), Zero, 1},
		{Zero, Attos(1), -1},
		{Amount{Hi: 1}, Attos(math.MaxUint64), 1},
		{Attos(math.MaxUint64), Amount{Hi: 1}, -1},
		{maxAmount, maxAmount, 0},
	}
	for _, tt := range tests {
		if got := tt.a.Cmp(tt.b); got != tt.want {
			t.Errorf("%v.Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		want := tt.a
		if tt.want > 0 {
			want = tt.b
		}
		if got := Min(tt.a, tt.b); got != want {
			t.Errorf("Min(%v, %v) = %v, want %v", tt.a, tt.b, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		n    uint64
		want Amount
	}{
		{0, Zero},
		{1, Attos(1_000_000_000_000_000_000)},
		{math.MaxUint64, Amount{Hi: 999_999_999_999_999_999, Lo: 17_446_744_073_709_551_616}}, // 2^64·10^18 − 10^18
	}
	for _, tt := range tests {
		if got := Tokens(tt.n); got != tt.want {
			t.Errorf("Tokens(%d) = %#v, want %#v", tt.n, got, tt.want)
		}
	}
	if got := Tokens(math.MaxUint64).String(); got != "18446744073709551615" {
		t.Errorf("Tokens(MaxUint64).String() = %q, want %q", got, "18446744073709551615")
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		a    Amount
		want string
	}{
		{Zero, "0"},
		{Attos(1), "0.000000000000000001"},
		{Attos(10), "0.00000000000000001"},
		{Attos(1_000_000_000_000), "0.000001"},
		{Attos(999_999_999_999_999_999), "0.999999999999999999"},
		{Tokens(1), "1"},
		{Attos(1_500_000_000_000_000_000), "1.5"},
		{Tokens(12), "12"},
		{Attos(10_000_000_000_000_000_000), "10"},
		{maxAmount, "340282366920938463463.374607431768211455"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.a, got, tt.want)
		}
		if got, err := Parse(tt.want); got != tt.a || err != nil {
			t.Errorf("Parse(%q) = %#v, %v, want %#v, nil", tt.want, got, err, tt.a)
		}
	}
}

// TestParse records what Parse accepts. A missing whole or fraction part
// ("1.", ".5") is accepted; signs, exponents, separators and more than
// 18 decimals are not.
func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		err  error
	}{
		{"0", Zero, nil},
		{"1", Tokens(1), nil},
		{"1.5", Attos(1_500_000_000_000_000_000), nil},
		{"0.000000000000000001", Attos(1), nil},
		{"340282366920938463463.374607431768211455", maxAmount, nil},
		{"1.", Tokens(1), nil},
		{".5", Attos(500_000_000_000_000_000), nil},
		{"007", Tokens(7), nil},
		{"1.500000000000000000", Attos(1_500_000_000_000_000_000), nil}, // 18 decimals
		{" 2 ", Tokens(2), nil},
		{"0.0", Zero, nil},
		{"", Zero, ErrSyntax},
		{".", Zero, ErrSyntax},
		{"-1", Zero, ErrSyntax},
		{"+1", Zero, ErrSyntax},
		{"1e5", Zero, ErrSyntax},
		{"0x10", Zero, ErrSyntax},
		{"1_000", Zero, ErrSyntax},
		{"1,5", Zero, ErrSyntax},
		{"1.2.3", Zero, ErrSyntax},
		{"1 .5", Zero, ErrSyntax},
		{"١", Zero, ErrSyntax},                     // a non-ASCII digit
		{"0.0000000000000000001", Zero, ErrSyntax}, // 19 decimals
		{"1.0000000000000000000", Zero, ErrSyntax}, // 19 decimals, even zeros
		{"340282366920938463463.374607431768211456", Zero, ErrOverflow},
		{"1000000000000000000000", Zero, ErrOverflow},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("MustParse(%q) did not panic", "x")
		}
	}()
	MustParse("x")
}

func TestText(t *testing.T) {
	a := MustParse("3.25")
	b, err := a.MarshalText()
	if err != nil || string(b) != "3.25" {
		t.Fatalf("MarshalText() = %q, %v, want %q, nil", b, err, "3.25")
	}
	var got Amount
	if err := got.UnmarshalText(b); err != nil || got != a {
		t.Errorf("UnmarshalText(%q) = %v, %v, want %v", b, got, err, a)
	}
	if err := got.UnmarshalText([]byte("bad")); !errors.Is(err, ErrSyntax) || got != a {
		t.Errorf("UnmarshalText(bad) = %v leaving %v, want %v leaving %v", err, got, ErrSyntax, a)
	}
}

func TestEncoding(t *testing.T) {
	a := Amount{Hi: 0x0102030405060708, Lo: 0x090a0b0c0d0e0f10}
	enc := codec.Marshal(a)
	want := "0102030405060708090a0b0c0d0e0f10"
	if got := hex.EncodeToString(enc); got != want {
		t.Errorf("Marshal(%#v) = %s, want %s", a, got, want)
	}
	var back Amount
	if err := codec.Unmarshal(enc, &back); err != nil || back != a {
		t.Errorf("Unmarshal(%x) = %#v, %v, want %#v", enc, back, err, a)
	}
	if err := codec.Unmarshal(enc[:15], &back); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("Unmarshal(15 bytes) = %v, want %v", err, codec.ErrTruncated)
	}
}

// TestParseLongInput checks that a long string is refused cheaply. Parse
// sits behind UnmarshalText, so JSON from the network reaches it; today it
// hands the whole string to big.Int, which is quadratic (1 MiB of digits
// costs ~1.5 s of CPU and 2.4 GB of allocation on the reference machine),
// and quotes all of it in the error. The test uses 256 KiB to stay light.
func TestParseLongInput(t *testing.T) {
	s := strings.Repeat("9", 1<<18)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Parse(s)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrOverflow) {
		t.Errorf("Parse(256 KiB of 9s) = %.40v…, want %v", err, ErrOverflow)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10 {
		t.Errorf("Parse(256 KiB of 9s) allocated %d bytes and took %v, want under 64 KiB: refuse over-long input before big.Int, and quote a bounded prefix in the error", alloc, elapsed)
	}
	if err != nil && len(err.Error()) > 200 {
		t.Errorf("Parse(256 KiB of 9s) error is %d bytes long, want a bounded quote of the input", len(err.Error()))
	}
}
