package metering

import (
	"errors"
	"math"
	"testing"
)

func TestSigned(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64, 1 << 40, -1 << 40} {
		r := reader{b: appendS64(nil, v)}
		got, err := r.signed(64)
		if err != nil || got != v || r.len() != 0 {
			t.Errorf("signed(64) of %d = %d, %v (%d bytes left)", v, got, err, r.len())
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			r = reader{b: appendS64(nil, v)}
			if _, err := r.signed(32); !errors.Is(err, ErrInvalid) {
				t.Errorf("signed(32) of %d: err = %v, want ErrInvalid", v, err)
			}
		}
	}
	for _, b := range [][]byte{
		{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, // too long
		{0xff, 0xff, 0xff, 0xff, 0x4f},       // sign bits differ
		{0x80},                               // truncated
	} {
		r := reader{b: b}
		if _, err := r.signed(32); !errors.Is(err, ErrInvalid) {
			t.Errorf("signed(32) of %x: err = %v, want ErrInvalid", b, err)
		}
	}
}

func TestU32(t *testing.T) {
	for _, v := range []uint32{0, 1, 127, 128, math.MaxUint32} {
		r := reader{b: appendU32(nil, v)}
		if got, err := r.u32(); err != nil || got != v {
			t.Errorf("u32 of %d = %d, %v", v, got, err)
		}
	}
	for _, b := range [][]byte{{0xff, 0xff, 0xff, 0xff, 0x1f}, {0x80, 0x80}} {
		r := reader{b: b}
		if _, err := r.u32(); !errors.Is(err, ErrInvalid) {
			t.Errorf("u32 of %x: err = %v, want ErrInvalid", b, err)
		}
	}
}
