package views

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
)

var seedFlag = flag.Uint64("views.seed", 0, "seed of randomised tests (0: random)")

func commit(t *testing.T, tx *Tx, store kv.Store) []Change {
	t.Helper()
	ch := tx.Changes()
	var b kv.Batch
	tx.WriteTo(&b, ch)
	if err := store.Apply(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestTxOverlayAndRollback(t *testing.T) {
	ctx := context.Background()
	store := kv.NewMemory()
	tx := NewTx(ctx, store, []byte("p/"))
	tx.Put([]byte("a"), []byte("1"))
	tx.Put([]byte("c"), []byte("3"))
	commit(t, tx, store)
	if v, err := store.Get(ctx, []byte("p/a")); err != nil || string(v) != "1" {
		t.Fatalf("store p/a = %q, %v; want 1", v, err)
	}
	tx2 := NewTx(ctx, store, []byte("p/"))
	tx2.Put([]byte("b"), []byte("2"))
	tx2.Delete([]byte("a"))
	var seen []string
	tx2.Scan(nil, func(k, v []byte) bool { seen = append(seen, string(k)+"="+string(v)); return true })
	if got := fmt.Sprint(seen); got != "[b=2 c=3]" {
		t.Errorf("Scan over overlay = %s, want [b=2 c=3]", got)
	}
	tx2.Rollback()
	if _, ok := tx2.Get([]byte("a")); !ok {
		t.Error("after Rollback, a is missing")
	}
	if _, ok := tx2.Get([]byte("b")); ok {
		t.Error("after Rollback, b is present")
	}
}

func TestChangesSkipNoOps(t *testing.T) {
	store := kv.NewMemory()
	tx := NewTx(context.Background(), store, nil)
	tx.Put([]byte("k"), []byte("v"))
	commit(t, tx, store)
	tx.Put([]byte("k"), []byte("v"))
	tx.Delete([]byte("missing"))
	if ch := tx.Changes(); len(ch) != 0 {
		t.Errorf("Changes() = %v, want none for rewrites of equal values", ch)
	}
}

type failing struct{ kv.Store }

func (failing) MultiGet(context.Context, [][]byte) ([][]byte, error) {
	return nil, errors.New("disk on fire")
}

func TestStorageErrorIsSticky(t *testing.T) {
	tx := NewTx(context.Background(), failing{kv.NewMemory()}, nil)
	if _, ok := tx.Get([]byte("x")); ok {
		t.Fatal("Get on failing store reported a value")
	}
	if tx.Err() == nil {
		t.Fatal("Err() = nil after a failed read")
	}
}

func TestCorruptValueIsAnError(t *testing.T) {
	store := kv.NewMemory()
	tx := NewTx(context.Background(), store, nil)
	tx.Put([]byte("amount"), []byte{1, 2, 3})
	r := Register[amount.Amount, *amount.Amount]{Tx: tx, Key: []byte("amount")}
	if _, ok := r.Lookup(); ok {
		t.Error("Lookup of a 3-byte amount succeeded")
	}
	var ce *CorruptError
	if !errors.As(tx.Err(), &ce) {
		t.Errorf("Err() = %v, want CorruptError", tx.Err())
	}
}

func TestQueueLogMap(t *testing.T) {
	store := kv.NewMemory()
	tx := NewTx(context.Background(), store, nil)
	q := Queue[amount.Amount, *amount.Amount]{Tx: tx, Prefix: []byte("q/")}
	for i := uint64(1); i <= 3; i++ {
		q.PushBack(amount.Attos(i))
	}
	commit(t, tx, store)
	if f, _ := q.Front(); f != amount.Attos(1) || q.Len() != 3 {
		t.Fatalf("Front, Len = %v, %d; want 1, 3", f, q.Len())
	}
	q.PopFront()
	q.PopFront()
	q.PopFront()
	commit(t, tx, store)
	if q.Len() != 0 || store.Len() != 0 {
		t.Errorf("empty queue leaves %d keys, Len %d; want 0, 0", store.Len(), q.Len())
	}
	l := Log[amount.Amount, *amount.Amount]{Tx: tx, Prefix: []byte("l/")}
	l.Append(amount.Attos(5))
	l.Append(amount.Attos(6))
	if v, _ := l.Get(1); v != amount.Attos(6) || l.Len() != 2 {
		t.Errorf("Log Get(1), Len = %v, %d; want 6, 2", v, l.Len())
	}
	m := Map[ids.Hash, amount.Amount, *ids.Hash, *amount.Amount]{Tx: tx, Prefix: []byte("m/")}
	m.Set(ids.Hash{2}, amount.Attos(2))
	m.Set(ids.Hash{1}, amount.Attos(1))
	var order []byte
	m.Each(func(k ids.Hash, _ amount.Amount) bool { order = append(order, k[0]); return true })
	if !bytes.Equal(order, []byte{1, 2}) {
		t.Errorf("Map.Each order = %v, want [1 2]", order)
	}
}

// TestLtHashOrderIndependent checks the state hash depends only on the
// final contents: the same set reached through different write orders and
// intermediate states hashes the same, and any difference changes it.
func TestLtHashOrderIndependent(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (replay with -views.seed=%d)", seed, seed)
	r := rand.New(rand.NewPCG(seed, 1))
	final := map[string]string{}
	for i := 0; i < 50; i++ {
		final[fmt.Sprintf("x/%d", r.IntN(1000))] = fmt.Sprint(r.Int())
	}
	hashVia := func(detours int) ids.Hash {
		store := kv.NewMemory()
		var l LtHash
		tx := NewTx(context.Background(), store, nil)
		for i := 0; i < detours; i++ { // junk that is later removed or overwritten
			tx.Put([]byte(fmt.Sprintf("x/%d", r.IntN(1000))), []byte("junk"))
			l.Apply([]byte("x/"), commit(t, tx, store))
		}
		store.Scan(context.Background(), nil, func(k, _ []byte) error {
			if _, ok := final[string(k)]; !ok {
				tx.Delete(k)
			}
			return nil
		})
		for k, v := range final {
			tx.Put([]byte(k), []byte(v))
		}
		l.Apply([]byte("x/"), commit(t, tx, store))
		return l.Sum()
	}
	a, b := hashVia(0), hashVia(20)
	if a != b {
		t.Fatalf("hash via direct writes %s != via detours %s", a.Short(), b.Short())
	}
	var l LtHash
	for k, v := range final {
		l.Add([]byte(k), []byte(v))
	}
	if l.Sum() != a {
		t.Fatal("incremental hash differs from hashing the final set")
	}
	l.Add([]byte("x/extra"), nil)
	if l.Sum() == a {
		t.Fatal("adding a pair did not change the hash")
	}
}

func BenchmarkLtHashUpdate(b *testing.B) {
	var l LtHash
	k, v := []byte("x/sys/balance"), make([]byte, 16)
	for b.Loop() {
		l.Remove(k, v)
		l.Add(k, v)
	}
}

// TestTrackReplay: the reads a Tx tracked tell whether its writes may be
// replayed on another Tx over the store.
func TestTrackReplay(t *testing.T) {
	ctx := context.Background()
	store := kv.NewMemory()
	tx := NewTx(ctx, store, []byte("p/"))
	tx.Put([]byte("a"), []byte("1"))
	commit(t, tx, store)

	tx = NewTx(ctx, store, []byte("p/"))
	tx.Get([]byte("a")) // read before Track: still recorded when read again
	tx.Track()
	a, _ := tx.Get([]byte("a"))
	tx.Get([]byte("missing"))
	tx.Put([]byte("b"), append(a, '+'))
	tx.Delete([]byte("a"))
	reads, ok := tx.Tracked()
	if !ok || len(reads) != 2 || reads["missing"].Found || string(reads["a"].Value) != "1" {
		t.Fatalf("Tracked() = %v, %v; want a=1 and missing", reads, ok)
	}
	writes := tx.Writes()

	other := NewTx(ctx, store, []byte("p/"))
	if !other.Unchanged(reads) {
		t.Fatal("Unchanged = false on the same state")
	}
	other.Restore(writes)
	if v, _ := other.Get([]byte("b")); string(v) != "1+" {
		t.Errorf("replayed b = %q, want 1+", v)
	}
	if _, ok := other.Get([]byte("a")); ok {
		t.Error("replayed delete of a: a still there")
	}

	tx = NewTx(ctx, store, []byte("p/"))
	tx.Put([]byte("missing"), []byte("now here"))
	commit(t, tx, store)
	if NewTx(ctx, store, []byte("p/")).Unchanged(reads) {
		t.Error("Unchanged = true after a read key was written")
	}

	tx = NewTx(ctx, store, []byte("p/"))
	tx.Track()
	tx.Scan(nil, func(k, v []byte) bool { return true })
	if _, ok := tx.Tracked(); ok {
		t.Error("Tracked() ok after a Scan")
	}
}
