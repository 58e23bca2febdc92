package pebblestore_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/myriadchain/myriad/core/kv"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/storage/storagetest"
)

func open(t *testing.T, cfg pebblestore.Config) *pebblestore.Store {
	t.Helper()
	s, err := pebblestore.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v) = %v", cfg, err)
	}
	return s
}

func TestMemFS(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store {
		return open(t, pebblestore.Config{Dir: "db", FS: vfs.NewMem()})
	})
}

func TestDisk(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store {
		return open(t, pebblestore.Config{Dir: t.TempDir()})
	})
}

func TestPersistent(t *testing.T) {
	storagetest.RunPersistent(t, func(t *testing.T, dir string) kv.Store {
		return open(t, pebblestore.Config{Dir: dir, CacheSize: 1 << 20})
	})
}

func TestPersistentMemFS(t *testing.T) {
	fs := vfs.NewMem()
	storagetest.RunPersistent(t, func(t *testing.T, dir string) kv.Store {
		return open(t, pebblestore.Config{Dir: dir, FS: fs})
	})
}

func TestConfig(t *testing.T) {
	bad := map[string]pebblestore.Config{
		"no dir":         {},
		"negative cache": {Dir: "db", FS: vfs.NewMem(), CacheSize: -1},
	}
	for name, cfg := range bad {
		if s, err := pebblestore.New(cfg); err == nil {
			s.Close()
			t.Errorf("New(%s) = nil error, want an error", name)
		}
	}
}

func TestOpenError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := pebblestore.New(pebblestore.Config{Dir: file})
	if err == nil {
		s.Close()
		t.Fatal("New(Dir: a file) = nil error, want an error")
	}
	if errors.Is(err, kv.ErrClosed) {
		t.Errorf("New(Dir: a file) = %v, want an open error", err)
	}
}

// TestLocked checks that a second store cannot open a directory in use:
// two writers on one database would corrupt it.
func TestLocked(t *testing.T) {
	dir := t.TempDir()
	s := open(t, pebblestore.Config{Dir: dir})
	defer s.Close()
	if s2, err := pebblestore.New(pebblestore.Config{Dir: dir}); err == nil {
		s2.Close()
		t.Fatal("second New on the same directory = nil error, want an error")
	}
}
