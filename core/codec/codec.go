// Package codec is Myriad's canonical binary encoding.
//
// Every protocol value has exactly one encoding: integers are fixed-width
// big-endian, booleans are the bytes 0 or 1, byte strings and lists carry a
// 32-bit length or count, optional values a 0/1 tag. Decoding rejects
// anything else (a boolean 2, a truncated value, trailing bytes, a length
// larger than what is left), so decode followed by encode returns the input
// byte for byte and a value can never have two hashes.
//
// Types encode themselves through a Writer and decode through a Reader:
//
//	func (b *Block) Encode(w *codec.Writer) { w.U64(b.Height); w.Bytes(b.Data) }
//	func (b *Block) Decode(r *codec.Reader) { b.Height = r.U64(); b.Data = r.Bytes(1 << 20) }
//
// A Reader keeps the first error and returns zero values after it, so decode
// methods read straight through and the caller checks Err once.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxMessageSize bounds every value handed to Unmarshal: 16 MiB.
const MaxMessageSize = 16 << 20

// Errors returned (wrapped) by decoding.
var (
	ErrTruncated = errors.New("codec: truncated input")
	ErrTooLarge  = errors.New("codec: length exceeds limit")
	ErrTrailing  = errors.New("codec: trailing bytes")
	ErrInvalid   = errors.New("codec: invalid value")
)

// Encoder is a value with a canonical encoding.
type Encoder interface {
	Encode(w *Writer)
}

// Decoder is a value that can be read back from its canonical encoding.
type Decoder interface {
	Decode(r *Reader)
}

// Writer appends canonical encodings to a buffer. The zero value is ready.
type Writer struct {
	buf []byte
}

// NewWriter returns a Writer whose buffer starts with capacity n.
func NewWriter(n int) *Writer { return &Writer{buf: make([]byte, 0, n)} }

// Data returns the encoded bytes written so far.
func (w *Writer) Data() []byte { return w.buf }

// Len returns the number of bytes written so far.
func (w *Writer) Len() int { return len(w.buf) }

// U8 writes one byte.
func (w *Writer) U8(v uint8) { w.buf = append(w.buf, v) }

// U16 writes a big-endian uint16.
func (w *Writer) U16(v uint16) { w.buf = binary.BigEndian.AppendUint16(w.buf, v) }

// U32 writes a big-endian uint32.
func (w *Writer) U32(v uint32) { w.buf = binary.BigEndian.AppendUint32(w.buf, v) }

// U64 writes a big-endian uint64.
func (w *Writer) U64(v uint64) { w.buf = binary.BigEndian.AppendUint64(w.buf, v) }

// Bool writes 1 for true and 0 for false.
func (w *Writer) Bool(v bool) {
	if v {
		w.U8(1)
	} else {
		w.U8(0)
	}
}

// Fixed writes b as is; the reader must know its length.
func (w *Writer) Fixed(b []byte) { w.buf = append(w.buf, b...) }

// Bytes writes a 32-bit length and then b.
func (w *Writer) Bytes(b []byte) {
	w.Count(len(b))
	w.buf = append(w.buf, b...)
}

// String writes a 32-bit length and then the bytes of s.
func (w *Writer) String(s string) {
	w.Count(len(s))
	w.buf = append(w.buf, s...)
}

// Count writes the 32-bit element count of a list that follows.
func (w *Writer) Count(n int) {
	if n < 0 || uint64(n) > 1<<32-1 {
		panic("codec: count out of range")
	}
	w.U32(uint32(n))
}

// Value writes v's encoding.
func (w *Writer) Value(v Encoder) { v.Encode(w) }

// Marshal returns v's canonical encoding.
func Marshal(v Encoder) []byte {
	w := NewWriter(64)
	v.Encode(w)
	return w.buf
}

// Reader decodes canonical encodings from a byte slice. It keeps the first
// error; every read after an error returns a zero value.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader returns a Reader over b. The Reader does not copy b; byte
// slices it returns are copies.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err returns the first error met, if any.
func (r *Reader) Err() error { return r.err }

