package views

import (
	"encoding/binary"

	"github.com/myriadchain/myriad/core/codec"
)

// Codec is a pointer to a value with a canonical encoding.
type Codec[T any] interface {
	*T
	codec.Encoder
	codec.Decoder
}

// Load decodes the value at key. A value that does not decode is recorded
// as the Tx's error (stored state is corrupt) and reported as missing.
func Load[T any, P Codec[T]](tx *Tx, key []byte) (T, bool) {
	var v T
	b, ok := tx.Get(key)
	if !ok {
		return v, false
	}
	if err := codec.Unmarshal(b, P(&v)); err != nil {
		tx.Fail(&CorruptError{Key: key, Err: err})
		return v, false
	}
	return v, true
}

// Store encodes v at key.
func Store[T any, P Codec[T]](tx *Tx, key []byte, v T) { tx.Put(key, codec.Marshal(P(&v))) }

// CorruptError reports a stored value that does not decode.
type CorruptError struct {
	Key []byte
	Err error
}

func (e *CorruptError) Error() string {
	return "views: corrupt value at " + string(e.Key) + ": " + e.Err.Error()
}
func (e *CorruptError) Unwrap() error { return e.Err }

// Register is a single value at one key.
type Register[T any, P Codec[T]] struct {
	Tx  *Tx
	Key []byte
}

// Get returns the value, or T's zero value when unset.
func (r Register[T, P]) Get() T {
	v, _ := Load[T, P](r.Tx, r.Key)
	return v
}

// Lookup returns the value and whether it is set.
func (r Register[T, P]) Lookup() (T, bool) { return Load[T, P](r.Tx, r.Key) }

// Set sets the value.
func (r Register[T, P]) Set(v T) { Store[T, P](r.Tx, r.Key, v) }

// Clear unsets the value.
func (r Register[T, P]) Clear() { r.Tx.Delete(r.Key) }

// Map maps encoded keys to values under a prefix.
type Map[K any, V any, KP Codec[K], VP Codec[V]] struct {
	Tx     *Tx
	Prefix []byte
}

func (m Map[K, V, KP, VP]) key(k K) []byte {
	return append(append([]byte{}, m.Prefix...), codec.Marshal(KP(&k))...)
}

// Get returns the value at k.
func (m Map[K, V, KP, VP]) Get(k K) (V, bool) { return Load[V, VP](m.Tx, m.key(k)) }

// Set sets the value at k.
func (m Map[K, V, KP, VP]) Set(k K, v V) { Store[V, VP](m.Tx, m.key(k), v) }

// Remove deletes k.
func (m Map[K, V, KP, VP]) Remove(k K) { m.Tx.Delete(m.key(k)) }

// Each calls fn for every entry in key order until fn returns false.
func (m Map[K, V, KP, VP]) Each(fn func(K, V) bool) {
	m.Tx.Scan(m.Prefix, func(key, value []byte) bool {
		var k K
		var v V
		if err := codec.Unmarshal(key[len(m.Prefix):], KP(&k)); err != nil {
			m.Tx.Fail(&CorruptError{Key: key, Err: err})
			return false
		}
		if err := codec.Unmarshal(value, VP(&v)); err != nil {
			m.Tx.Fail(&CorruptError{Key: key, Err: err})
			return false
		}
		return fn(k, v)
	})
}

func u64key(prefix []byte, i uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{}, prefix...), i)
}

type bounds struct{ Front, Back uint64 }

func (b bounds) Encode(w *codec.Writer)  { w.U64(b.Front); w.U64(b.Back) }
func (b *bounds) Decode(r *codec.Reader) { b.Front = r.U64(); b.Back = r.U64() }

// Queue is a FIFO of values under a prefix: entries at prefix+"e"+index,
// its bounds at prefix+"b".
type Queue[T any, P Codec[T]] struct {
	Tx     *Tx
	Prefix []byte
}

func (q Queue[T, P]) bounds() bounds {
	b, _ := Load[bounds](q.Tx, append(append([]byte{}, q.Prefix...), 'b'))
	return b
}

func (q Queue[T, P]) setBounds(b bounds) {
	k := append(append([]byte{}, q.Prefix...), 'b')
	if b.Front == b.Back {
		b = bounds{}
	}
	if b == (bounds{}) {
		q.Tx.Delete(k)
		return
	}
	Store[bounds](q.Tx, k, b)
}

func (q Queue[T, P]) entry(i uint64) []byte {
	return u64key(append(append([]byte{}, q.Prefix...), 'e'), i)
}

// Len returns the number of queued values.
func (q Queue[T, P]) Len() uint64 { b := q.bounds(); return b.Back - b.Front }

// PushBack appends v.
func (q Queue[T, P]) PushBack(v T) {
	b := q.bounds()
	Store[T, P](q.Tx, q.entry(b.Back), v)
	b.Back++
	q.setBounds(b)
}

// Front returns the oldest value.
func (q Queue[T, P]) Front() (T, bool) {
	b := q.bounds()
	if b.Front == b.Back {
		var zero T
		return zero, false
	}
	return Load[T, P](q.Tx, q.entry(b.Front))
}

// PopFront removes the oldest value.
func (q Queue[T, P]) PopFront() {
	b := q.bounds()
	if b.Front == b.Back {
		return
	}
	q.Tx.Delete(q.entry(b.Front))
	b.Front++
	q.setBounds(b)
}

// Each calls fn on every value from oldest to newest until it returns false.
func (q Queue[T, P]) Each(fn func(T) bool) {
	b := q.bounds()
	for i := b.Front; i < b.Back; i++ {
		v, ok := Load[T, P](q.Tx, q.entry(i))
		if !ok || !fn(v) {
			return
		}
	}
}

// Log is an append-only list of values under a prefix.
type Log[T any, P Codec[T]] struct {
	Tx     *Tx
	Prefix []byte
}

func (l Log[T, P]) countKey() []byte { return append(append([]byte{}, l.Prefix...), 'n') }

// Len returns the number of values.
func (l Log[T, P]) Len() uint64 {
	b, ok := l.Tx.Get(l.countKey())
	if !ok || len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// Append adds v at index Len().
func (l Log[T, P]) Append(v T) {
	n := l.Len()
	Store[T, P](l.Tx, u64key(append(append([]byte{}, l.Prefix...), 'e'), n), v)
	l.Tx.Put(l.countKey(), binary.BigEndian.AppendUint64(nil, n+1))
}

// Get returns the value at index i.
func (l Log[T, P]) Get(i uint64) (T, bool) {
	return Load[T, P](l.Tx, u64key(append(append([]byte{}, l.Prefix...), 'e'), i))
}

// Collection gives each key its own sub-prefix, under which any views live.
type Collection[K any, KP Codec[K]] struct {
	Prefix []byte
}

// At returns the sub-prefix of k. Keys are length-prefixed so no sub-prefix
// is a prefix of another.
func (c Collection[K, KP]) At(k K) []byte {
	kb := codec.Marshal(KP(&k))
	p := binary.BigEndian.AppendUint16(append([]byte{}, c.Prefix...), uint16(len(kb)))
	return append(p, kb...)
}
