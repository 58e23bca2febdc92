package storagetest

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

func testDeletePrefix(t *testing.T, s kv.Store) {
	prefixes := []string{
		"a", "ab", "\x00", "\xff", "\xff\xff", strings.Repeat("\xff", kv.MaxKeySize), "zz", "",
	}
	for _, p := range prefixes {
		all := putEdgeKeys(t, s)
		var batch kv.Batch
		batch.DeletePrefix(b(p))
		apply(t, s, &batch)
		var want []pair
		for _, e := range all {
			if !strings.HasPrefix(e.key, p) {
				want = append(want, e)
			}
		}
		wantDump(t, s, "", want)
		if p == "ab" {
			wantMissing(t, s, "ab") // the prefix itself is a key
		}
	}
}

func testBatchOrder(t *testing.T, s kv.Store) {
	put(t, s, "p/old", "1", "q", "keep")
	var batch kv.Batch
	batch.Put(b("twice"), b("first"))
	batch.Put(b("twice"), b("second"))
	batch.Put(b("put-del"), b("x"))
	batch.Delete(b("put-del"))
	batch.Delete(b("del-put"))
	batch.Put(b("del-put"), b("y"))
	batch.Put(b("p/a"), b("gone"))
	batch.DeletePrefix(b("p/"))
	batch.Put(b("p/b"), b("after"))
	batch.Put(b("r/a"), b("1"))
	batch.DeletePrefix(b("r"))
	batch.DeletePrefix(b("q"))
	batch.Put(b("q"), b("back"))
	apply(t, s, &batch)
	wantDump(t, s, "", pairs(
		"del-put", "y",
		"p/b", "after",
		"q", "back",
		"twice", "second",
	))
}

// testAtomicity applies batches that break a limit in their last operation:
// nothing of them may show.
func testAtomicity(t *testing.T, s kv.Store) {
	put(t, s, "a", "1", "b", "2", "c", "3")
	before := dump(t, s, "")
	bad := []func(*kv.Batch){
		func(batch *kv.Batch) { batch.Put(bytes.Repeat(b("k"), kv.MaxKeySize+1), b("v")) },
		func(batch *kv.Batch) { batch.Delete(bytes.Repeat(b("k"), kv.MaxKeySize+1)) },
		func(batch *kv.Batch) { batch.DeletePrefix(bytes.Repeat(b("k"), kv.MaxKeySize+1)) },
		func(batch *kv.Batch) { batch.Put(b("big"), make([]byte, kv.MaxValueSize+1)) },
	}
	for i, last := range bad {
		var batch kv.Batch
		batch.Put(b("a"), b("changed"))
		batch.Delete(b("b"))
		batch.DeletePrefix(b("c"))
		batch.Put(b("new"), b("x"))
		last(&batch)
		if err := s.Apply(t.Context(), &batch); !errors.Is(err, kv.ErrTooLarge) {
			t.Errorf("Apply(bad batch %d) = %v, want ErrTooLarge", i, err)
		}
		wantDump(t, s, "", before)
	}

	// An operation of unknown kind is refused, also as a whole batch.
	unknown := batchOf(func(batch *kv.Batch) { batch.Put(b("a"), b("changed")) })
	unknown.Ops = append(unknown.Ops, kv.Op{Kind: kv.OpDeletePrefix + 1, Key: b("b")})
	if err := s.Apply(t.Context(), unknown); err == nil {
		t.Error("Apply(batch with unknown op kind) = nil, want an error")
	}
	wantDump(t, s, "", before)
}

func testLimits(t *testing.T, s kv.Store) {
	maxKey := bytes.Repeat(b("k"), kv.MaxKeySize)
	maxValue := bytes.Repeat(b("v"), kv.MaxValueSize)
	var ok kv.Batch
	ok.Put(maxKey, maxValue)
	apply(t, s, &ok)
	got, err := s.Get(t.Context(), maxKey)
	if err != nil || !bytes.Equal(got, maxValue) {
		t.Errorf("Get(largest key) = %d bytes, %v, want %d bytes", len(got), err, len(maxValue))
	}

	tooLarge := map[string]*kv.Batch{
		"key":   batchOf(func(b *kv.Batch) { b.Put(append(maxKey, 'k'), nil) }),
		"value": batchOf(func(b *kv.Batch) { b.Put(maxKey, append(maxValue, 'v')) }),
		"size": batchOf(func(b *kv.Batch) {
			for i := range kv.MaxBatchSize/kv.MaxValueSize + 1 {
				b.Put([]byte{byte(i)}, maxValue)
			}
		}),
		"ops": {Ops: make([]kv.Op, kv.MaxBatchOps+1)},
		// Ops filled in directly, not through Put: the limit still holds.
		"size of ops": {Ops: []kv.Op{
			{Kind: kv.OpPut, Key: b("1"), Value: maxValue},
			{Kind: kv.OpPut, Key: b("2"), Value: maxValue},
			{Kind: kv.OpPut, Key: b("3"), Value: maxValue},
			{Kind: kv.OpPut, Key: b("4"), Value: maxValue},
			{Kind: kv.OpPut, Key: b("5"), Value: maxValue},
		}},
	}
	for name, batch := range tooLarge {
		if err := s.Apply(t.Context(), batch); !errors.Is(err, kv.ErrTooLarge) {
			t.Errorf("Apply(batch with too large %s) = %v, want ErrTooLarge", name, err)
		}
	}
	if got := dump(t, s, ""); len(got) != 1 || got[0].key != string(maxKey) {
		t.Errorf("after refused batches the store holds %d keys, want 1", len(got))
	}
}

func batchOf(fill func(*kv.Batch)) *kv.Batch {
	var batch kv.Batch
	fill(&batch)
	return &batch
}