// Fail records err (wrapped as needed) unless an error is already recorded.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Failf records a formatted ErrInvalid error.
func (r *Reader) Failf(format string, args ...any) {
	r.Fail(fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
}

// Remaining returns the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

// Offset returns the number of bytes read so far.
func (r *Reader) Offset() int { return r.off }

func (r *Reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.Remaining() {
		r.err = fmt.Errorf("%w: need %d bytes at offset %d, have %d", ErrTruncated, n, r.off, r.Remaining())
		return nil
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b
}

// U8 reads one byte.
func (r *Reader) U8() uint8 {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// U16 reads a big-endian uint16.
func (r *Reader) U16() uint16 {
	b := r.take(2)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint16(b)
}

// U32 reads a big-endian uint32.
func (r *Reader) U32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

// U64 reads a big-endian uint64.
func (r *Reader) U64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Bool reads a boolean; any byte other than 0 or 1 is an error.
func (r *Reader) Bool() bool {
	switch v := r.U8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		r.Failf("bool byte %d", v)
		return false
	}
}

// Tag reads a one-byte variant tag and checks it is below n.
func (r *Reader) Tag(n uint8) uint8 {
	v := r.U8()
	if r.err == nil && v >= n {
		r.Failf("variant tag %d, want < %d", v, n)
		return 0
	}
	return v
}

// FixedInto fills dst from the input.
func (r *Reader) FixedInto(dst []byte) {
	b := r.take(len(dst))
	if b != nil {
		copy(dst, b)
	}
}

// Bytes reads a length-prefixed byte string of at most max bytes. A
// zero-length string decodes as nil.
func (r *Reader) Bytes(max int) []byte {
	n := r.Count(max, 1)
	if n == 0 {
		return nil
	}
	b := r.take(n)
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// String reads a length-prefixed string of at most max bytes.
func (r *Reader) String(max int) string {
	n := r.Count(max, 1)
	return string(r.take(n))
}

// Count reads a list's element count. It fails if the count exceeds max,
// or if minSize bytes (at least 1) per element would not fit in what is
// left, so a hostile count never makes the caller allocate more than the
// input holds.
func (r *Reader) Count(max, minSize int) int {
	v := r.U32()
	if r.err != nil {
		return 0
	}
	if uint64(v) > uint64(max) {
		r.Fail(fmt.Errorf("%w: count %d > %d", ErrTooLarge, v, max))
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if uint64(v)*uint64(minSize) > uint64(r.Remaining()) {
		r.Fail(fmt.Errorf("%w: count %d needs %d bytes, have %d", ErrTruncated, v, uint64(v)*uint64(minSize), r.Remaining()))
		return 0
	}
	return int(v)
}

// Value decodes into v.
func (r *Reader) Value(v Decoder) {
	if r.err == nil {
		v.Decode(r)
	}
}

// Done returns the first error, or ErrTrailing if input is left unread.
func (r *Reader) Done() error {
	if r.err != nil {
		return r.err
	}
	if r.Remaining() != 0 {
		return fmt.Errorf("%w: %d bytes after offset %d", ErrTrailing, r.Remaining(), r.off)
	}
	return nil
}

// Unmarshal decodes b, which must hold exactly one encoding, into v.
func Unmarshal(b []byte, v Decoder) error {
	if len(b) > MaxMessageSize {
		return fmt.Errorf("%w: message of %d bytes > %d", ErrTooLarge, len(b), MaxMessageSize)
	}
	r := NewReader(b)
	v.Decode(r)
	return r.Done()
}

// List reads a counted list of at most max elements, each at least minSize
// bytes long, with read. An empty list decodes as nil.
func List[T any](r *Reader, max, minSize int, read func(*Reader) T) []T {
	n := r.Count(max, minSize)
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, read(r))
	}
	if r.err != nil {
		return nil
	}
	return out
}

// WriteList writes the count of xs and then each element with write.
func WriteList[T any](w *Writer, xs []T, write func(*Writer, T)) {
	w.Count(len(xs))
	for _, x := range xs {
		write(w, x)
	}
}

// ListOf reads a counted list of decodable values.
func ListOf[T any, P interface {
	*T
	Decoder
}](r *Reader, max, minSize int) []T {
	return List(r, max, minSize, func(r *Reader) T {
		var v T
		P(&v).Decode(r)
		return v
	})
}

// WriteListOf writes a counted list of encodable values.
func WriteListOf[T any, P interface {
	*T
	Encoder
}](w *Writer, xs []T) {
	w.Count(len(xs))
	for i := range xs {
		P(&xs[i]).Encode(w)
	}
}
