//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
	"github.com/myriadchain/myriad/core/kv"
)

// Config says which database a Store opens.
type Config struct {
	// Name is the IndexedDB database name: one per wallet.
	Name string
	// WaitForLock makes New wait, until its context ends, for a store
	// holding the database elsewhere to close, instead of failing with
	// ErrLocked.
	WaitForLock bool
}

func (c Config) validate() error {
	if c.Name == "" {
		return errors.New("idbstore: config: empty Name")
	}
	return nil
}

// Store is a kv.Store in one IndexedDB database. Its methods are safe for
// concurrent use; Close waits for the calls in progress.
type Store struct {
	db   *idb.Database
	raw  js.Value // db's IDBDatabase, for the data paths (raw.go)
	lock *webLock

	mu     sync.RWMutex // held for reading by calls talking to the database
	closed bool
}

var _ kv.Store = (*Store)(nil)

// New opens the database cfg names, creating or upgrading it, and holds its
// Web Lock until Close. It fails with an error wrapping ErrLocked when
// another store holds the database (unless cfg.WaitForLock), ErrNewerFormat
// when newer code wrote it, and ErrDamaged when it is unreadable.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	factory, err := factory()
	if err != nil {
		return nil, err
	}
	lock, err := acquireLock(ctx, lockName(cfg.Name), cfg.WaitForLock)
	if err != nil {
		return nil, err
	}
	db, raw, err := open(ctx, factory, cfg.Name)
	if err != nil {
		lock.unlock()
		return nil, err
	}
	return &Store{db: db, raw: raw, lock: lock}, nil
}

// factory returns the global IDBFactory, or an error where there is none.
func factory() (*idb.Factory, error) {
	if !js.Global().Get("indexedDB").Truthy() {
		return nil, fmt.Errorf("idbstore: no IndexedDB here: %w", errors.ErrUnsupported)
	}
	return idb.Global(), nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	vals, err := s.get(ctx, "get", [][]byte{key})
	if err != nil {
		return nil, err
	}
	if vals[0] == nil {
		return nil, fmt.Errorf("%w: %x", kv.ErrNotFound, key)
	}
	return vals[0], nil
}

// MultiGet implements kv.Store.
func (s *Store) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	return s.get(ctx, "multi-get", keys)
}

// get reads keys in one readonly transaction; a missing key gives nil.
func (s *Store) get(ctx context.Context, op string, keys [][]byte) ([][]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, kv.ErrClosed
	}
	if err := ctx.Err(); err != nil || len(keys) == 0 {
		return make([][]byte, len(keys)), err
	}
	txn, store, err := rawBegin(s.raw, "readonly")
	if err != nil {
		return nil, fmt.Errorf("idbstore: %s: %w", op, err)
	}
	reqs := make([]js.Value, len(keys))
	err = catch(func() {
		for i, k := range keys {
			reqs[i] = store.Call("get", bytesToJS(k))
		}
	})
	if err == nil {
		// Results stay readable on their requests once the transaction is done.
		err = rawAwait(ctx, txn)
	}
	if err != nil {
		return nil, fmt.Errorf("idbstore: %s: %w", op, err)
	}
	out := make([][]byte, len(keys))
	for i, req := range reqs {
		if v := req.Get("result"); !v.IsUndefined() {
			if out[i], err = valueFromJS(v); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Scan implements kv.Store. It copies the whole range in one readonly
// transaction, then calls fn with no lock held, so fn may call the store.
func (s *Store) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error {
	keys, values, err := s.read(ctx, prefix)
	if err != nil {
		return err
	}
	for i := range keys {
		if err := fn(keys[i], values[i]); err != nil {
			if err == kv.Stop {
				return nil
			}
			return err
		}
	}
	return nil
}

// read returns the pairs under prefix, in key order.
func (s *Store) read(ctx context.Context, prefix []byte) (keys, values [][]byte, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, nil, kv.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	txn, store, err := rawBegin(s.raw, "readonly")
	if err != nil {
		return nil, nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	var keysReq, valuesReq js.Value
	err = catch(func() {
		r := prefixRange(prefix)
		keysReq, valuesReq = store.Call("getAllKeys", r), store.Call("getAll", r)
	})
	if err == nil {
		err = rawAwait(ctx, txn)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	return pairsFromJS(keysReq.Get("result"), valuesReq.Get("result"))
}

// pairsFromJS copies the results of getAllKeys and getAll into Go.
func pairsFromJS(jsKeys, jsValues js.Value) (keys, values [][]byte, err error) {
	n := jsKeys.Length()
	if jsValues.Length() != n {
		return nil, nil, fmt.Errorf("idbstore: scan: %d keys but %d values", n, jsValues.Length())
	}
	keys, values = make([][]byte, n), make([][]byte, n)
	for i := range n {
		if keys[i], err = keyFromJS(jsKeys.Index(i)); err != nil {
			return nil, nil, err
		}
		if values[i], err = valueFromJS(jsValues.Index(i)); err != nil {
			return nil, nil, err
		}
	}
	return keys, values, nil
}

// Apply implements kv.Store: the batch is one readwrite transaction with
// strict durability.
func (s *Store) Apply(ctx context.Context, b *kv.Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return kv.ErrClosed
	}
	if err := ctx.Err(); err != nil || len(b.Ops) == 0 {
		return err
	}
	txn, store, err := rawBegin(s.raw, "readwrite")
	if err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	err = catch(func() {
		for _, op := range b.Ops {
			write(store, op)
		}
		txn.Call("commit")
	})
	if err != nil {
		_ = catch(func() { txn.Call("abort") })
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	// The transaction is IndexedDB's now: wait for its outcome whatever ctx.
	if err := rawAwait(context.WithoutCancel(ctx), txn); err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	return nil
}

// write issues op's request in the transaction of store.
func write(store js.Value, op kv.Op) {
	switch op.Kind {
	case kv.OpPut:
		store.Call("put", bytesToJS(op.Value), bytesToJS(op.Key))
	case kv.OpDelete:
		store.Call("delete", bytesToJS(op.Key))
	case kv.OpDeletePrefix:
		if len(op.Key) == 0 {
			store.Call("clear")
		} else {
			store.Call("delete", prefixRange(op.Key))
		}
	}
}

// durability is the durability of write transactions (a variable so that
// benchmarks can compare it with "relaxed").
var durability = idb.DurabilityStrict

// awaitTxn waits for txn to complete; an aborted or failed transaction is
// an error.
func awaitTxn(ctx context.Context, txn *idb.Transaction) error {
	if err := txn.Await(ctx); err != nil {
		return err
	}
	return ctx.Err()
}

// Close implements kv.Store: it waits for the calls in progress, closes the
// database and releases its Web Lock.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return kv.ErrClosed
	}
	s.closed = true
	err := s.db.Close()
	s.lock.unlock()
	if err != nil {
		return fmt.Errorf("idbstore: close: %w", err)
	}
	return nil
}
