//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
)

// Errors of New and Reset, beside the context's. Callers branch with
// errors.Is; for ErrNewerFormat and ErrDamaged the remedy is Reset and a
// resync.
var (
	ErrLocked      = errors.New("idbstore: database held by another store")
	ErrNewerFormat = errors.New("idbstore: database written by a newer version of this code")
	ErrDamaged     = errors.New("idbstore: database damaged")
)

// The object stores, and the meta record.
const (
	dataStore = "kv"
	metaStore = "meta"
	formatKey = "format"
)

// An upgrade takes the database from IndexedDB version v to v+1 in the
// versionchange transaction. go-indexeddb hands it the database only, not
// the transaction, so it may create and delete object stores and write to
// those it creates, but changes to existing pairs belong in a migration.
type upgrade func(db *idb.Database) error

// A migration takes the pairs from format f to f+1 in a readwrite
// transaction over both object stores; the caller records the new format
// in the same transaction.
type migration func(ctx context.Context, txn *idb.Transaction) error

// schema is what this code knows: the IndexedDB version is len(upgrades),
// the format 1+len(migrations).
type schema struct {
	upgrades   []upgrade
	migrations []migration
}

func (s schema) version() uint { return uint(len(s.upgrades)) }
func (s schema) format() int   { return 1 + len(s.migrations) }

// current is the schema of this code. Append steps; never change one that
// has shipped.
var current = schema{
	upgrades: []upgrade{createStores},
}

// createStores is version 1: the data and meta object stores, and the
// meta record at format 1.
func createStores(db *idb.Database) error {
	if _, err := db.CreateObjectStore(dataStore, idb.ObjectStoreOptions{}); err != nil {
		return err
	}
	meta, err := db.CreateObjectStore(metaStore, idb.ObjectStoreOptions{})
	if err != nil {
		return err
	}
	_, err = meta.PutKey(js.ValueOf(formatKey), js.ValueOf(1))
	return err
}

// open opens database name at the current schema: it runs the upgrades
// and migrations the database lacks and checks what it finds. It returns
// the connection both wrapped and as the IDBDatabase itself.
func open(ctx context.Context, f *idb.Factory, name string) (*idb.Database, js.Value, error) {
	sch := current
	var upgradeErr error
	req, err := f.Open(ctx, name, sch.version(), func(db *idb.Database, old, new uint) error {
		for v := old; v < new && upgradeErr == nil; v++ {
			if err := sch.upgrades[v](db); err != nil {
				upgradeErr = fmt.Errorf("%w: upgrade to version %d: %v", ErrDamaged, v+1, err)
			}
		}
		return nil // go-indexeddb panics on an error
	})
	if err != nil {
		return nil, js.Value{}, fmt.Errorf("idbstore: open %s: %w", name, err)
	}
	db, err := req.Await(ctx)
	if ctx.Err() != nil { // Await gives no error when ctx ends first
		go closeWhenOpen(req)
		return nil, js.Value{}, ctx.Err()
	}
	if errors.Is(err, idb.NewDOMException("VersionError")) {
		return nil, js.Value{}, fmt.Errorf("%w: %s is past version %d (%v)", ErrNewerFormat, name, sch.version(), err)
	}
	if err != nil {
		return nil, js.Value{}, fmt.Errorf("idbstore: open %s: %w", name, err)
	}
	err = upgradeErr
	if err == nil {
		err = prepare(ctx, db, sch)
	}
	if err != nil {
		_ = db.Close()
		return nil, js.Value{}, fmt.Errorf("open %s: %w", name, err)
	}
	raw, err := req.Request.Result()
	if err != nil {
		_ = db.Close()
		return nil, js.Value{}, fmt.Errorf("idbstore: open %s: %w", name, err)
	}
	return db, raw, nil
}

// closeWhenOpen closes the connection of an open request given up on.
func closeWhenOpen(req *idb.OpenDBRequest) {
	if db, err := req.Await(context.Background()); err == nil {
		_ = db.Close()
	}
}

// prepare checks the object stores and the format, and migrates the pairs
// to the current format.
func prepare(ctx context.Context, db *idb.Database, sch schema) error {
	names, err := db.ObjectStoreNames()
	if err != nil {
		return fmt.Errorf("idbstore: list object stores: %w", err)
	}
	for _, want := range []string{dataStore, metaStore} {
		if !slices.Contains(names, want) {
			return fmt.Errorf("%w: object store %q missing", ErrDamaged, want)
		}
	}
	format, err := readFormat(ctx, db)
	if err != nil {
		return err
	}
	if format > sch.format() {
		return fmt.Errorf("%w: format %d, this code knows up to %d", ErrNewerFormat, format, sch.format())
	}
	for ; format < sch.format(); format++ {
		if err := migrate(ctx, db, sch.migrations[format-1], format+1); err != nil {
			return fmt.Errorf("%w: migrate to format %d: %v", ErrDamaged, format+1, err)
		}
	}
	return nil
}

// readFormat returns the format the meta record holds.
func readFormat(ctx context.Context, db *idb.Database) (int, error) {
	v, err := getFormat(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("idbstore: read format: %w", err)
	}
	if v.Type() != js.TypeNumber || v.Float() < 1 || v.Float() > math.MaxInt32 || v.Float() != math.Trunc(v.Float()) {
		return 0, fmt.Errorf("%w: the format record is %s, not a version", ErrDamaged, describe(v))
	}
	return v.Int(), nil
}

func getFormat(ctx context.Context, db *idb.Database) (js.Value, error) {
	txn, err := db.Transaction(idb.TransactionReadOnly, metaStore)
	if err != nil {
		return js.Value{}, err
	}
	meta, err := txn.ObjectStore(metaStore)
	if err != nil {
		return js.Value{}, err
	}
	req, err := meta.Get(js.ValueOf(formatKey))
	if err != nil {
		return js.Value{}, err
	}
	if err := awaitTxn(ctx, txn); err != nil {
		return js.Value{}, err
	}
	return req.Result()
}

// migrate runs m and records format to in one transaction.
func migrate(ctx context.Context, db *idb.Database, m migration, to int) error {
	opts := idb.TransactionOptions{Mode: idb.TransactionReadWrite, Durability: durability}
	txn, err := db.TransactionWithOptions(opts, dataStore, metaStore)
	if err != nil {
		return err
	}
	if err := m(ctx, txn); err != nil {
		_ = txn.Abort()
		return err
	}
	meta, err := txn.ObjectStore(metaStore)
	if err == nil {
		_, err = meta.PutKey(js.ValueOf(formatKey), js.ValueOf(to))
	}
	if err != nil {
		_ = txn.Abort()
		return err
	}
	return awaitTxn(context.WithoutCancel(ctx), txn)
}

// Reset deletes database name, so that the next New starts empty. It
// takes the database's Web Lock and fails with ErrLocked while a store
// has the database open.
func Reset(ctx context.Context, name string) error {
	f, err := factory()
	if err != nil {
		return err
	}
	lock, err := acquireLock(ctx, lockName(name), false)
	if err != nil {
		return err
	}
	defer lock.unlock()
	req, err := f.DeleteDatabase(name)
	if err == nil {
		err = req.Await(ctx)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("idbstore: reset %s: %w", name, err)
	}
	return nil
}
