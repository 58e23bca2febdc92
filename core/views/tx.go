// Package views stores structured chain state on a kv.Store and hashes it
// incrementally.
//
// A Tx is an overlay over one key prefix of a store: reads go to the
// overlay first, then to the store (and are cached); writes stay in the
// overlay until Commit turns them into one atomic kv.Batch. Dropping a Tx
// rolls everything back, which is how a validator executes a proposal
// without changing its state.
//
// Typed views sit on a Tx: Register (one value), Map (keyed values), Log
// (append-only list), Queue (FIFO) and Collection (a family of sub-views
// keyed by a value). A Tx keeps the first storage error it meets and turns
// later reads into misses, so view code reads straight through and the
// caller checks Err once — state must never be half-read silently.
//
// # State hash
//
// Keys under a Tx's hashed sub-prefix form the execution state. Its hash is
// an LtHash (a lattice-based homomorphic set hash, Bellare–Micciancio with
// the parameters of Facebook's LtHash16: 1024 lanes of 16 bits) of the set
// of (key, value) pairs, so a commit updates it by subtracting each changed
// key's old pair and adding its new one: the cost is proportional to what a
// block touched, not to the size of the state, and the result depends only
// on the final contents — never on the order of writes. See docs/state-hash.md.
package views

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/myriadchain/myriad/core/kv"
)

type readEntry struct {
	value []byte
	found bool
}

// Tx is an overlay of pending writes over one prefix of a store. It is not
// safe for concurrent use.
type Tx struct {
	ctx    context.Context
	store  kv.Store
	prefix []byte
	writes map[string]*[]byte // nil pointer: deleted
	reads  map[string]readEntry
	err    error
	// track, if not nil, records every committed value read (Track).
	track    map[string]Read
	untraced bool // a Scan ran while tracking: the reads are not all known
}

// Read is a committed value a Tx read: its Value and whether the key
// existed.
type Read struct {
	Value []byte
	Found bool
}

// Track starts recording the committed value of every key the Tx reads,
// for Tracked. Pending writes must be empty: a later replay of the writes
// made after Track (Writes, Restore) is valid only on the state whose
// reads Tracked returns.
func (t *Tx) Track() {
	t.track, t.untraced = map[string]Read{}, false
	if len(t.writes) > 0 {
		t.untraced = true
	}
}

// Tracked returns the committed values read since Track, and stops
// recording. ok is false if the record is incomplete (a Scan read a
// range, or writes were pending at Track) or Track was not called.
func (t *Tx) Tracked() (reads map[string]Read, ok bool) {
	reads, ok = t.track, t.track != nil && !t.untraced && t.err == nil
	t.track, t.untraced = nil, false
	return reads, ok
}

// Unchanged reports whether every key of reads has the same committed
// value in the Tx now (reading those not read yet). A computation that is
// a function of the values it read gives, on such a state, the same
// result again.
func (t *Tx) Unchanged(reads map[string]Read) bool {
	for k, r := range reads {
		v, found := t.base(k)
		if found != r.Found || !bytes.Equal(v, r.Value) {
			return false
		}
	}
	return t.err == nil
}

// Write is one pending write: Value nil means the key is deleted.
type Write struct {
	Key   string
	Value *[]byte
}

// Writes returns the pending writes, for Restore on another Tx.
func (t *Tx) Writes() []Write {
	out := make([]Write, 0, len(t.writes))
	for k, v := range t.writes {
		out = append(out, Write{Key: k, Value: v})
	}
	return out
}

// Restore makes ws (from Writes) the Tx's pending writes, on top of any
// already there. ws must not be changed afterwards; the Tx copies on write.
func (t *Tx) Restore(ws []Write) {
	for _, w := range ws {
		if w.Value == nil {
			t.writes[w.Key] = nil
			continue
		}
		v := bytes.Clone(*w.Value)
		if v == nil {
			v = []byte{}
		}
		t.writes[w.Key] = &v
	}
}

// NewTx opens an overlay over the keys of store under prefix. Keys given
// to the Tx are relative to prefix.
func NewTx(ctx context.Context, store kv.Store, prefix []byte) *Tx {
	return &Tx{ctx: ctx, store: store, prefix: bytes.Clone(prefix),
		writes: map[string]*[]byte{}, reads: map[string]readEntry{}}
}

// Err returns the first storage error the Tx met.
func (t *Tx) Err() error { return t.err }

// Fail records err as the Tx's error unless one is recorded.
func (t *Tx) Fail(err error) {
	if t.err == nil && err != nil {
		t.err = err
	}
}

func (t *Tx) full(key string) []byte { return append(bytes.Clone(t.prefix), key...) }

