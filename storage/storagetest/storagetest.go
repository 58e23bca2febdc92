package storagetest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

var seedFlag = flag.Int64("storagetest.seed", 0, "seed for randomised storage conformance tests (0: pick one)")

// Opener opens a fresh, empty store for one subtest.
type Opener = func(t *testing.T) kv.Store

// Run runs the conformance suite against the stores open returns. Every
// subtest opens its own store and closes it when done.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s kv.Store)
	}{
		{"GetPutDelete", testGetPutDelete},
		{"MissingKey", testMissingKey},
		{"EmptyKeyAndValue", testEmptyKeyAndValue},
		{"MultiGet", testMultiGet},
		{"Ownership", testOwnership},
		{"ScanOrder", testScanOrder},
		{"ScanPrefix", testScanPrefix},
		{"ScanStop", testScanStop},
		{"ScanSnapshot", testScanSnapshot},
		{"DeletePrefix", testDeletePrefix},
		{"BatchOrder", testBatchOrder},
		{"Atomicity", testAtomicity},
		{"Limits", testLimits},
		{"Random", testRandom},
		{"Concurrent", testConcurrent},
		{"Close", testClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, openClosing(t, open))
		})
	}
}

// openClosing opens a store and closes it when t ends.
func openClosing(t *testing.T, open Opener) kv.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() { closeQuietly(t, s) })
	return s
}

// closeQuietly closes s, tolerating a store already closed.
func closeQuietly(t *testing.T, s kv.Store) {
	t.Helper()
	if err := s.Close(); err != nil && !errors.Is(err, kv.ErrClosed) {
		t.Errorf("Close() = %v, want nil", err)
	}
}

// pair is one stored entry, as strings so that results compare with ==
// and print readably.
type pair struct{ key, value string }

func (p pair) String() string { return fmt.Sprintf("%q=%q", p.key, p.value) }

func b(s string) []byte { return []byte(s) }

func apply(t testing.TB, s kv.Store, batch *kv.Batch) {
	t.Helper()
	if err := s.Apply(t.Context(), batch); err != nil {
		t.Fatalf("Apply(%d ops) = %v, want nil", batch.Len(), err)
	}
}

// put applies one batch setting each key of kvs (key, value, key, value...).
func put(t testing.TB, s kv.Store, kvs ...string) {
	t.Helper()
	var batch kv.Batch
	for i := 0; i+1 < len(kvs); i += 2 {
		batch.Put(b(kvs[i]), b(kvs[i+1]))
	}
	apply(t, s, &batch)
}

// wantGet checks that key holds want.
func wantGet(t testing.TB, s kv.Store, key, want string) {
	t.Helper()
	got, err := s.Get(t.Context(), b(key))
	if err != nil || string(got) != want {
		t.Errorf("Get(%q) = %q, %v, want %q, nil", key, got, err, want)
	}
}

// wantMissing checks that key is absent.
func wantMissing(t testing.TB, s kv.Store, key string) {
	t.Helper()
	got, err := s.Get(t.Context(), b(key))
	if !errors.Is(err, kv.ErrNotFound) || got != nil {
		t.Errorf("Get(%q) = %q, %v, want nil, ErrNotFound", key, got, err)
	}
}

// dump returns every entry under prefix, in scan order.
func dump(t testing.TB, s kv.Store, prefix string) []pair {
	t.Helper()
	var out []pair
	err := s.Scan(t.Context(), b(prefix), func(k, v []byte) error {
		out = append(out, pair{string(k), string(v)})
		return nil
	})
	if err != nil {
		t.Fatalf("Scan(%q) = %v, want nil", prefix, err)
	}
	return out
}

// wantDump checks that the entries under prefix are exactly want.
func wantDump(t testing.TB, s kv.Store, prefix string, want []pair) {
	t.Helper()
	got := dump(t, s, prefix)
	if !equalPairs(got, want) {
		t.Errorf("Scan(%q) =\n\t%v\nwant\n\t%v", prefix, got, want)
	}
}

func equalPairs(a, b []pair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pairs builds a []pair from key, value, key, value...
func pairs(kvs ...string) []pair {
	var out []pair
	for i := 0; i+1 < len(kvs); i += 2 {
		out = append(out, pair{kvs[i], kvs[i+1]})
	}
	return out
}

// withPrefix returns the entries of all whose key starts with prefix.
func withPrefix(all []pair, prefix string) []pair {
	var out []pair
	for _, p := range all {
		if strings.HasPrefix(p.key, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// sorted reports whether ps is in strictly ascending bytewise key order.
func sorted(ps []pair) bool {
	for i := 1; i < len(ps); i++ {
		if bytes.Compare(b(ps[i-1].key), b(ps[i].key)) >= 0 {
			return false
		}
	}
	return true
}
