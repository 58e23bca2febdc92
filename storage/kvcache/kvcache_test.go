package kvcache_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/storage/kvcache"
	"github.com/myriadchain/myriad/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return kvcache.New(kv.NewMemory(), kvcache.Config{}) })
}

// TestConformanceTinyCache runs the suite with a cache that is emptied
// all the time.
func TestConformanceTinyCache(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return kvcache.New(kv.NewMemory(), kvcache.Config{MaxBytes: 64}) })
}

// counting counts the reads that reach the store.
type counting struct {
	kv.Store
	mu            sync.Mutex
	gets, scans   int
	failNextApply bool
}

func (c *counting) Get(ctx context.Context, k []byte) ([]byte, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.Store.Get(ctx, k)
}

func (c *counting) MultiGet(ctx context.Context, ks [][]byte) ([][]byte, error) {
	c.mu.Lock()
	c.gets += len(ks)
	c.mu.Unlock()
	return c.Store.MultiGet(ctx, ks)
}

func (c *counting) Scan(ctx context.Context, p []byte, fn func(k, v []byte) error) error {
	c.mu.Lock()
	c.scans++
	c.mu.Unlock()
	return c.Store.Scan(ctx, p, fn)
}

var errBroken = errors.New("broken")

func (c *counting) Apply(ctx context.Context, b *kv.Batch) error {
	if c.failNextApply {
		c.failNextApply = false
		// Half applied: the first operation lands, then the store fails.
		var first kv.Batch
		first.Ops = b.Ops[:1]
		c.Store.Apply(ctx, &first) //nolint:errcheck // the test's own memory store
		return errBroken
	}
	return c.Store.Apply(ctx, b)
}

func put(t *testing.T, s kv.Store, kvs ...string) {
	t.Helper()
	var b kv.Batch
	for i := 0; i < len(kvs); i += 2 {
		b.Put([]byte(kvs[i]), []byte(kvs[i+1]))
	}
	if err := s.Apply(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, s kv.Store, k string) string {
	t.Helper()
	v, err := s.Get(context.Background(), []byte(k))
	if errors.Is(err, kv.ErrNotFound) {
		return "<none>"
	} else if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

func scan(t *testing.T, s kv.Store, p string) string {
	t.Helper()
	out := ""
	err := s.Scan(context.Background(), []byte(p), func(k, v []byte) error {
		out += string(k) + "=" + string(v) + " "
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReadsAreCachedAndWritesSeen(t *testing.T) {
	inner := &counting{Store: kv.NewMemory()}
	s := kvcache.New(inner, kvcache.Config{})
	put(t, s, "a/1", "x", "a/2", "y", "b/1", "z")
	for range 3 {
		if get(t, s, "a/1") != "x" || get(t, s, "nope") != "<none>" || scan(t, s, "a/") != "a/1=x a/2=y " {
			t.Fatal("wrong reads")
		}
	}
	// The batch filled the cache; only the missing key and the scan went
	// to the store, once.
	if inner.gets != 1 || inner.scans != 1 {
		t.Fatalf("store saw %d gets and %d scans, want 1 and 1 (the rest from the cache)", inner.gets, inner.scans)
	}
	put(t, s, "a/3", "w", "nope", "now")
	if scan(t, s, "a/") != "a/1=x a/2=y a/3=w " || get(t, s, "nope") != "now" {
		t.Fatal("a write is not seen through the cache")
	}
	var b kv.Batch
	b.DeletePrefix([]byte("a/"))
	b.Delete([]byte("b/1"))
	if err := s.Apply(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if get(t, s, "a/1") != "<none>" || scan(t, s, "a/") != "" || get(t, s, "b/1") != "<none>" || scan(t, s, "") != "nope=now " {
		t.Fatal("a deletion is not seen through the cache")
	}
}

func TestFailedApplyEmptiesTheCache(t *testing.T) {
	inner := &counting{Store: kv.NewMemory()}
	s := kvcache.New(inner, kvcache.Config{})
	put(t, s, "k1", "old", "k2", "old")
	get(t, s, "k1")
	get(t, s, "k2")
	inner.failNextApply = true
	var b kv.Batch
	b.Put([]byte("k1"), []byte("new"))
	b.Put([]byte("k2"), []byte("new"))
	if err := s.Apply(context.Background(), &b); !errors.Is(err, errBroken) {
		t.Fatalf("Apply = %v, want the store's error", err)
	}
	if got := get(t, s, "k1"); got != "new" {
		t.Fatalf("after a failed batch the cache answered %q; the store holds \"new\"", got)
	}
}

// TestReadDuringApply: a read that started before a batch and ends after
// it must not leave its old value in the cache.
func TestReadDuringApply(t *testing.T) {
	inner := &slowGet{Store: kv.NewMemory(), release: make(chan struct{}), started: make(chan struct{})}
	put(t, inner.Store, "k", "old") // beneath the cache: the read must reach the store
	s := kvcache.New(inner, kvcache.Config{})
	done := make(chan string)
	go func() {
		v, _ := s.Get(context.Background(), []byte("k"))
		done <- string(v)
	}()
	<-inner.started // the read has the old value in hand
	put(t, s, "k", "new")
	close(inner.release)
	if v := <-done; v != "old" {
		t.Fatalf("the slow read answered %q", v)
	}
	if got := get(t, s, "k"); got != "new" {
		t.Fatalf("after the batch the cache answered %q, want \"new\"", got)
	}
}

type slowGet struct {
	kv.Store
	once             sync.Once
	started, release chan struct{}
}

func (s *slowGet) Get(ctx context.Context, k []byte) ([]byte, error) {
	v, err := s.Store.Get(ctx, k)
	s.once.Do(func() {
		close(s.started)
		<-s.release
	})
	return v, err
}
