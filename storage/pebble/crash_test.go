package pebblestore_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/myriadchain/myriad/core/kv"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/storage/storagetest"
)

type entry struct{ key, value string }

func dump(t *testing.T, s kv.Store) []entry {
	t.Helper()
	var out []entry
	if err := s.Scan(t.Context(), nil, func(k, v []byte) error {
		out = append(out, entry{string(k), string(v)})
		return nil
	}); err != nil {
		t.Fatalf("Scan = %v", err)
	}
	return out
}

// reopen opens the store in a crash clone of fs holding only synced data.
func reopen(t *testing.T, fs *vfs.MemFS) *pebblestore.Store {
	t.Helper()
	return open(t, pebblestore.Config{Dir: "db", FS: fs.CrashClone(vfs.CrashCloneCfg{})})
}

// TestApplyIsDurable crashes right after each Apply returns, keeping only
// data that was synced: every applied batch must be there.
func TestApplyIsDurable(t *testing.T) {
	fs := vfs.NewCrashableMem()
	s := open(t, pebblestore.Config{Dir: "db", FS: fs})
	defer s.Close()
	model := kv.NewMemory()
	rng := rand.New(rand.NewPCG(storagetest.Seed(t), 0))
	for i := range 30 {
		b := storagetest.RandomBatch(rng)
		b.Put([]byte(fmt.Sprintf("batch/%02d", i)), []byte("done"))
		if err := model.Apply(t.Context(), b); err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(t.Context(), b); err != nil {
			t.Fatalf("Apply(batch %d) = %v", i, err)
		}
		r := reopen(t, fs)
		got, want := dump(t, r), dump(t, model)
		r.Close()
		if !slices.Equal(got, want) {
			t.Fatalf("after batch %d and a crash the store holds\n\t%q\nwant\n\t%q", i, got, want)
		}
	}
}

// TestCrashCloneSeesNoSync is the control for TestApplyIsDurable: a write
// committed without a sync is lost by the same crash, so that test would
// catch an Apply that did not sync.
func TestCrashCloneSeesNoSync(t *testing.T) {
	fs := vfs.NewCrashableMem()
	db, err := pebble.Open("db", &pebble.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Set([]byte("synced"), nil, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if err := db.Set([]byte("unsynced"), nil, pebble.NoSync); err != nil {
		t.Fatal(err)
	}
	r, err := pebble.Open("db", &pebble.Options{FS: fs.CrashClone(vfs.CrashCloneCfg{})})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for key, want := range map[string]bool{"synced": true, "unsynced": false} {
		_, closer, err := r.Get([]byte(key))
		if err == nil {
			closer.Close()
		}
		if found := err == nil; found != want {
			t.Errorf("after a crash, Get(%q) found = %v (%v), want %v", key, found, err, want)
		}
	}
}

// TestCrashMidFlight takes crash clones, keeping a random part of the
// unsynced data, while writers apply batches. In each clone every batch is
// whole or absent, each writer's batches form a prefix of its sequence,
// and every batch whose Apply returned before the clone is there.
func TestCrashMidFlight(t *testing.T) {
	const writers, each = 4, 15
	fs := vfs.NewCrashableMem()
	s := open(t, pebblestore.Config{Dir: "db", FS: fs})
	defer s.Close()
	type crashed struct {
		fs      *vfs.MemFS
		durable [writers]int
	}
	var (
		done  [writers]atomic.Int32 // batches whose Apply returned, per writer
		taken []crashed
		rng   = rand.New(rand.NewPCG(storagetest.Seed(t), 0))
		wg    sync.WaitGroup
	)
	// crashNow takes a crash clone, noting first which batches had
	// returned. Writer 0 calls it after each batch, while the others write.
	crashNow := func() {
		var c crashed
		for w := range writers {
			c.durable[w] = int(done[w].Load())
		}
		c.fs = fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 50, RNG: rng})
		taken = append(taken, c)
	}
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				var b kv.Batch
				for _, part := range []string{"a", "b", "c"} {
					b.Put([]byte(fmt.Sprintf("%d/%02d/%s", w, i, part)), []byte(part))
				}
				if err := s.Apply(t.Context(), &b); err != nil {
					t.Errorf("writer %d: Apply(batch %d) = %v", w, i, err)
					return
				}
				done[w].Add(1)
				if w == 0 {
					crashNow()
				}
			}
		})
	}
	wg.Wait()
	crashNow()
	for n, c := range taken {
		r := open(t, pebblestore.Config{Dir: "db", FS: c.fs})
		checkBatches(t, n, dump(t, r), c.durable[:])
		r.Close()
	}
}

// checkBatches checks that got holds, per writer, whole batches 0..k-1 for
// some k at least durable[w], and nothing else.
func checkBatches(t *testing.T, clone int, got []entry, durable []int) {
	t.Helper()
	var want []entry
	for w := range durable {
		k := 0
		for ; k < 1000; k++ {
			if !slices.Contains(got, entry{fmt.Sprintf("%d/%02d/a", w, k), "a"}) {
				break
			}
		}
		if k < durable[w] {
			t.Errorf("clone %d: writer %d has %d batches, but %d had returned", clone, w, k, durable[w])
		}
		for i := range k {
			for _, part := range []string{"a", "b", "c"} {
				want = append(want, entry{fmt.Sprintf("%d/%02d/%s", w, i, part), part})
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("clone %d holds\n\t%q\nwant whole batches in order\n\t%q", clone, got, want)
	}
}
