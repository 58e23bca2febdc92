//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

// The data paths (Get, MultiGet, Scan, Apply) drive IndexedDB through
// syscall/js directly, on the connection go-indexeddb opened. The library
// has no getAll, and its wrapping of every request (type checks, event
// listeners and goroutines per await) made a scan of 1000 pairs take
// 113 ms against 42 ms this way, and a one-put batch 1.7 ms against 1.2 ms
// (docs/benchmarks.md). Opening, upgrades, migrations and deletion stay
// with the library.

// rawBegin starts a transaction on the data object store: mode is
// "readonly" or "readwrite" (with the store's durability).
func rawBegin(db js.Value, mode string) (txn, store js.Value, err error) {
	err = catch(func() {
		opts := map[string]any{}
		if mode == "readwrite" {
			opts["durability"] = durability.String()
		}
		txn = db.Call("transaction", dataStore, mode, opts)
		store = txn.Call("objectStore", dataStore)
	})
	return txn, store, err
}

// rawAwait waits for txn to complete. A failed request aborts its
// transaction, so "complete" and "abort" are the only outcomes. When ctx
// ends first, the transaction goes on and rawAwait returns ctx.Err().
func rawAwait(ctx context.Context, txn js.Value) error {
	ch := make(chan error, 1)
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if args[0].Get("type").String() == "complete" {
			ch <- nil
		} else {
			ch <- txnError(txn)
		}
		txn.Call("removeEventListener", "complete", done)
		txn.Call("removeEventListener", "abort", done)
		done.Release()
		return nil
	})
	txn.Call("addEventListener", "complete", done)
	txn.Call("addEventListener", "abort", done)
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// txnError describes why txn aborted.
func txnError(txn js.Value) error {
	e := txn.Get("error")
	if e.IsNull() || e.IsUndefined() {
		return errors.New("transaction aborted")
	}
	return fmt.Errorf("%s: %s", e.Get("name").String(), e.Get("message").String())
}

// catch runs fn and returns the JavaScript exception it throws, if any.
func catch(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	fn()
	return nil
}
