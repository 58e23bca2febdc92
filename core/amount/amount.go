// Package amount is Myriad's token amount: an unsigned 128-bit fixed-point
// number with 18 decimal places. One token is 10^18 attos.
//
// Arithmetic is checked: Add and Sub report overflow and underflow instead
// of wrapping, so balances can never be created or destroyed by accident.
package amount

import (
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"strings"

	"github.com/myriadchain/myriad/core/codec"
)

// Decimals is the number of decimal places of an Amount.
const Decimals = 18

// Errors returned by arithmetic and parsing.
var (
	ErrOverflow  = errors.New("amount: overflow")
	ErrUnderflow = errors.New("amount: insufficient amount")
	ErrSyntax    = errors.New("amount: malformed amount")
)

// Amount is a number of attos (10^-18 tokens) as an unsigned 128-bit value.
type Amount struct {
	Hi, Lo uint64
}

// Zero is the zero amount.
var Zero = Amount{}

var attosPerToken = Amount{Lo: 1_000_000_000_000_000_000}

// Attos returns n attos.
func Attos(n uint64) Amount { return Amount{Lo: n} }

// Tokens returns n whole tokens.
func Tokens(n uint64) Amount {
	hi, lo := bits.Mul64(n, attosPerToken.Lo)
	return Amount{Hi: hi, Lo: lo}
}

// IsZero reports whether a is zero.
func (a Amount) IsZero() bool { return a.Hi == 0 && a.Lo == 0 }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a Amount) Cmp(b Amount) int {
	switch {
	case a.Hi < b.Hi:
		return -1
	case a.Hi > b.Hi:
		return 1
	case a.Lo < b.Lo:
		return -1
	case a.Lo > b.Lo:
		return 1
	}
	return 0
}

// Add returns a+b or ErrOverflow.
func (a Amount) Add(b Amount) (Amount, error) {
	lo, c := bits.Add64(a.Lo, b.Lo, 0)
	hi, c := bits.Add64(a.Hi, b.Hi, c)
	if c != 0 {
		return Amount{}, ErrOverflow
	}
	return Amount{hi, lo}, nil
}

// Sub returns a-b or ErrUnderflow when b > a.
func (a Amount) Sub(b Amount) (Amount, error) {
	lo, br := bits.Sub64(a.Lo, b.Lo, 0)
	hi, br := bits.Sub64(a.Hi, b.Hi, br)
	if br != 0 {
		return Amount{}, ErrUnderflow
	}
	return Amount{hi, lo}, nil
}

// SaturatingSub returns a-b, or zero when b > a.
func (a Amount) SaturatingSub(b Amount) Amount {
	d, err := a.Sub(b)
	if err != nil {
		return Zero
	}
	return d
}

// MulUint returns a*n or ErrOverflow.
func (a Amount) MulUint(n uint64) (Amount, error) {
	hiLo1, lo := bits.Mul64(a.Lo, n)
	hiHi, hiLo2 := bits.Mul64(a.Hi, n)
	hi, c := bits.Add64(hiLo1, hiLo2, 0)
	if hiHi != 0 || c != 0 {
		return Amount{}, ErrOverflow
	}
	return Amount{hi, lo}, nil
}

// Min returns the smaller of a and b.
func Min(a, b Amount) Amount {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

func (a Amount) big() *big.Int {
	v := new(big.Int).SetUint64(a.Hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(a.Lo))
}

// String formats a in tokens with no trailing zeros: "1.5", "0.000001", "12".
func (a Amount) String() string {
	s := a.big().String()
	if len(s) <= Decimals {
		s = strings.Repeat("0", Decimals-len(s)+1) + s
	}
	whole, frac := s[:len(s)-Decimals], strings.TrimRight(s[len(s)-Decimals:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// Parse reads a decimal token amount such as "12", "1.5" or "0.000000000000000001".
func Parse(s string) (Amount, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" && frac == "" || len(frac) > Decimals || !digits(whole) || !digits(frac) {
		return Amount{}, fmt.Errorf("%w: %.40q", ErrSyntax, s)
	}
	// The largest amount has 21 whole digits: refuse longer input before
	// any big-number work, which is quadratic in the length.
	if whole = strings.TrimLeft(whole, "0"); len(whole) > 21 {
		return Amount{}, fmt.Errorf("%w: %.40q", ErrOverflow, s)
	}
	v, ok := new(big.Int).SetString("0"+whole+frac+strings.Repeat("0", Decimals-len(frac)), 10)
	if !ok || v.BitLen() > 128 {
		return Amount{}, fmt.Errorf("%w: %.40q", ErrOverflow, s)
	}
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(v, 64).Uint64()
	return Amount{Hi: hi, Lo: lo}, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MustParse is Parse for constants in code and tests; it panics on error.
func MustParse(s string) Amount {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// Encode writes a as 16 big-endian bytes.
func (a Amount) Encode(w *codec.Writer) {
	w.U64(a.Hi)
	w.U64(a.Lo)
}

// Decode reads 16 big-endian bytes.
func (a *Amount) Decode(r *codec.Reader) {
	a.Hi = r.U64()
	a.Lo = r.U64()
}

// MarshalText formats a as a decimal token amount.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses a decimal token amount.
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
