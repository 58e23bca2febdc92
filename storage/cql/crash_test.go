package cqlstore_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	cqlstore "github.com/myriadchain/myriad/storage/cql"
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

// chainKey returns a key in the state of chain c.
func chainKey(c byte, rest string) []byte {
	return append(append([]byte("c/"), bytes.Repeat([]byte{c}, 32)...), "/"+rest...)
}

// randomBatch is storagetest.RandomBatch plus writes to two chains, so
// that batches span partitions.
func randomBatch(rng *rand.Rand, i int) *kv.Batch {
	b := storagetest.RandomBatch(rng)
	b.Put(chainKey(byte(rng.IntN(2)), fmt.Sprintf("k%d", rng.IntN(4))), []byte(fmt.Sprint(i)))
	if rng.IntN(4) == 0 {
		b.DeletePrefix(chainKey(byte(rng.IntN(2)), ""))
	}
	b.Put([]byte(fmt.Sprintf("batch/%02d", i)), []byte("done"))
	return b
}

// TestApplyIsDurable opens a second Store, a new session as after a crash
// of the first process, after each Apply returns: every applied batch must
// be there, with small limits (the journal) and the default ones.
func TestApplyIsDurable(t *testing.T) {
	for _, small := range []bool{false, true} {
		t.Run(fmt.Sprintf("small=%v", small), func(t *testing.T) {
			cfg := config(t, freshNamespace())
			if small {
				cfg.ChunkSize, cfg.MaxBatchBytes, cfg.MaxLoggedBytes = 3, 64, 48
			}
			s := open(t, cfg)
			defer s.Close()
			model := kv.NewMemory()
			rng := rand.New(rand.NewPCG(storagetest.Seed(t), 0))
			for i := range 15 {
				b := randomBatch(rng, i)
				if err := model.Apply(t.Context(), b); err != nil {
					t.Fatal(err)
				}
				if err := s.Apply(t.Context(), b); err != nil {
					t.Fatalf("Apply(batch %d) = %v", i, err)
				}
				r := open(t, cfg)
				got, want := dump(t, r), dump(t, model)
				r.Close()
				if !slices.Equal(got, want) {
					t.Fatalf("after batch %d a new Store sees\n\t%q\nwant\n\t%q", i, got, want)
				}
			}
		})
	}
}

var errCrash = errors.New("test: crash")

// TestCrashInJournal stops a journaled Apply at every step, as a crash of
// the process would, and opens the namespace again: the batch must be
// whole if its journal entry was committed and absent if not.
func TestCrashInJournal(t *testing.T) {
	steps := []struct {
		step  string
		nth   int
		whole bool
	}{
		{"journal chunk", 1, false},
		{"journal chunk", 3, false},
		{"journal commit", 1, true},
		{"journal part", 1, true},
		{"journal part", 2, true},
		{"journal applied", 1, true},
	}
	for _, tc := range steps {
		t.Run(fmt.Sprintf("%s#%d", tc.step, tc.nth), func(t *testing.T) {
			cfg := config(t, freshNamespace())
			cfg.ChunkSize, cfg.MaxBatchBytes, cfg.MaxLoggedBytes = 64, 256, 48
			s := open(t, cfg)
			defer s.Close()
			var before kv.Batch
			before.Put([]byte("keep"), []byte("1"))
			before.Put(chainKey(1, "old"), []byte("old"))
			if err := s.Apply(t.Context(), &before); err != nil {
				t.Fatal(err)
			}
			want := dump(t, s)
			var b kv.Batch
			b.DeletePrefix(chainKey(1, ""))
			for i := range 20 {
				b.Put(chainKey(byte(i%3), fmt.Sprintf("k%02d", i)), bytes.Repeat([]byte{byte('a' + i)}, 100))
			}
			b.Put([]byte("g/big"), bytes.Repeat([]byte("x"), 1000))
			seen := 0
			cqlstore.SetCrashHook(func(step string) error {
				if step == tc.step {
					if seen++; seen == tc.nth {
						return errCrash
					}
				}
				return nil
			})
			err := s.Apply(t.Context(), &b)
			cqlstore.SetCrashHook(nil)
			if !errors.Is(err, errCrash) {
				t.Fatalf("Apply with a crash at %s #%d = %v, want the crash", tc.step, tc.nth, err)
			}
			if tc.whole {
				model := kv.NewMemory()
				model.Apply(t.Context(), &before) //nolint:errcheck
				model.Apply(t.Context(), &b)      //nolint:errcheck
				want = dump(t, model)
			}
			r := open(t, cfg) // replays the journal
			defer r.Close()
			if got := dump(t, r); !slices.Equal(got, want) {
				t.Errorf("after a crash at %s #%d and a reopen the store holds\n\t%q\nwant\n\t%q", tc.step, tc.nth, got, want)
			}
		})
	}
}
