// Package kv is the small key-value interface all Myriad state lives on,
// and its in-memory implementation.
//
// Keys are byte strings ordered bytewise; a Store offers point reads,
// multi-reads, ordered prefix scans and atomic write batches, with size
// limits enforced by every backend (Check) so that a batch accepted by one
// backend is accepted by all. Backends live in package storage (pebble, a
// distributed engine) and storage-idb (IndexedDB); Memory here serves tests
// and the in-process network.
package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// Limits every backend enforces.
const (
	MaxKeySize   = 1 << 10  // bytes in one key
	MaxValueSize = 16 << 20 // bytes in one value
	MaxBatchSize = 64 << 20 // bytes of keys and values in one batch
	MaxBatchOps  = 1 << 20  // operations in one batch
)

// Errors returned by stores. Backends wrap them; callers use errors.Is.
var (
	ErrNotFound = errors.New("kv: key not found")
	ErrTooLarge = errors.New("kv: size limit exceeded")
	ErrClosed   = errors.New("kv: store closed")
)

// Stop, returned by a Scan callback, ends the scan early without error.
var Stop = errors.New("kv: stop scan")

// Store is an ordered key-value store.
//
// All methods are safe for concurrent use. Slices passed in are not
// retained; slices returned belong to the caller, except those handed to a
// Scan callback, which are valid only during the call.
type Store interface {
	// Get returns the value of key, or an error wrapping ErrNotFound.
	Get(ctx context.Context, key []byte) ([]byte, error)
	// MultiGet returns the values of keys in order; a missing key gives a
	// nil entry and a present empty value a non-nil empty slice.
	MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error)
	// Scan calls fn for every key that starts with prefix, in ascending
	// order, until fn returns an error. Stop ends the scan and Scan returns
	// nil; any other error is returned. Scan sees a consistent snapshot.
	Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error
	// Apply makes every operation of b durable atomically: after a crash,
	// either all or none of them are visible. Apply returns only once the
	// batch is durable (for persistent backends). A batch over the limits
	// is refused with an error wrapping ErrTooLarge and changes nothing.
	Apply(ctx context.Context, b *Batch) error
	// Close releases the store; later calls return ErrClosed.
	Close() error
}

// OpKind is the kind of a batch operation.
type OpKind uint8

// Batch operation kinds.
const (
	OpPut OpKind = iota
	OpDelete
	OpDeletePrefix
)

// Op is one batch operation. For OpDeletePrefix, Key is the prefix.
type Op struct {
	Kind  OpKind
	Key   []byte
	Value []byte
}

// Batch is an ordered list of writes applied atomically. Later operations
// win over earlier ones on the same key.
type Batch struct {
	Ops []Op
}

// Put sets key to value. The batch keeps its own copies.
func (b *Batch) Put(key, value []byte) {
	b.Ops = append(b.Ops, Op{Kind: OpPut, Key: bytes.Clone(key), Value: bytes.Clone(value)})
}

// Delete removes key.
func (b *Batch) Delete(key []byte) {
	b.Ops = append(b.Ops, Op{Kind: OpDelete, Key: bytes.Clone(key)})
}

// DeletePrefix removes every key that starts with prefix.
func (b *Batch) DeletePrefix(prefix []byte) {
	b.Ops = append(b.Ops, Op{Kind: OpDeletePrefix, Key: bytes.Clone(prefix)})
}

// Append adds every operation of o to b.
func (b *Batch) Append(o *Batch) {
	b.Ops = append(b.Ops, o.Ops...)
}

// Len returns the number of operations.
func (b *Batch) Len() int { return len(b.Ops) }

// Size returns the bytes of keys and values in b. It is counted from Ops,
// so it holds for batches whose Ops were filled in directly too.
func (b *Batch) Size() int {
	n := 0
	for _, op := range b.Ops {
		n += len(op.Key) + len(op.Value)
	}
	return n
}

// Check returns an error wrapping ErrTooLarge if b breaks a limit, or an
// error if an operation has an unknown kind.
func (b *Batch) Check() error {
	if len(b.Ops) > MaxBatchOps {
		return fmt.Errorf("%w: %d operations > %d", ErrTooLarge, len(b.Ops), MaxBatchOps)
	}
	if size := b.Size(); size > MaxBatchSize {
		return fmt.Errorf("%w: batch of %d bytes > %d", ErrTooLarge, size, MaxBatchSize)
	}
	for _, op := range b.Ops {
		if op.Kind > OpDeletePrefix {
			return fmt.Errorf("kv: unknown operation kind %d", op.Kind)
		}
		if err := CheckKey(op.Key); err != nil {
			return err
		}
		if len(op.Value) > MaxValueSize {
			return fmt.Errorf("%w: value of %d bytes > %d", ErrTooLarge, len(op.Value), MaxValueSize)
		}
	}
	return nil
}

// CheckKey returns an error wrapping ErrTooLarge if key is too long.
func CheckKey(key []byte) error {
	if len(key) > MaxKeySize {
		return fmt.Errorf("%w: key of %d bytes > %d", ErrTooLarge, len(key), MaxKeySize)
	}
	return nil
}

// PrefixEnd returns the smallest key greater than every key with the
// given prefix, or nil if there is none (the prefix is all 0xff).
func PrefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
