package crash_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/storage/crash"
	"github.com/myriadchain/myriad/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return crash.New() })
}

func TestConformanceAfterRestart(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return crash.New().Restart() })
}

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

// batches returns a fixed sequence of batches: some hand-written ones that
// overwrite and delete each other's keys, then random ones.
func batches(t *testing.T) []*kv.Batch {
	var out []*kv.Batch
	add := func(fill func(b *kv.Batch)) {
		var b kv.Batch
		fill(&b)
		out = append(out, &b)
	}
	add(func(b *kv.Batch) { b.Put([]byte("a"), []byte("1")); b.Put([]byte("b"), []byte("1")) })
	add(func(b *kv.Batch) { b.Put([]byte("a"), []byte("2")); b.Delete([]byte("b")); b.Put([]byte("c/1"), nil) })
	add(func(b *kv.Batch) {
		b.Put([]byte("c/2"), []byte("x"))
		b.DeletePrefix([]byte("c/"))
		b.Put([]byte("c/3"), []byte("y"))
	})
	add(func(b *kv.Batch) {}) // an empty batch counts too
	add(func(b *kv.Batch) { b.DeletePrefix(nil); b.Put([]byte("z"), []byte("only")) })
	rng := rand.New(rand.NewPCG(storagetest.Seed(t), 0))
	for range 15 {
		out = append(out, storagetest.RandomBatch(rng))
	}
	return out
}

// TestCrashAtEveryPoint crashes a sequence of batches at each batch in
// turn, and checks that the restarted store holds exactly the batches
// before the crash, whole.
func TestCrashAtEveryPoint(t *testing.T) {
	seq := batches(t)
	for crashAt := 1; crashAt <= len(seq)+1; crashAt++ {
		s := crash.New()
		s.CrashAfter(crashAt)
		model := kv.NewMemory()
		for i, b := range seq {
			err := s.Apply(t.Context(), b)
			switch n := i + 1; {
			case n < crashAt:
				if err != nil {
					t.Fatalf("crash at %d: Apply(batch %d) = %v, want nil", crashAt, n, err)
				}
				if err := model.Apply(t.Context(), b); err != nil {
					t.Fatal(err)
				}
			default:
				if !errors.Is(err, crash.ErrCrashed) {
					t.Fatalf("crash at %d: Apply(batch %d) = %v, want ErrCrashed", crashAt, n, err)
				}
			}
		}
		if crashAt <= len(seq) {
			checkCrashed(t, s)
		}
		r := s.Restart()
		checkCrashed(t, s)
		if got, want := dump(t, r), dump(t, model); !slices.Equal(got, want) {
			t.Fatalf("crash at %d: restarted store holds\n\t%q\nwant\n\t%q", crashAt, got, want)
		}
		// The restarted store works and has no crash armed.
		for i := range 3 {
			var b kv.Batch
			b.Put([]byte("after"), []byte{byte(i)})
			if err := r.Apply(t.Context(), &b); err != nil {
				t.Fatalf("crash at %d: Apply after restart = %v", crashAt, err)
			}
		}
		if err := r.Close(); err != nil {
			t.Errorf("Close after restart = %v", err)
		}
	}
}

// checkCrashed checks that every call on s fails with ErrCrashed.
func checkCrashed(t *testing.T, s *crash.Store) {
	t.Helper()
	ctx := t.Context()
	var b kv.Batch
	b.Put([]byte("k"), []byte("v"))
	_, getErr := s.Get(ctx, []byte("a"))
	_, multiErr := s.MultiGet(ctx, [][]byte{[]byte("a")})
	errs := map[string]error{
		"Get":      getErr,
		"MultiGet": multiErr,
		"Scan":     s.Scan(ctx, nil, func(_, _ []byte) error { return nil }),
		"Apply":    s.Apply(ctx, &b),
		"Close":    s.Close(),
	}
	for op, err := range errs {
		if !errors.Is(err, crash.ErrCrashed) {
			t.Errorf("%s after crash = %v, want ErrCrashed", op, err)
		}
	}
	if !s.Crashed() {
		t.Error("Crashed() = false after a crash")
	}
}

