//go:build js && wasm

package idbstore_test

import (
	"context"
	"errors"
	"syscall/js"
	"testing"

	"github.com/hack-pad/go-indexeddb/idb"
	"github.com/myriadchain/myriad/core/kv"
	idbstore "github.com/myriadchain/myriad/storage-idb"
)

// rawOpen opens database name with go-indexeddb directly, at version (0:
// the version it has), running upgrade if it must.
func rawOpen(t *testing.T, name string, version uint, upgrade func(db *idb.Database) error) *idb.Database {
	t.Helper()
	req, err := idb.Global().Open(t.Context(), name, version, func(db *idb.Database, _, _ uint) error {
		if err := upgrade(db); err != nil {
			t.Errorf("upgrade %s: %v", name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	db, err := req.Await(t.Context())
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	return db
}

func noUpgrade(*idb.Database) error { return nil }

// rawPut writes key=value into an object store of database name.
func rawPut(t *testing.T, name, store string, key, value js.Value) {
	t.Helper()
	db := rawOpen(t, name, 0, noUpgrade)
	defer db.Close()
	txn, err := db.Transaction(idb.TransactionReadWrite, store)
	if err != nil {
		t.Fatal(err)
	}
	os, err := txn.ObjectStore(store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.PutKey(key, value); err != nil {
		t.Fatal(err)
	}
	if err := txn.Await(t.Context()); err != nil {
		t.Fatalf("put into %s/%s: %v", name, store, err)
	}
}

// dbVersion returns the IndexedDB version and the format of database name.
func dbVersion(t *testing.T, name string) (version uint, format int) {
	t.Helper()
	db := rawOpen(t, name, 0, noUpgrade)
	defer db.Close()
	version, err := db.Version()
	if err != nil {
		t.Fatal(err)
	}
	txn, err := db.Transaction(idb.TransactionReadOnly, "meta")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := txn.ObjectStore("meta")
	if err != nil {
		t.Fatal(err)
	}
	req, err := meta.Get(js.ValueOf("format"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := req.Await(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return version, v.Int()
}

func createStores(names ...string) func(db *idb.Database) error {
	return func(db *idb.Database) error {
		for _, n := range names {
			if _, err := db.CreateObjectStore(n, idb.ObjectStoreOptions{}); err != nil {
				return err
			}
		}
		return nil
	}
}

// wantReset checks that New fails on database name with want, and that
// after Reset the database opens empty.
func wantReset(t *testing.T, name string, want error) {
	t.Helper()
	s, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
	if err == nil {
		s.Close()
	}
	t.Logf("New = %v", err)
	wantIs(t, "New", err, want)
	if err := idbstore.Reset(t.Context(), name); err != nil {
		t.Fatalf("Reset = %v", err)
	}
	s = openClosing(t, name)
	if got := dump(t, s); len(got) != 0 {
		t.Errorf("after Reset the store holds %q, want nothing", got)
	}
}

func TestNewerVersion(t *testing.T) {
	name := freshName(t)
	rawOpen(t, name, 7, createStores("kv", "meta")).Close()
	rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf(1))
	wantReset(t, name, idbstore.ErrNewerFormat)
}

func TestNewerFormat(t *testing.T) {
	name := freshName(t)
	s := open(t, name)
	put(t, s, "k", "v")
	s.Close()
	rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf(2))
	wantReset(t, name, idbstore.ErrNewerFormat)
}

func TestDamaged(t *testing.T) {
	damage := map[string]func(t *testing.T, name string){
		"no meta store": func(t *testing.T, name string) { rawOpen(t, name, 1, createStores("kv")).Close() },
		"no kv store": func(t *testing.T, name string) {
			rawOpen(t, name, 1, createStores("meta")).Close()
			rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf(1))
		},
		"no format": func(t *testing.T, name string) { rawOpen(t, name, 1, createStores("kv", "meta")).Close() },
		"format a string": func(t *testing.T, name string) {
			open(t, name).Close()
			rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf("one"))
		},
		"format zero": func(t *testing.T, name string) {
			open(t, name).Close()
			rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf(0))
		},
		"format a fraction": func(t *testing.T, name string) {
			open(t, name).Close()
			rawPut(t, name, "meta", js.ValueOf("format"), js.ValueOf(1.5))
		},
	}
	for what, fn := range damage {
		t.Run(what, func(t *testing.T) {
			name := freshName(t)
			fn(t, name)
			wantReset(t, name, idbstore.ErrDamaged)
		})
	}
}

// TestDamagedRecords checks that records the store never writes (a value
// that is not bytes, a key that is not binary) are errors, not panics.
func TestDamagedRecords(t *testing.T) {
	name := freshName(t)
	open(t, name).Close()
	rawPut(t, name, "kv", js.Global().Get("Uint8Array").New(1), js.ValueOf("a string"))
	rawPut(t, name, "kv", js.ValueOf("string key"), js.Global().Get("Uint8Array").New(0))
	s := openClosing(t, name)
	_, err := s.Get(t.Context(), []byte{0})
	wantIs(t, "Get(a string value)", err, idbstore.ErrDamaged)
	_, err = s.MultiGet(t.Context(), [][]byte{{0}})
	wantIs(t, "MultiGet(a string value)", err, idbstore.ErrDamaged)
	err = s.Scan(t.Context(), nil, func(_, _ []byte) error { return nil })
	wantIs(t, "Scan(over a string value)", err, idbstore.ErrDamaged)
	// A prefix scan over binary keys does not reach the string key (keys
	// of type string sort below binary keys in IndexedDB).
	var b kv.Batch
	b.Put([]byte{1}, []byte("ok"))
	if err := s.Apply(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	if got, err := scan(t, s, []byte{1}); err != nil || len(got) != 1 {
		t.Errorf("Scan(\\x01) = %q, %v, want one pair", got, err)
	}
}

// appendToValues is a migration that appends suffix to every value.
func appendToValues(suffix string) func(context.Context, *idb.Transaction) error {
	return func(ctx context.Context, txn *idb.Transaction) error {
		store, err := txn.ObjectStore("kv")
		if err != nil {
			return err
		}
		req, err := store.OpenCursor(idb.CursorNext)
		if err != nil {
			return err
		}
		return req.Iter(ctx, func(c *idb.CursorWithValue) error {
			v, err := c.Value()
			if err != nil {
				return err
			}
			b := make([]byte, v.Length())
			js.CopyBytesToGo(b, v)
			b = append(b, suffix...)
			nv := js.Global().Get("Uint8Array").New(len(b))
			js.CopyBytesToJS(nv, b)
			_, err = c.Update(nv)
			return err
		})
	}
}

// TestMigration opens a version 1 database with the code of a "later
// version" that adds an object store (version 2) and rewrites every value
// (format 2): the walk runs once, and the older code then refuses it.
func TestMigration(t *testing.T) {
	name := freshName(t)
	s := open(t, name)
	put(t, s, "a", "1", "b", "2")
	s.Close()

	extend := func(t *testing.T) {
		idbstore.ExtendSchema(t, []func(*idb.Database) error{createStores("extra")},
			[]func(context.Context, *idb.Transaction) error{appendToValues("+m")})
	}
	t.Run("later", func(t *testing.T) {
		extend(t)
		for round := range 2 { // the second open finds nothing to do
			s := open(t, name)
			wantDump(t, s, "a=1+m b=2+m")
			s.Close()
			if v, f := dbVersion(t, name); v != 2 || f != 2 {
				t.Errorf("round %d: version %d, format %d, want 2, 2", round, v, f)
			}
		}
	})
	t.Run("fresh", func(t *testing.T) {
		extend(t)
		name := freshName(t)
		s := open(t, name)
		put(t, s, "c", "3")
		wantDump(t, s, "c=3")
		s.Close()
		if v, f := dbVersion(t, name); v != 2 || f != 2 {
			t.Errorf("fresh database: version %d, format %d, want 2, 2", v, f)
		}
	})
	s, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
	if err == nil {
		s.Close()
	}
	wantIs(t, "New(a database of the later version)", err, idbstore.ErrNewerFormat)
}

// TestMigrationFails checks that a failing migration leaves the pairs and
// the format as they were, and reports the database damaged.
func TestMigrationFails(t *testing.T) {
	name := freshName(t)
	s := open(t, name)
	put(t, s, "a", "1")
	s.Close()
	t.Run("failing", func(t *testing.T) {
		boom := errors.New("boom")
		idbstore.ExtendSchema(t, nil, []func(context.Context, *idb.Transaction) error{
			func(ctx context.Context, txn *idb.Transaction) error {
				if err := appendToValues("+m")(ctx, txn); err != nil {
					return err
				}
				return boom
			},
		})
		_, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
		wantIs(t, "New with a failing migration", err, idbstore.ErrDamaged)
	})
	if v, f := dbVersion(t, name); v != 1 || f != 1 {
		t.Errorf("after a failed migration: version %d, format %d, want 1, 1", v, f)
	}
	s = openClosing(t, name)
	wantDump(t, s, "a=1")
}

func TestUpgradeFails(t *testing.T) {
	name := freshName(t)
	idbstore.ExtendSchema(t, []func(*idb.Database) error{
		func(*idb.Database) error { return errors.New("boom") },
	}, nil)
	_, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
	wantIs(t, "New with a failing upgrade", err, idbstore.ErrDamaged)
}
