// Package crash is a kv.Store that crashes on demand, for crash tests of
// the code above storage (vote persistence, chain storage).
//
// A Store models a machine whose every completed Apply is durable and
// whose crash loses the Apply in flight whole:
//
//	s := crash.New()
//	s.CrashAfter(3)          // the 3rd Apply from now crashes
//	runNode(s)               // sees ErrCrashed from then on
//	s = s.Restart()          // exactly the batches applied before the crash
//	checkRecovery(s)
//
// Restart also works without a crash: it is a power cut at that moment.
package crash

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/myriadchain/myriad/core/kv"
)

// ErrCrashed is returned by every call on a Store from its crash on.
var ErrCrashed = errors.New("crash: store crashed")

// Store is a kv.Store that can be made to crash. It keeps its data in an
// inner store, to which it passes every call until the crash. It is safe
// for concurrent use; Applies run one at a time.
type Store struct {
	inner kv.Store

	mu      sync.Mutex
	crashed bool
	left    int // Applies left before the crashing one; 0: none armed
}

var _ kv.Store = (*Store)(nil)

// New returns an empty Store on a kv.Memory.
func New() *Store { return Wrap(kv.NewMemory()) }

// Wrap returns a Store keeping its data in inner, which it then owns. The
// durable state after a crash is what inner holds, so inner's Apply must
// be atomic, as kv.Store requires.
func Wrap(inner kv.Store) *Store { return &Store{inner: inner} }

// CrashAfter arms a crash: the n-th Apply from now, counting only batches
// that pass kv.Batch.Check, fails with ErrCrashed without being applied,
// and every call after it fails too. n < 1 crashes at once. A later
// CrashAfter replaces an armed one.
func (s *Store) CrashAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 {
		s.crashed = true
		return
	}
	s.left = n
}

// Crashed reports whether s has crashed.
func (s *Store) Crashed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.crashed
}

// Restart crashes s if it has not crashed yet and returns a new Store on
// the same data: every batch whose Apply returned nil, and nothing of any
// other. The new Store has no crash armed. Restart after the new Store is
// closed, or on a Store already restarted, returns a Store whose calls
// fail with kv.ErrClosed.
func (s *Store) Restart() *Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.crashed = true
	inner := s.inner
	s.inner = closedStore{} // only one live view of the data
	return Wrap(inner)
}

// live returns the inner store, or ErrCrashed.
func (s *Store) live() (kv.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return nil, ErrCrashed
	}
	return s.inner, nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	inner, err := s.live()
	if err != nil {
		return nil, err
	}
	return inner.Get(ctx, key)
}

// MultiGet implements kv.Store.
func (s *Store) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	inner, err := s.live()
	if err != nil {
		return nil, err
	}
	return inner.MultiGet(ctx, keys)
}

// Scan implements kv.Store. A scan in progress when s crashes ends with
// ErrCrashed before its next key.
func (s *Store) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error {
	inner, err := s.live()
	if err != nil {
		return err
	}
	return inner.Scan(ctx, prefix, func(k, v []byte) error {
		if s.Crashed() {
			return ErrCrashed
		}
		return fn(k, v)
	})
}

// Apply implements kv.Store. It fails with ErrCrashed, applying nothing,
// if it is the Apply CrashAfter armed or comes after a crash.
func (s *Store) Apply(ctx context.Context, b *kv.Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return ErrCrashed
	}
	if s.left > 0 {
		s.left--
		if s.left == 0 {
			s.crashed = true
			return ErrCrashed
		}
	}
	return s.inner.Apply(ctx, b)
}

// Close implements kv.Store, closing the inner store. After a crash it
// returns ErrCrashed and leaves the data to Restart.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return ErrCrashed
	}
	return s.inner.Close()
}

// closedStore stands in for the data of a Store that was restarted.
type closedStore struct{}

func (closedStore) Get(context.Context, []byte) ([]byte, error) { return nil, errRestarted }
func (closedStore) MultiGet(context.Context, [][]byte) ([][]byte, error) {
	return nil, errRestarted
}
func (closedStore) Scan(context.Context, []byte, func(k, v []byte) error) error {
	return errRestarted
}
func (closedStore) Apply(context.Context, *kv.Batch) error { return errRestarted }
func (closedStore) Close() error                           { return errRestarted }

var errRestarted = fmt.Errorf("crash: store restarted twice: %w", kv.ErrClosed)