// base returns the committed value of key, caching it.
func (t *Tx) base(key string) ([]byte, bool) {
	e, ok := t.reads[key]
	if !ok {
		if t.err != nil {
			return nil, false
		}
		vals, err := t.store.MultiGet(t.ctx, [][]byte{t.full(key)})
		if err != nil {
			t.Fail(fmt.Errorf("views: read %q: %w", key, err))
			return nil, false
		}
		e = readEntry{value: vals[0], found: vals[0] != nil}
		t.reads[key] = e
	}
	if t.track != nil {
		t.track[key] = Read{Value: e.value, Found: e.found}
	}
	return e.value, e.found
}

// Prefetch reads the given keys from the store in one MultiGet.
func (t *Tx) Prefetch(keys ...[]byte) {
	var missing [][]byte
	var names []string
	for _, k := range keys {
		if _, ok := t.reads[string(k)]; !ok {
			names = append(names, string(k))
			missing = append(missing, t.full(string(k)))
		}
	}
	if len(missing) == 0 || t.err != nil {
		return
	}
	vals, err := t.store.MultiGet(t.ctx, missing)
	if err != nil {
		t.Fail(fmt.Errorf("views: prefetch: %w", err))
		return
	}
	for i, v := range vals {
		t.reads[names[i]] = readEntry{value: v, found: v != nil}
	}
}

// Get returns the current value of key.
func (t *Tx) Get(key []byte) ([]byte, bool) {
	if w, ok := t.writes[string(key)]; ok {
		if w == nil {
			return nil, false
		}
		return *w, true
	}
	return t.base(string(key))
}

// Committed returns key's value in the store, ignoring pending writes.
func (t *Tx) Committed(key []byte) ([]byte, bool) { return t.base(string(key)) }

// Put sets key to value.
func (t *Tx) Put(key, value []byte) {
	v := bytes.Clone(value)
	if v == nil {
		v = []byte{}
	}
	t.writes[string(key)] = &v
}

// Delete removes key.
func (t *Tx) Delete(key []byte) { t.writes[string(key)] = nil }

// Scan calls fn for every current key under prefix in ascending order,
// merging committed keys with pending writes, until fn returns false.
func (t *Tx) Scan(prefix []byte, fn func(key, value []byte) bool) {
	if t.err != nil {
		return
	}
	if t.track != nil {
		t.untraced = true
	}
	type kvp struct{ k, v []byte }
	var committed []kvp
	err := t.store.Scan(t.ctx, t.full(string(prefix)), func(k, v []byte) error {
		committed = append(committed, kvp{bytes.Clone(k[len(t.prefix):]), bytes.Clone(v)})
		return nil
	})
	if err != nil {
		t.Fail(fmt.Errorf("views: scan %q: %w", prefix, err))
		return
	}
	var pending []string
	for k := range t.writes {
		if strings.HasPrefix(k, string(prefix)) {
			pending = append(pending, k)
		}
	}
	slices.Sort(pending)
	i, j := 0, 0
	for i < len(committed) || j < len(pending) {
		var k []byte
		switch {
		case j == len(pending) || i < len(committed) && string(committed[i].k) < pending[j]:
			k = committed[i].k
			i++
		case i == len(committed) || pending[j] < string(committed[i].k):
			k = []byte(pending[j])
			j++
		default: // same key: the pending write wins
			k = committed[i].k
			i++
			j++
		}
		if v, ok := t.Get(k); ok && !fn(k, v) {
			return
		}
	}
}

// Change is one key's committed and new value.
type Change struct {
	Key      []byte
	Old, New []byte
	HadOld   bool
	Deleted  bool
}

// Changes returns the pending writes that differ from the committed state,
// sorted by key. It reads every changed key's committed value.
func (t *Tx) Changes() []Change {
	keys := make([]string, 0, len(t.writes))
	var fetch [][]byte
	for k := range t.writes {
		keys = append(keys, k)
		if _, ok := t.reads[k]; !ok {
			fetch = append(fetch, []byte(k))
		}
	}
	t.Prefetch(fetch...)
	slices.Sort(keys)
	out := make([]Change, 0, len(keys))
	for _, k := range keys {
		old, had := t.base(k)
		w := t.writes[k]
		if w == nil && !had || w != nil && had && bytes.Equal(*w, old) {
			continue
		}
		c := Change{Key: []byte(k), Old: old, HadOld: had, Deleted: w == nil}
		if w != nil {
			c.New = *w
		}
		out = append(out, c)
	}
	return out
}

// Dirty reports whether the Tx has pending writes.
func (t *Tx) Dirty() bool { return len(t.writes) > 0 }

// WriteTo adds the changes to b (with full keys) and folds them into the
// committed view of the Tx, so it can go on being used after the batch
// is applied.
func (t *Tx) WriteTo(b *kv.Batch, changes []Change) {
	for _, c := range changes {
		if c.Deleted {
			b.Delete(t.full(string(c.Key)))
			t.reads[string(c.Key)] = readEntry{}
		} else {
			b.Put(t.full(string(c.Key)), c.New)
			t.reads[string(c.Key)] = readEntry{value: c.New, found: true}
		}
	}
	clear(t.writes)
}

// Rollback drops every pending write.
func (t *Tx) Rollback() { clear(t.writes) }
