// Package kvcache keeps what a kv.Store has read in memory, for a store
// that only this process writes: the browser wallet's IndexedDB, which it
// holds alone under a Web Lock, and where every read is a round trip
// through JavaScript (about a millisecond) while the same read from a Go
// map takes nanoseconds.
//
//	s := kvcache.New(idb, kvcache.Config{MaxBytes: 64 << 20})
//
// Values (and the absence of a key) are cached by Get and MultiGet; a
// Scan that runs to its end caches its whole range. Apply writes through:
// the store first, then the cache is updated from the batch, so a read
// after Apply sees the batch. A read that was in flight while a batch was
// applied does not fill the cache (it may have seen the old state). If
// Apply fails, the cache is emptied, since the store's state is then
// unknown. When the cache outgrows MaxBytes it is emptied and refills.
//
// The cache is only correct if nothing else writes the store meanwhile:
// never put it in front of a store shared between processes.
package kvcache

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/myriadchain/myriad/core/kv"
)

// Config bounds a Store's memory.
type Config struct {
	// MaxBytes is the most key and value bytes kept; 0: 64 MiB.
	MaxBytes int
}

// Store is a kv.Store that caches the reads of another. It is safe for
// concurrent use.
type Store struct {
	inner kv.Store
	max   int

	mu     sync.Mutex
	gen    uint64 // changes whenever a batch starts or ends
	values map[string]value
	scans  map[string][]pair
	size   int
}

type value struct {
	v       []byte
	present bool
}

// clone copies a present value: never nil, so that an empty value stays
// apart from a missing one.
func clone(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return bytes.Clone(v)
}

type pair struct{ k, v []byte }

// New returns a Store caching inner's reads. Closing it closes inner.
func New(inner kv.Store, cfg Config) *Store {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 64 << 20
	}
	s := &Store{inner: inner, max: cfg.MaxBytes}
	s.reset()
	return s
}

// reset empties the cache; s.mu must be held.
func (s *Store) reset() {
	s.values, s.scans, s.size = map[string]value{}, map[string][]pair{}, 0
}

// generation returns the batch generation a read starts in.
func (s *Store) generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	s.mu.Lock()
	c, ok := s.values[string(key)]
	gen := s.gen
	s.mu.Unlock()
	if ok {
		if !c.present {
			return nil, kv.ErrNotFound
		}
		return clone(c.v), nil
	}
	v, err := s.inner.Get(ctx, key)
	switch {
	case errors.Is(err, kv.ErrNotFound):
		s.remember(gen, []string{string(key)}, [][]byte{nil})
	case err == nil:
		s.remember(gen, []string{string(key)}, [][]byte{v})
	}
	return v, err
}

// MultiGet implements kv.Store.
func (s *Store) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	var missing [][]byte
	var at []int
	s.mu.Lock()
	gen := s.gen
	for i, k := range keys {
		c, ok := s.values[string(k)]
		switch {
		case !ok:
			missing, at = append(missing, k), append(at, i)
		case c.present:
			out[i] = clone(c.v)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.inner.MultiGet(ctx, missing)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(missing))
	for j, i := range at {
		out[i], names[j] = got[j], string(missing[j])
	}
	s.remember(gen, names, got)
	return out, nil
}

// remember caches values read in generation gen (nil: absent), unless a
// batch has started since.
func (s *Store) remember(gen uint64, keys []string, vals [][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != gen {
		return
	}
	for i, k := range keys {
		s.size += len(k) + len(vals[i])
		if vals[i] == nil {
			s.values[k] = value{}
		} else {
			s.values[k] = value{v: clone(vals[i]), present: true}
		}
	}
	s.trim()
}

// trim empties the cache if it is over its bound; s.mu must be held.
func (s *Store) trim() {
	if s.size > s.max {
		s.reset()
	}
}

// Scan implements kv.Store. The slices passed to fn may be the cache's
// own: fn must not modify them (kv.Store says they are valid only during
// the call).
func (s *Store) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error {
	s.mu.Lock()
	cached, ok := s.scans[string(prefix)]
	gen := s.gen
	s.mu.Unlock()
	if ok {
		for _, p := range cached {
			if err := fn(p.k, p.v); errors.Is(err, kv.Stop) {
				return nil
			} else if err != nil {
				return err
			}
		}
		return nil
	}
	var seen []pair
	size, stopped := 0, false
	err := s.inner.Scan(ctx, prefix, func(k, v []byte) error {
		if size <= s.max/4 {
			seen = append(seen, pair{bytes.Clone(k), clone(v)})
			size += len(k) + len(v)
		}
		err := fn(k, v)
		stopped = err != nil
		return err
	})
	if err == nil && !stopped && size <= s.max/4 {
		s.rememberScan(gen, string(prefix), seen, size)
	}
	return err
}

func (s *Store) rememberScan(gen uint64, prefix string, pairs []pair, size int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != gen {
		return
	}
	if pairs == nil {
		pairs = []pair{}
	}
	s.scans[prefix] = pairs
	s.size += size + len(prefix)
	s.trim()
}

// Apply implements kv.Store: the batch goes to the store, then into the
// cache.
func (s *Store) Apply(ctx context.Context, b *kv.Batch) error {
	s.mu.Lock()
	s.gen++
	s.mu.Unlock()
	err := s.inner.Apply(ctx, b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	if err != nil {
		if !errors.Is(err, kv.ErrTooLarge) { // refused whole: nothing changed
			s.reset()
		}
		return err
	}
	for _, op := range b.Ops {
		s.update(op)
	}
	s.trim()
	return nil
}

// update brings the cache in line with one applied operation; s.mu must
// be held.
func (s *Store) update(op kv.Op) {
	key := string(op.Key)
	switch op.Kind {
	case kv.OpPut:
		s.size += len(key) + len(op.Value)
		s.values[key] = value{v: clone(op.Value), present: true}
	case kv.OpDelete:
		s.values[key] = value{}
	default: // kv.OpDeletePrefix and anything newer: forget what it may touch
		for k := range s.values {
			if strings.HasPrefix(k, key) {
				delete(s.values, k)
			}
		}
	}
	for p := range s.scans {
		if strings.HasPrefix(key, p) || (op.Kind != kv.OpPut && op.Kind != kv.OpDelete && strings.HasPrefix(p, key)) {
			delete(s.scans, p)
		}
	}
}

// Close implements kv.Store: it closes the store underneath.
func (s *Store) Close() error {
	s.mu.Lock()
	s.reset()
	s.mu.Unlock()
	return s.inner.Close()
}
