package codec

import (
	"bytes"
	"errors"
	"testing"
)

// pair is a small test type: a u16 and a byte string.
type pair struct {
	A uint16
	B []byte
}

func (p pair) Encode(w *Writer) {
	w.U16(p.A)
	w.Bytes(p.B)
}

func (p *pair) Decode(r *Reader) {
	p.A = r.U16()
	p.B = r.Bytes(16)
}

func TestWriterEncodings(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *Writer)
		want  []byte
	}{
		{"U8", func(w *Writer) { w.U8(0xab) }, []byte{0xab}},
		{"U16", func(w *Writer) { w.U16(0x0102) }, []byte{1, 2}},
		{"U32", func(w *Writer) { w.U32(0x01020304) }, []byte{1, 2, 3, 4}},
		{"U64", func(w *Writer) { w.U64(0x0102030405060708) }, []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		{"Bool(false)", func(w *Writer) { w.Bool(false) }, []byte{0}},
		{"Bool(true)", func(w *Writer) { w.Bool(true) }, []byte{1}},
		{"Fixed", func(w *Writer) { w.Fixed([]byte{9, 8}) }, []byte{9, 8}},
		{"Bytes(nil)", func(w *Writer) { w.Bytes(nil) }, []byte{0, 0, 0, 0}},
		{"Bytes(empty)", func(w *Writer) { w.Bytes([]byte{}) }, []byte{0, 0, 0, 0}},
		{"Bytes", func(w *Writer) { w.Bytes([]byte("hi")) }, []byte{0, 0, 0, 2, 'h', 'i'}},
		{"String", func(w *Writer) { w.String("hey") }, []byte{0, 0, 0, 3, 'h', 'e', 'y'}},
		{"Count", func(w *Writer) { w.Count(1 << 20) }, []byte{0, 0x10, 0, 0}},
		{"Value", func(w *Writer) { w.Value(pair{A: 7, B: []byte{1}}) }, []byte{0, 7, 0, 0, 0, 1, 1}},
		{"WriteList", func(w *Writer) { WriteList(w, []uint8{5, 6}, (*Writer).U8) }, []byte{0, 0, 0, 2, 5, 6}},
		{"WriteListOf", func(w *Writer) { WriteListOf(w, []pair{{A: 1}}) }, []byte{0, 0, 0, 1, 0, 1, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		var w Writer
		tt.write(&w)
		if !bytes.Equal(w.Data(), tt.want) || w.Len() != len(tt.want) {
			t.Errorf("%s: Data() = %x (Len %d), want %x", tt.name, w.Data(), w.Len(), tt.want)
		}
	}
}

func TestWriterCountPanicsOnNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Count(-1) did not panic")
		}
	}()
	new(Writer).Count(-1)
}

func TestReaderReadsWhatWriterWrote(t *testing.T) {
	w := NewWriter(0)
	w.U8(1)
	w.U16(2)
	w.U32(3)
	w.U64(4)
	w.Bool(true)
	w.Bool(false)
	w.Fixed([]byte{5, 6, 7})
	w.Bytes([]byte("bytes"))
	w.Bytes(nil)
	w.String("string")
	w.U8(2) // a tag below 3
	WriteListOf(w, []pair{{1, []byte("a")}, {2, nil}})

	r := NewReader(w.Data())
	fixed := make([]byte, 3)
	got := []any{r.U8(), r.U16(), r.U32(), r.U64(), r.Bool(), r.Bool()}
	r.FixedInto(fixed)
	b, empty, s, tag := r.Bytes(5), r.Bytes(5), r.String(6), r.Tag(3)
	list := ListOf[pair](r, 2, 6)
	if err := r.Done(); err != nil {
		t.Fatalf("Done() = %v, want nil", err)
	}
	want := []any{uint8(1), uint16(2), uint32(3), uint64(4), true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("read %d = %v, want %v", i, got[i], want[i])
		}
	}
	if !bytes.Equal(fixed, []byte{5, 6, 7}) || string(b) != "bytes" || empty != nil || s != "string" || tag != 2 {
		t.Errorf("FixedInto, Bytes, Bytes, String, Tag = %x, %q, %v, %q, %d", fixed, b, empty, s, tag)
	}
	if len(list) != 2 || list[0].A != 1 || string(list[0].B) != "a" || list[1].A != 2 || list[1].B != nil {
		t.Errorf("ListOf = %+v, want [{1 a} {2 nil}]", list)
	}
	if r.Offset() != len(w.Data()) || r.Remaining() != 0 {
		t.Errorf("Offset, Remaining = %d, %d, want %d, 0", r.Offset(), r.Remaining(), len(w.Data()))
	}
}

