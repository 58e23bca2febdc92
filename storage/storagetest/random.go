package storagetest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/kv"
)

// Seed returns the seed for a randomised test, from -storagetest.seed or
// else the clock, and logs it so that a failure can be replayed.
func Seed(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(*seedFlag)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -storagetest.seed=%d)", seed, seed)
	return seed
}

// RandomBatch returns a batch of 1 to 8 random operations over a small
// alphabet of keys, so that puts, deletes and prefix deletes overlap.
func RandomBatch(rng *rand.Rand) *kv.Batch {
	var batch kv.Batch
	for range 1 + rng.IntN(8) {
		key := randomKey(rng)
		switch n := rng.IntN(10); {
		case n < 6:
			value := make([]byte, rng.IntN(4))
			for i := range value {
				value[i] = byte(rng.IntN(256))
			}
			batch.Put(key, value)
		case n < 9:
			batch.Delete(key)
		default:
			batch.DeletePrefix(key)
		}
	}
	return &batch
}

func randomKey(rng *rand.Rand) []byte {
	const alphabet = "\x00a\xff"
	key := make([]byte, rng.IntN(4))
	for i := range key {
		key[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return key
}

// testRandom applies random batches to the store and to kv.Memory, and
// compares them after every batch.
func testRandom(t *testing.T, s kv.Store) {
	rng := rand.New(rand.NewPCG(Seed(t), 0))
	model := kv.NewMemory()
	for i := range 100 {
		batch := RandomBatch(rng)
		apply(t, model, batch)
		apply(t, s, batch)
		prefix := string(randomKey(rng))
		if got, want := dump(t, s, prefix), dump(t, model, prefix); !equalPairs(got, want) {
			t.Fatalf("after batch %d %v: Scan(%q) = %v, want %v", i, batch.Ops, prefix, got, want)
		}
		keys := [][]byte{randomKey(rng), randomKey(rng), randomKey(rng)}
		got, err := s.MultiGet(t.Context(), keys)
		if err != nil {
			t.Fatalf("MultiGet = %v", err)
		}
		want, _ := model.MultiGet(t.Context(), keys)
		for j := range keys {
			if (got[j] == nil) != (want[j] == nil) || string(got[j]) != string(want[j]) {
				t.Fatalf("after batch %d: MultiGet(%q)[%d] = %q, want %q", i, keys, j, got[j], want[j])
			}
		}
	}
	wantDump(t, s, "", dump(t, model, ""))
}
