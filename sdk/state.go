package sdk

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"

	"github.com/myriadchain/myriad/core/ids"
)

// Values of the typed state helpers are stored as JSON (docs/sdk.md says
// why). Names must not contain '/': a collection named n keeps its entries
// under "n/", so a Register "n" and a Map "n" would not collide, but a Map
// "a" and a Register "a/x" would.

func encode[T any](v T) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sdk: encode %T: %v", v, err))
	}
	return b
}

func decode[T any](key, b []byte) T {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		panic(fmt.Sprintf("sdk: corrupt state at %q: %v", key, err))
	}
	return v
}

// Register is one value of type T under a key. The zero Register is not
// usable: make one with NewRegister.
type Register[T any] struct {
	store Store
	key   []byte
}

// NewRegister returns the register named name in s.
func NewRegister[T any](s Store, name string) Register[T] {
	return Register[T]{store: s, key: []byte(name)}
}

// Get returns the value, or T's zero value if it was never set.
func (r Register[T]) Get() T {
	v, _ := r.Lookup()
	return v
}

// Lookup returns the value and whether it was set.
func (r Register[T]) Lookup() (T, bool) {
	b, ok := r.store.Read(r.key)
	if !ok {
		var zero T
		return zero, false
	}
	return decode[T](r.key, b), true
}

// Set stores v.
func (r Register[T]) Set(v T) { r.store.Write(r.key, encode(v)) }

// Clear deletes the value.
func (r Register[T]) Clear() { r.store.Delete(r.key) }

// Map maps keys of type K to values of type V. Keys of type string, uint64,
// uint32, bool and ids.Hash (so ChainID, Owner, ApplicationID) are stored as
// raw bytes (integers big-endian), so Entries returns them in their natural
// order; other key types are stored as JSON, in the order of their
// encodings. Make one with NewMap.
type Map[K comparable, V any] struct {
	store  Store
	prefix []byte
}

// NewMap returns the map named name in s.
func NewMap[K comparable, V any](s Store, name string) Map[K, V] {
	return Map[K, V]{store: s, prefix: []byte(name + "/")}
}

func (m Map[K, V]) key(k K) []byte { return append(append([]byte(nil), m.prefix...), keyBytes(k)...) }

// Get returns the value of k, or V's zero value.
func (m Map[K, V]) Get(k K) V {
	v, _ := m.Lookup(k)
	return v
}

// Lookup returns the value of k and whether it is present.
func (m Map[K, V]) Lookup(k K) (V, bool) {
	key := m.key(k)
	b, ok := m.store.Read(key)
	if !ok {
		var zero V
		return zero, false
	}
	return decode[V](key, b), true
}

// Has reports whether k is present.
func (m Map[K, V]) Has(k K) bool {
	_, ok := m.store.Read(m.key(k))
	return ok
}

// Set stores v under k.
func (m Map[K, V]) Set(k K, v V) { m.store.Write(m.key(k), encode(v)) }

// Delete removes k.
func (m Map[K, V]) Delete(k K) { m.store.Delete(m.key(k)) }

// Entries returns every key and value, in key order (one scan of the host).
func (m Map[K, V]) Entries() iter.Seq2[K, V] {
	kvs := m.store.Scan(m.prefix)
	return func(yield func(K, V) bool) {
		for _, kv := range kvs {
			k := keyFrom[K](kv.Key[len(m.prefix):])
			if !yield(k, decode[V](kv.Key, kv.Value)) {
				return
			}
		}
	}
}

// Len returns the number of entries (one scan of the host).
func (m Map[K, V]) Len() int { return len(m.store.Scan(m.prefix)) }

func keyBytes(k any) []byte {
	switch k := k.(type) {
	case string:
		return []byte(k)
	case ids.Hash:
		return k[:]
	case uint64:
		return binary.BigEndian.AppendUint64(nil, k)
	case uint32:
		return binary.BigEndian.AppendUint32(nil, k)
	case bool:
		if k {
			return []byte{1}
		}
		return []byte{0}
	}
	return encode(k)
}

