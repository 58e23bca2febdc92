package validator

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/storage/storagetest"
)

// TestCacheConformance runs the kv.Store conformance suite on the cache,
// with room for everything and with room for almost nothing.
func TestCacheConformance(t *testing.T) {
	for _, size := range []int64{64 << 20, 512} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			storagetest.Run(t, func(t *testing.T) kv.Store { return newCache(kv.NewMemory(), size) })
		})
	}
}

func TestCacheEvictsAndCounts(t *testing.T) {
	ctx := t.Context()
	c := newCache(kv.NewMemory(), 10*(cacheOverhead+20))
	var b kv.Batch
	for i := range 100 {
		b.Put([]byte(fmt.Sprintf("key/%03d", i)), []byte("0123456789"))
	}
	if err := c.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if c.bytes > c.maxBytes || c.lru.Len() > 10 {
		t.Fatalf("cache holds %d bytes in %d entries, want at most %d bytes", c.bytes, c.lru.Len(), c.maxBytes)
	}
	if _, err := c.Get(ctx, []byte("key/099")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, []byte("key/000")); err != nil {
		t.Fatal(err)
	}
	if h, m := c.hits.Load(), c.misses.Load(); h != 1 || m != 1 {
		t.Errorf("hits, misses = %d, %d; want 1, 1 (the last write is cached, the first evicted)", h, m)
	}
}

// TestCacheNeverServesStaleValues races readers against writers of the
// same keys: once a write's Apply has returned, no read may see an older
// value.
func TestCacheNeverServesStaleValues(t *testing.T) {
	ctx := t.Context()
	c := newCache(kv.NewMemory(), 1<<20)
	const keys, rounds = 4, 300
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := make([]int, keys) // highest version applied, per key
	for k := range keys {
		wg.Go(func() {
			key := []byte(fmt.Sprintf("k%d", k))
			for v := 1; v <= rounds; v++ {
				var b kv.Batch
				b.Put(key, []byte(fmt.Sprintf("%06d", v)))
				if err := c.Apply(ctx, &b); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				done[k] = v
				mu.Unlock()
			}
		})
		wg.Go(func() {
			key := []byte(fmt.Sprintf("k%d", k))
			for range rounds {
				mu.Lock()
				floor := done[k]
				mu.Unlock()
				got, err := c.Get(ctx, key)
				if err != nil {
					if floor > 0 {
						t.Errorf("Get(%s) = %v after version %d was applied", key, err, floor)
					}
					continue
				}
				if want := []byte(fmt.Sprintf("%06d", floor)); bytes.Compare(got, want) < 0 {
					t.Errorf("Get(%s) = %s, but version %s was applied before the read", key, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
