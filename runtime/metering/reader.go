package metering

import (
	"fmt"
	"math"
)

// reader decodes the Wasm binary format from a byte slice. It never panics:
// every method reports truncated or malformed input as an error wrapping
// ErrInvalid.
type reader struct {
	b   []byte
	pos int
	off int // offset of b in the module, for error messages
}

func (r *reader) len() int { return len(r.b) - r.pos }

func (r *reader) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrInvalid, r.off+r.pos, fmt.Sprintf(format, args...))
}

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.errorf("unexpected end")
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || n > r.len() {
		return nil, r.errorf("length %d beyond the end", n)
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s, nil
}

// u32 reads an unsigned LEB128 number of at most 32 bits.
func (r *reader) u32() (uint32, error) {
	var v uint32
	for shift := uint(0); ; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if shift == 28 && c > 0x0f {
			return 0, r.errorf("u32 overflow")
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
}

// count reads a vector length and checks that at least min bytes per element
// remain, so a caller can allocate that many elements safely.
func (r *reader) count(min int) (int, error) {
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(min) > uint64(r.len()) {
		return 0, r.errorf("count %d beyond the end", n)
	}
	return int(n), nil
}

// signed reads a signed LEB128 number of at most bits bits (32, 33 or 64).
func (r *reader) signed(bits uint) (int64, error) {
	var v int64
	for shift := uint(0); ; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if shift+7 >= bits { // the last byte allowed
			if c&0x80 != 0 {
				return 0, r.errorf("signed integer too long")
			}
			// The bits above the meaningful ones must repeat the sign bit.
			top := (int8(c<<1) >> 1) >> (bits - shift - 1)
			if top != 0 && top != -1 {
				return 0, r.errorf("signed integer overflow")
			}
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 < 64 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v, nil
		}
	}
}

func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	if n > math.MaxInt32 {
		return "", r.errorf("name too long")
	}
	b, err := r.bytes(int(n))
	return string(b), err
}

// appendU32 appends v as unsigned LEB128.
func appendU32(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendS64 appends v as signed LEB128.
func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