func keyFrom[K any](b []byte) K {
	var k K
	switch p := any(&k).(type) {
	case *string:
		*p = string(b)
	case *ids.Hash:
		copy(p[:], b)
	case *uint64:
		*p = binary.BigEndian.Uint64(b)
	case *uint32:
		*p = binary.BigEndian.Uint32(b)
	case *bool:
		*p = len(b) == 1 && b[0] == 1
	default:
		k = decode[K](b, b)
	}
	return k
}

// Log is an append-only list of T, indexed from 0. Make one with NewLog.
type Log[T any] struct {
	store Store
	name  string
}

// NewLog returns the log named name in s.
func NewLog[T any](s Store, name string) Log[T] { return Log[T]{store: s, name: name} }

func (l Log[T]) count() Register[uint64] { return NewRegister[uint64](l.store, l.name+"/n") }

func (l Log[T]) entryKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(l.name+"/i/"), i)
}

// Len returns the number of entries.
func (l Log[T]) Len() uint64 { return l.count().Get() }

// Append adds v at the end and returns its index.
func (l Log[T]) Append(v T) uint64 {
	n := l.count()
	i := n.Get()
	l.store.Write(l.entryKey(i), encode(v))
	n.Set(i + 1)
	return i
}

// Get returns entry i; it panics if i >= Len().
func (l Log[T]) Get(i uint64) T {
	k := l.entryKey(i)
	b, ok := l.store.Read(k)
	if !ok {
		panic(fmt.Sprintf("sdk: log %q has no entry %d", l.name, i))
	}
	return decode[T](k, b)
}

// All returns every entry in order (one scan of the host).
func (l Log[T]) All() []T { return scanValues[T](l.store, []byte(l.name+"/i/")) }

func scanValues[T any](s Store, prefix []byte) []T {
	kvs := s.Scan(prefix)
	out := make([]T, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, decode[T](kv.Key, kv.Value))
	}
	return out
}

// Queue is a first-in first-out queue of T. Make one with NewQueue.
type Queue[T any] struct {
	store Store
	name  string
}

// NewQueue returns the queue named name in s.
func NewQueue[T any](s Store, name string) Queue[T] { return Queue[T]{store: s, name: name} }

type queueBounds struct{ Head, Tail uint64 }

func (q Queue[T]) bounds() Register[queueBounds] {
	return NewRegister[queueBounds](q.store, q.name+"/b")
}

func (q Queue[T]) entryKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(q.name+"/i/"), i)
}

// Len returns the number of queued values.
func (q Queue[T]) Len() uint64 {
	b := q.bounds().Get()
	return b.Tail - b.Head
}

// Push adds v at the back.
func (q Queue[T]) Push(v T) {
	r := q.bounds()
	b := r.Get()
	q.store.Write(q.entryKey(b.Tail), encode(v))
	b.Tail++
	r.Set(b)
}

// Front returns the value at the front, or ok false if the queue is empty.
func (q Queue[T]) Front() (v T, ok bool) {
	b := q.bounds().Get()
	if b.Head == b.Tail {
		return v, false
	}
	k := q.entryKey(b.Head)
	raw, _ := q.store.Read(k)
	return decode[T](k, raw), true
}

// Pop removes and returns the value at the front, or ok false if the
// queue is empty.
func (q Queue[T]) Pop() (v T, ok bool) {
	v, ok = q.Front()
	if !ok {
		return v, false
	}
	r := q.bounds()
	b := r.Get()
	q.store.Delete(q.entryKey(b.Head))
	b.Head++
	r.Set(b)
	return v, true
}

// All returns the queued values, front first (one scan of the host).
func (q Queue[T]) All() []T { return scanValues[T](q.store, []byte(q.name+"/i/")) }