func TestReaderBytesAreCopies(t *testing.T) {
	in := []byte{0, 0, 0, 2, 'a', 'b'}
	r := NewReader(in)
	b := r.Bytes(2)
	in[4] = 'x'
	if string(b) != "ab" {
		t.Errorf("Bytes() = %q after the input changed, want %q (a copy)", b, "ab")
	}
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		read func(r *Reader)
		want error
	}{
		{"U8 empty", nil, func(r *Reader) { r.U8() }, ErrTruncated},
		{"U16 short", []byte{1}, func(r *Reader) { r.U16() }, ErrTruncated},
		{"U32 short", []byte{1, 2, 3}, func(r *Reader) { r.U32() }, ErrTruncated},
		{"U64 short", []byte{1, 2, 3, 4, 5, 6, 7}, func(r *Reader) { r.U64() }, ErrTruncated},
		{"FixedInto short", []byte{1}, func(r *Reader) { r.FixedInto(make([]byte, 2)) }, ErrTruncated},
		{"trailing", []byte{1, 2}, func(r *Reader) { r.U8() }, ErrTrailing},
		{"bool 2", []byte{2}, func(r *Reader) { r.Bool() }, ErrInvalid},
		{"bool 0xff", []byte{0xff}, func(r *Reader) { r.Bool() }, ErrInvalid},
		{"tag equal to n", []byte{3}, func(r *Reader) { r.Tag(3) }, ErrInvalid},
		{"tag above n", []byte{200}, func(r *Reader) { r.Tag(3) }, ErrInvalid},
		{"tag empty", nil, func(r *Reader) { r.Tag(3) }, ErrTruncated},
		{"count over max", []byte{0, 0, 0, 3, 1, 2, 3}, func(r *Reader) { r.Count(2, 1) }, ErrTooLarge},
		{"count over remaining", []byte{0, 0, 0, 4, 1, 2, 3}, func(r *Reader) { r.Count(10, 1) }, ErrTruncated},
		{"count times size over remaining", []byte{0, 0, 0, 2, 1, 2, 3}, func(r *Reader) { r.Count(10, 2) }, ErrTruncated},
		{"count truncated", []byte{0, 0}, func(r *Reader) { r.Count(10, 1) }, ErrTruncated},
		{"bytes over max", []byte{0, 0, 0, 3, 'a', 'b', 'c'}, func(r *Reader) { r.Bytes(2) }, ErrTooLarge},
		{"bytes truncated", []byte{0, 0, 0, 3, 'a', 'b'}, func(r *Reader) { r.Bytes(10) }, ErrTruncated},
		{"string over max", []byte{0, 0, 0, 3, 'a', 'b', 'c'}, func(r *Reader) { r.String(2) }, ErrTooLarge},
		{"string truncated", []byte{0, 0, 0, 3, 'a'}, func(r *Reader) { r.String(10) }, ErrTruncated},
		{"list element truncated", []byte{0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0}, func(r *Reader) { ListOf[pair](r, 4, 1) }, ErrTruncated},
		{"list over max", []byte{0, 0, 0, 3, 1, 2, 3}, func(r *Reader) { List(r, 2, 1, (*Reader).U8) }, ErrTooLarge},
	}
	for _, tt := range tests {
		r := NewReader(tt.in)
		tt.read(r)
		if err := r.Done(); !errors.Is(err, tt.want) {
			t.Errorf("%s: Done() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestReaderKeepsFirstError(t *testing.T) {
	r := NewReader([]byte{7, 1, 2, 3, 4, 5, 6, 7, 8})
	if got := r.Bool(); got {
		t.Errorf("Bool() on 7 = %v, want false", got)
	}
	first := r.Err()
	if !errors.Is(first, ErrInvalid) {
		t.Fatalf("Err() = %v, want %v", first, ErrInvalid)
	}
	// Every read after the error returns a zero value and consumes nothing.
	if v := r.U64(); v != 0 {
		t.Errorf("U64() after an error = %d, want 0", v)
	}
	if b := r.Bytes(8); b != nil {
		t.Errorf("Bytes() after an error = %x, want nil", b)
	}
	if n := r.Count(8, 1); n != 0 {
		t.Errorf("Count() after an error = %d, want 0", n)
	}
	r.Fail(ErrTrailing)
	r.Failf("another")
	if r.Err() != first {
		t.Errorf("Err() = %v after more failures, want the first error %v", r.Err(), first)
	}
	if r.Offset() != 1 {
		t.Errorf("Offset() = %d, want 1", r.Offset())
	}
	called := false
	r.Value(decodeFunc(func(*Reader) { called = true }))
	if called {
		t.Errorf("Value() called Decode after an error")
	}
}

type decodeFunc func(*Reader)

func (f decodeFunc) Decode(r *Reader) { f(r) }

// TestHostileCountFailsFast checks that a short input claiming 2^31
// elements is refused before anything of that size is allocated.
func TestHostileCountFailsFast(t *testing.T) {
	in := []byte{0x80, 0, 0, 0, 1, 2, 3, 4, 5, 6} // 10 bytes, count 2^31
	reads := []struct {
		name string
		read func(r *Reader)
	}{
		{"List[u64]", func(r *Reader) { List(r, 1<<32-1, 8, (*Reader).U64) }},
		{"ListOf[pair]", func(r *Reader) { ListOf[pair](r, 1<<32-1, 1) }},
		{"Bytes", func(r *Reader) { r.Bytes(1<<32 - 1) }},
		{"String", func(r *Reader) { r.String(1<<32 - 1) }},
		{"Count", func(r *Reader) { r.Count(1<<32-1, 1) }},
	}
	for _, tt := range reads {
		allocs := testing.AllocsPerRun(10, func() {
			r := NewReader(in)
			tt.read(r)
			if !errors.Is(r.Err(), ErrTruncated) {
				t.Fatalf("%s: Err() = %v, want %v", tt.name, r.Err(), ErrTruncated)
			}
		})
		// Only the error value itself is allocated.
		if allocs > 8 {
			t.Errorf("%s: %v allocations on a hostile count, want a handful", tt.name, allocs)
		}
	}
}

func TestUnmarshal(t *testing.T) {
	tests := []struct {
		in   []byte
		want error
	}{
		{[]byte{0, 7, 0, 0, 0, 1, 9}, nil},
		{[]byte{0, 7, 0, 0, 0, 1, 9, 0}, ErrTrailing},
		{[]byte{0, 7, 0, 0, 0, 1}, ErrTruncated},
		{[]byte{0, 7, 0, 0, 0, 17}, ErrTooLarge},
		{make([]byte, MaxMessageSize+1), ErrTooLarge},
	}
	for _, tt := range tests {
		var p pair
		if err := Unmarshal(tt.in, &p); !errors.Is(err, tt.want) {
			t.Errorf("Unmarshal(%.16x…) = %v, want %v", tt.in, err, tt.want)
		}
	}
	var p pair
	if err := Unmarshal([]byte{0, 7, 0, 0, 0, 1, 9}, &p); err != nil || p.A != 7 || !bytes.Equal(p.B, []byte{9}) {
		t.Errorf("Unmarshal = %+v, %v, want {7 [9]}, nil", p, err)
	}
	if got := Marshal(p); !bytes.Equal(got, []byte{0, 7, 0, 0, 0, 1, 9}) {
		t.Errorf("Marshal(%+v) = %x, want 00070000000109", p, got)
	}
}

func TestEmptyListDecodesAsNil(t *testing.T) {
	r := NewReader([]byte{0, 0, 0, 0})
	if got := List(r, 4, 1, (*Reader).U8); got != nil || r.Done() != nil {
		t.Errorf("List(empty) = %#v, %v, want nil, nil", got, r.Done())
	}
}