func TestCrashAfter(t *testing.T) {
	ctx := t.Context()
	var ok, tooLarge kv.Batch
	ok.Put([]byte("k"), []byte("v"))
	tooLarge.Put(make([]byte, kv.MaxKeySize+1), nil)

	s := crash.New()
	s.CrashAfter(0)
	checkCrashed(t, s)

	s = crash.New()
	s.CrashAfter(1)
	if err := s.Apply(ctx, &tooLarge); !errors.Is(err, kv.ErrTooLarge) {
		t.Errorf("Apply(too large) = %v, want ErrTooLarge", err)
	}
	if s.Crashed() {
		t.Error("a refused batch set off the crash")
	}
	if err := s.Apply(ctx, &ok); !errors.Is(err, crash.ErrCrashed) {
		t.Errorf("armed Apply = %v, want ErrCrashed", err)
	}

	s = crash.New()
	s.CrashAfter(1)
	s.CrashAfter(2) // replaces the first
	if err := s.Apply(ctx, &ok); err != nil {
		t.Errorf("first Apply after CrashAfter(2) = %v, want nil", err)
	}
	if err := s.Apply(ctx, &ok); !errors.Is(err, crash.ErrCrashed) {
		t.Errorf("second Apply after CrashAfter(2) = %v, want ErrCrashed", err)
	}
}

// TestScanDuringCrash crashes the store from a scan callback: the scan
// ends with ErrCrashed before the next key.
func TestScanDuringCrash(t *testing.T) {
	s := crash.New()
	var b kv.Batch
	for _, k := range []string{"a", "b", "c", "d"} {
		b.Put([]byte(k), nil)
	}
	if err := s.Apply(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err := s.Scan(t.Context(), nil, func(_, _ []byte) error {
		seen++
		if seen == 2 {
			s.CrashAfter(0)
		}
		return nil
	})
	if !errors.Is(err, crash.ErrCrashed) || seen != 2 {
		t.Errorf("Scan crashing at key 2 = %v after %d keys, want ErrCrashed after 2", err, seen)
	}
	if got := dump(t, s.Restart()); len(got) != 4 {
		t.Errorf("restarted store holds %q, want 4 keys", got)
	}
}

// TestConcurrentCrash crashes while goroutines apply batches: the restarted
// store holds exactly the batches whose Apply returned nil.
func TestConcurrentCrash(t *testing.T) {
	const goroutines, each, crashAt = 8, 10, 37
	s := crash.New()
	s.CrashAfter(crashAt)
	var (
		mu      sync.Mutex
		applied []string
		wg      sync.WaitGroup
	)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("g%d/%02d", g, i)
				var b kv.Batch
				b.Put([]byte(id+"/a"), []byte(id))
				b.Put([]byte("last"), []byte(id))
				b.Put([]byte(id+"/b"), []byte(id))
				err := s.Apply(t.Context(), &b)
				switch {
				case err == nil:
					mu.Lock()
					applied = append(applied, id)
					mu.Unlock()
				case !errors.Is(err, crash.ErrCrashed):
					t.Errorf("Apply(%s) = %v, want nil or ErrCrashed", id, err)
				}
			}
		})
	}
	wg.Wait()
	if len(applied) != crashAt-1 {
		t.Fatalf("%d Applies returned nil, want %d", len(applied), crashAt-1)
	}
	var want []entry
	for _, id := range applied {
		want = append(want, entry{id + "/a", id}, entry{id + "/b", id})
	}
	slices.SortFunc(want, func(a, b entry) int {
		if a.key < b.key {
			return -1
		}
		return 1
	})
	got := dump(t, s.Restart())
	last := got[len(got)-1]
	if last.key != "last" || !slices.Contains(applied, last.value) {
		t.Errorf("restarted store has last = %q, want an applied batch", last)
	}
	if got = got[:len(got)-1]; !slices.Equal(got, want) {
		t.Errorf("restarted store holds\n\t%q\nwant\n\t%q", got, want)
	}
}

func TestRestartTwice(t *testing.T) {
	s := crash.New()
	r := s.Restart()
	if _, err := s.Restart().Get(t.Context(), []byte("k")); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("Get on a second restart of one store = %v, want ErrClosed", err)
	}
	var b kv.Batch
	b.Put([]byte("k"), []byte("v"))
	if err := r.Apply(t.Context(), &b); err != nil {
		t.Errorf("Apply on the first restart = %v, want nil", err)
	}
}
