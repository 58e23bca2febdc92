package storagetest

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

func testGetPutDelete(t *testing.T, s kv.Store) {
	put(t, s, "a", "1", "b", "2")
	wantGet(t, s, "a", "1")
	wantGet(t, s, "b", "2")

	put(t, s, "a", "one")
	wantGet(t, s, "a", "one")
	wantGet(t, s, "b", "2")

	var del kv.Batch
	del.Delete(b("a"))
	del.Delete(b("never-written"))
	apply(t, s, &del)
	wantMissing(t, s, "a")
	wantMissing(t, s, "never-written")
	wantGet(t, s, "b", "2")
	wantDump(t, s, "", pairs("b", "2"))

	put(t, s, "a", "again")
	wantGet(t, s, "a", "again")

	// An empty batch is valid and changes nothing.
	apply(t, s, &kv.Batch{})
	wantDump(t, s, "", pairs("a", "again", "b", "2"))
}

func testMissingKey(t *testing.T, s kv.Store) {
	wantMissing(t, s, "nothing")
	put(t, s, "ab", "x")
	// Neighbours of a stored key are not it.
	for _, k := range []string{"a", "abc", "ab\x00", "b", ""} {
		wantMissing(t, s, k)
	}
	_, err := s.Get(t.Context(), nil)
	if !errors.Is(err, kv.ErrNotFound) {
		t.Errorf("Get(nil) = %v, want ErrNotFound", err)
	}
}

func testEmptyKeyAndValue(t *testing.T, s kv.Store) {
	var batch kv.Batch
	batch.Put([]byte{}, b("empty key"))
	batch.Put(b("empty"), []byte{})
	batch.Put(b("nil"), nil)
	apply(t, s, &batch)

	wantGet(t, s, "", "empty key")
	for _, k := range []string{"empty", "nil"} {
		got, err := s.Get(t.Context(), b(k))
		if err != nil || len(got) != 0 {
			t.Errorf("Get(%q) = %q, %v, want empty value, nil", k, got, err)
		}
	}
	wantDump(t, s, "", pairs("", "empty key", "empty", "", "nil", ""))

	var del kv.Batch
	del.Delete(nil)
	apply(t, s, &del)
	wantMissing(t, s, "")
	wantDump(t, s, "", pairs("empty", "", "nil", ""))
}

func testMultiGet(t *testing.T, s kv.Store) {
	var batch kv.Batch
	batch.Put(b("a"), b("1"))
	batch.Put(b("empty"), []byte{})
	batch.Put(b("nil"), nil)
	apply(t, s, &batch)

	keys := [][]byte{b("a"), b("missing"), b("empty"), b("nil"), b("a"), nil}
	got, err := s.MultiGet(t.Context(), keys)
	if err != nil {
		t.Fatalf("MultiGet = %v, want nil", err)
	}
	if len(got) != len(keys) {
		t.Fatalf("MultiGet returned %d values for %d keys", len(got), len(keys))
	}
	want := []struct {
		value   string
		present bool
	}{{"1", true}, {"", false}, {"", true}, {"", true}, {"1", true}, {"", false}}
	for i, w := range want {
		if present := got[i] != nil; present != w.present || string(got[i]) != w.value {
			t.Errorf("MultiGet[%d] (%q) = %q (present %v), want %q (present %v)",
				i, keys[i], got[i], present, w.value, w.present)
		}
	}

	got, err = s.MultiGet(t.Context(), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("MultiGet(no keys) = %q, %v, want empty, nil", got, err)
	}
}

// testOwnership checks that the store neither retains the caller's slices
// nor hands out its own.
func testOwnership(t *testing.T, s kv.Store) {
	var batch kv.Batch
	batch.Put(b("k"), b("value"))
	batch.Put(b("j"), b("other"))
	apply(t, s, &batch)
	// The batch belongs to the caller again after Apply.
	batch.Ops[0].Key[0] = 'x'
	batch.Ops[0].Value[0] = 'X'
	wantGet(t, s, "k", "value")
	wantMissing(t, s, "x")

	got, err := s.Get(t.Context(), b("k"))
	if err != nil {
		t.Fatalf("Get = %v", err)
	}
	got[0] = 'Z'
	wantGet(t, s, "k", "value")

	vals, err := s.MultiGet(t.Context(), [][]byte{b("k"), b("j")})
	if err != nil {
		t.Fatalf("MultiGet = %v", err)
	}
	vals[0][0], vals[1][0] = 'Z', 'Z'
	wantGet(t, s, "k", "value")
	wantGet(t, s, "j", "other")

	key := b("k")
	if _, err := s.Get(t.Context(), key); err != nil {
		t.Fatalf("Get = %v", err)
	}
	key[0] = 'j'
	wantGet(t, s, "k", "value")
}
