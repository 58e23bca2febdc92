//go:build js && wasm

package worker

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall/js"

	"github.com/myriadchain/myriad/core/kv"
)

// Store is a kv.Store over a Durable Object's storage, reached through the
// object js/worker.mjs hands to Go (get, list, apply; each returns a
// Promise). Keys are stored as lowercase hex, which keeps their bytewise
// order, and values as Uint8Arrays. Apply runs one storage transaction, so
// a batch is atomic and durable when it returns: that is what the
// node-client's pending block (ProposeDurably) relies on.
type Store struct {
	obj    js.Value
	closed atomic.Bool
}

var _ kv.Store = (*Store)(nil)

// NewStore returns the store over obj, the storage object of the host.
func NewStore(obj js.Value) *Store { return &Store{obj: obj} }

func (s *Store) call(method string, args ...any) (js.Value, error) {
	if s.closed.Load() {
		return js.Value{}, kv.ErrClosed
	}
	v, err := Await(s.obj.Call(method, args...))
	if err != nil {
		return js.Value{}, fmt.Errorf("worker: storage %s: %w", method, err)
	}
	return v, nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	vals, err := s.MultiGet(ctx, [][]byte{key})
	if err != nil {
		return nil, err
	}
	if vals[0] == nil {
		return nil, fmt.Errorf("%w: %x", kv.ErrNotFound, key)
	}
	return vals[0], nil
}

// MultiGet implements kv.Store.
func (s *Store) MultiGet(_ context.Context, keys [][]byte) ([][]byte, error) {
	arr := js.Global().Get("Array").New(len(keys))
	for i, k := range keys {
		arr.SetIndex(i, hex.EncodeToString(k))
	}
	res, err := s.call("get", arr)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	for i := range keys {
		if v := res.Index(i); !v.IsUndefined() && !v.IsNull() {
			out[i] = bytesOf(v)
		}
	}
	return out, nil
}

// Scan implements kv.Store. The snapshot is the list the storage returned.
func (s *Store) Scan(_ context.Context, prefix []byte, fn func(key, value []byte) error) error {
	res, err := s.call("list", hex.EncodeToString(prefix))
	if err != nil {
		return err
	}
	ks, vs := res.Get("keys"), res.Get("values")
	for i := range ks.Length() {
		k, err := hex.DecodeString(ks.Index(i).String())
		if err != nil {
			return fmt.Errorf("worker: storage: key %q is not hex", ks.Index(i).String())
		}
		if err := fn(k, bytesOf(vs.Index(i))); err != nil {
			if errors.Is(err, kv.Stop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// Apply implements kv.Store: the operations, in order, in one transaction.
func (s *Store) Apply(_ context.Context, b *kv.Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	ops := js.Global().Get("Array").New(len(b.Ops))
	for i, op := range b.Ops {
		o := js.Global().Get("Array").New(int(op.Kind), hex.EncodeToString(op.Key))
		if op.Kind == kv.OpPut {
			o.Call("push", uint8Array(op.Value))
		}
		ops.SetIndex(i, o)
	}
	_, err := s.call("apply", ops)
	return err
}

// Close implements kv.Store; the storage itself stays the host's.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func uint8Array(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}
