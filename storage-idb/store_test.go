//go:build js && wasm

package idbstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	idbstore "github.com/myriadchain/myriad/storage-idb"
	"github.com/myriadchain/myriad/storage/storagetest"
)

// These tests need IndexedDB and Web Locks: run them in Chromium with
// `make browser`, or
//
//	GOOS=js GOARCH=wasm go test -exec=$PWD/scripts/go_js_wasm_chromium_exec ./storage-idb/

var names atomic.Int64

// freshName returns a database name no other test uses, and deletes the
// database when t ends (after the stores t opened are closed).
func freshName(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("idbstore-test/%s/%d", t.Name(), names.Add(1))
	t.Cleanup(func() {
		// t.Context() has ended by now.
		if err := idbstore.Reset(context.Background(), name); err != nil {
			t.Errorf("Reset(%s) = %v", name, err)
		}
	})
	return name
}

// open opens database name and fails t if it cannot.
func open(t testing.TB, name string) *idbstore.Store {
	t.Helper()
	s, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
	if err != nil {
		t.Fatalf("New(%s) = %v", name, err)
	}
	return s
}

// openClosing opens database name and closes it when t ends.
func openClosing(t *testing.T, name string) *idbstore.Store {
	t.Helper()
	s := open(t, name)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return open(t, freshName(t)) })
}

func TestPersistent(t *testing.T) {
	storagetest.RunPersistent(t, func(t *testing.T, dir string) kv.Store { return open(t, dir) })
}

func TestConfig(t *testing.T) {
	if s, err := idbstore.New(t.Context(), idbstore.Config{}); err == nil {
		s.Close()
		t.Error("New(Config{}) = nil error, want an error")
	}
}

// TestReopenKeepsFormat checks that a reopened database is not upgraded or
// migrated again: its data and format stay as they were.
func TestReopenKeepsFormat(t *testing.T) {
	name := freshName(t)
	s := open(t, name)
	put(t, s, "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	s = openClosing(t, name)
	wantGet(t, s, "k", "v")
	if v, f := dbVersion(t, name); v != 1 || f != 1 {
		t.Errorf("after reopen: version %d, format %d, want 1, 1", v, f)
	}
}

func put(t *testing.T, s kv.Store, kvs ...string) {
	t.Helper()
	var b kv.Batch
	for i := 0; i+1 < len(kvs); i += 2 {
		b.Put([]byte(kvs[i]), []byte(kvs[i+1]))
	}
	if err := s.Apply(t.Context(), &b); err != nil {
		t.Fatalf("Apply = %v", err)
	}
}

func wantGet(t *testing.T, s kv.Store, key, want string) {
	t.Helper()
	got, err := s.Get(t.Context(), []byte(key))
	if err != nil || string(got) != want {
		t.Errorf("Get(%q) = %q, %v, want %q, nil", key, got, err, want)
	}
}

func wantIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want an error wrapping %v", what, err, want)
	}
}

// scan returns the pairs under prefix as "key=value" strings.
func scan(t *testing.T, s kv.Store, prefix []byte) ([]string, error) {
	t.Helper()
	var got []string
	err := s.Scan(t.Context(), prefix, func(k, v []byte) error {
		got = append(got, string(k)+"="+string(v))
		return nil
	})
	return got, err
}

func dump(t *testing.T, s kv.Store) []string {
	t.Helper()
	got, err := scan(t, s, nil)
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	return got
}

// wantDump checks the store's pairs, given as "k=v k=v".
func wantDump(t *testing.T, s kv.Store, want string) {
	t.Helper()
	if got := strings.Join(dump(t, s), " "); got != want {
		t.Errorf("store holds %q, want %q", got, want)
	}
}
