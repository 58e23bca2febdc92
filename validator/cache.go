package validator

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/myriadchain/myriad/core/kv"
)

// cache is a kv.Store that keeps recently read values (and absences) of
// an inner store in a bounded LRU, so that hot chains are not read from
// storage for every request. Apply writes through: after it returns, the
// cache holds the batch's values.
//
// A read that misses fills the cache only if no Apply touched the key's
// stripe while it read: each Apply counts itself active on its keys'
// stripes and bumps their generation before it writes, and a miss caches
// its value only if the stripe had no active Apply when the read began and
// the same generation when it ended. A value read before a concurrent
// write can therefore never overwrite the newer one. Scans are not cached.
type cache struct {
	inner    kv.Store
	maxBytes int64
	seed     maphash.Seed
	stripes  [256]stripe

	mu    sync.Mutex
	items map[string]*list.Element // of *cacheEntry
	lru   list.List                // front: most recent
	bytes int64

	hits, misses atomic.Uint64
	closed       atomic.Bool
}

// stripe counts the Applies touching a share of the keys.
type stripe struct {
	active atomic.Int64  // Applies in progress
	gen    atomic.Uint64 // Applies started
}

type cacheEntry struct {
	key   string
	value []byte // nil: absent
}

// cacheOverhead approximates the bytes of an entry beyond key and value.
const cacheOverhead = 96

var _ kv.Store = (*cache)(nil)

func newCache(inner kv.Store, maxBytes int64) *cache {
	return &cache{inner: inner, maxBytes: maxBytes, seed: maphash.MakeSeed(), items: map[string]*list.Element{}}
}

func (c *cache) stripe(key []byte) *stripe {
	return &c.stripes[maphash.Bytes(c.seed, key)%uint64(len(c.stripes))]
}

// Get implements kv.Store.
func (c *cache) Get(ctx context.Context, key []byte) ([]byte, error) {
	vals, err := c.MultiGet(ctx, [][]byte{key})
	if err != nil {
		return nil, err
	}
	if vals[0] == nil {
		return nil, fmt.Errorf("%w: %x", kv.ErrNotFound, key)
	}
	return vals[0], nil
}

// MultiGet implements kv.Store.
func (c *cache) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	if c.closed.Load() {
		return nil, kv.ErrClosed
	}
	out := make([][]byte, len(keys))
	missing := 0
	c.mu.Lock()
	for i, k := range keys {
		if e, ok := c.items[string(k)]; ok {
			c.lru.MoveToFront(e)
			out[i] = bytes.Clone(e.Value.(*cacheEntry).value)
		} else {
			missing++
		}
	}
	c.mu.Unlock()
	c.hits.Add(uint64(len(keys) - missing))
	if missing == 0 {
		return out, nil
	}
	c.misses.Add(uint64(missing))
	return c.fill(ctx, keys)
}

// fill reads every key from the inner store (in one MultiGet, so the
// values are one consistent snapshot, never part cached and part fresh)
// and caches those no Apply touched meanwhile.
func (c *cache) fill(ctx context.Context, keys [][]byte) ([][]byte, error) {
	gens := make([]uint64, len(keys))
	quiet := make([]bool, len(keys))
	for i, k := range keys {
		s := c.stripe(k)
		gens[i] = s.gen.Load()
		quiet[i] = s.active.Load() == 0
	}
	vals, err := c.inner.MultiGet(ctx, keys)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, k := range keys {
		if quiet[i] && c.stripe(k).gen.Load() == gens[i] {
			c.putLocked(string(k), bytes.Clone(vals[i]), vals[i] != nil)
		}
	}
	return vals, nil
}

// putLocked caches key's value (present reports whether the key exists;
// an existing empty value is stored as a non-nil empty slice).
func (c *cache) putLocked(key string, value []byte, present bool) {
	if present && value == nil {
		value = []byte{}
	}
	if e, ok := c.items[key]; ok {
		old := e.Value.(*cacheEntry)
		c.bytes += int64(len(value) - len(old.value))
		old.value = value
		c.lru.MoveToFront(e)
	} else {
		c.items[key] = c.lru.PushFront(&cacheEntry{key: key, value: value})
		c.bytes += int64(len(key)+len(value)) + cacheOverhead
	}
	for c.bytes > c.maxBytes && c.lru.Len() > 0 {
		c.removeLocked(c.lru.Back())
	}
}

func (c *cache) removeLocked(e *list.Element) {
	ent := e.Value.(*cacheEntry)
	c.lru.Remove(e)
	delete(c.items, ent.key)
	c.bytes -= int64(len(ent.key)+len(ent.value)) + cacheOverhead
}

// Scan implements kv.Store; scans go to the inner store.
func (c *cache) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error {
	return c.inner.Scan(ctx, prefix, fn)
}

// Apply implements kv.Store, writing through to the cache once the batch
// is durable. If Apply fails, the batch's keys are dropped from the cache.
func (c *cache) Apply(ctx context.Context, b *kv.Batch) error {
	stripes := c.touched(b)
	for _, s := range stripes {
		s.active.Add(1)
		s.gen.Add(1)
	}
	defer func() {
		for _, s := range stripes {
			s.active.Add(-1)
		}
	}()
	err := c.inner.Apply(ctx, b)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, op := range b.Ops {
		switch {
		case op.Kind == kv.OpDeletePrefix:
			c.dropPrefixLocked(op.Key)
		case err != nil:
			if e, ok := c.items[string(op.Key)]; ok {
				c.removeLocked(e)
			}
		case op.Kind == kv.OpPut:
			c.putLocked(string(op.Key), bytes.Clone(op.Value), true)
		case op.Kind == kv.OpDelete:
			c.putLocked(string(op.Key), nil, false)
		}
	}
	return err
}

// touched returns the distinct stripes b touches: all of them if it
// deletes a prefix.
func (c *cache) touched(b *kv.Batch) []*stripe {
	seen := map[*stripe]bool{}
	var out []*stripe
	for _, op := range b.Ops {
		if op.Kind == kv.OpDeletePrefix {
			out = out[:0]
			for i := range c.stripes {
				out = append(out, &c.stripes[i])
			}
			return out
		}
		if s := c.stripe(op.Key); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (c *cache) dropPrefixLocked(prefix []byte) {
	for k, e := range c.items {
		if bytes.HasPrefix([]byte(k), prefix) {
			c.removeLocked(e)
		}
	}
}

// Close implements kv.Store, closing the inner store.
func (c *cache) Close() error {
	c.closed.Store(true)
	return c.inner.Close()
}
