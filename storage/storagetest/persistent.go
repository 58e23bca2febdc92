package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

// DirOpener opens the store kept in dir, creating it if dir is empty.
// Where there is no filesystem (GOOS=js in a browser), dir is instead a
// name unique to the test, which is never created: a backend without files,
// such as IndexedDB, names its database after it.
type DirOpener = func(t *testing.T, dir string) kv.Store

// RunPersistent checks that what a store held when closed is what it holds
// when reopened from the same directory, over several close and reopen
// rounds, and that a reopened store takes new writes.
func RunPersistent(t *testing.T, open DirOpener) {
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("ReopenLarge", func(t *testing.T) { testReopenLarge(t, open) })
}

// location returns a fresh directory for a persistent store, or a fresh
// name where there is no filesystem to make one in.
func location(t *testing.T) string {
	if noFilesystem() {
		return fmt.Sprintf("storagetest/%s/%d", t.Name(), locations.Add(1))
	}
	return t.TempDir()
}

var (
	locations atomic.Int64
	// noFilesystem asks whether a directory can be made, not whether
	// files can be read: the Chromium test runner reads files but makes
	// none.
	noFilesystem = sync.OnceValue(func() bool {
		dir, err := os.MkdirTemp("", "storagetest-")
		if err == nil {
			os.Remove(dir) //nolint:errcheck // an empty directory in TMPDIR
		}
		return errors.Is(err, errors.ErrUnsupported)
	})
)

func testReopen(t *testing.T, open DirOpener) {
	dir := location(t)
	rng := rand.New(rand.NewPCG(Seed(t), 0))
	model := kv.NewMemory()
	for round := range 3 {
		s := open(t, dir)
		if got, want := dump(t, s, ""), dump(t, model, ""); !equalPairs(got, want) {
			t.Fatalf("round %d: reopened store holds\n\t%v\nwant\n\t%v", round, got, want)
		}
		for range 20 {
			batch := RandomBatch(rng)
			apply(t, model, batch)
			apply(t, s, batch)
		}
		var batch kv.Batch
		batch.Put(b("round"), []byte{byte(round)})
		batch.Put(b("empty"), nil)
		apply(t, model, &batch)
		apply(t, s, &batch)
		if err := s.Close(); err != nil {
			t.Fatalf("round %d: Close() = %v", round, err)
		}
	}
	s := open(t, dir)
	defer closeQuietly(t, s)
	wantDump(t, s, "", dump(t, model, ""))
	vals, err := s.MultiGet(t.Context(), [][]byte{b("empty"), b("never")})
	if err != nil || vals[0] == nil || len(vals[0]) != 0 || vals[1] != nil {
		t.Errorf("MultiGet(empty, never) after reopen = %q, %v, want [\"\" nil]", vals, err)
	}
}

func testReopenLarge(t *testing.T, open DirOpener) {
	dir := location(t)
	s := open(t, dir)
	big := bytes.Repeat(b("0123456789abcdef"), kv.MaxValueSize/16)
	var batch kv.Batch
	batch.Put(b("big"), big)
	for i := range 1000 {
		batch.Put([]byte{'k', byte(i >> 8), byte(i)}, bytes.Repeat([]byte{byte(i)}, 100))
	}
	apply(t, s, &batch)
	var del kv.Batch
	del.DeletePrefix([]byte{'k', 1})
	apply(t, s, &del)
	want := dump(t, s, "")
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	s = open(t, dir)
	defer closeQuietly(t, s)
	wantDump(t, s, "", want)
	if len(want) != 1+1000-256 {
		t.Errorf("store held %d keys before reopen, want %d", len(want), 1+1000-256)
	}
}
