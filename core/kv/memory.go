package kv

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
)

// Memory is an in-memory Store: a sorted slice of entries behind a lock.
// Scans run over a snapshot, so callbacks may write to the store.
type Memory struct {
	mu      sync.RWMutex
	entries []entry // sorted by key
	closed  bool
}

type entry struct {
	key, value []byte
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{} }

func (m *Memory) find(key []byte) (int, bool) {
	return slices.BinarySearchFunc(m.entries, key, func(e entry, k []byte) int { return bytes.Compare(e.key, k) })
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key []byte) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	i, ok := m.find(key)
	if !ok {
		return nil, fmt.Errorf("%w: %x", ErrNotFound, key)
	}
	return bytes.Clone(m.entries[i].value), nil
}

// MultiGet implements Store.
func (m *Memory) MultiGet(_ context.Context, keys [][]byte) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	out := make([][]byte, len(keys))
	for j, k := range keys {
		if i, ok := m.find(k); ok {
			out[j] = append([]byte{}, m.entries[i].value...)
		}
	}
	return out, nil
}

// Scan implements Store.
func (m *Memory) Scan(_ context.Context, prefix []byte, fn func(key, value []byte) error) error {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	lo, _ := m.find(prefix)
	hi := len(m.entries)
	if end := PrefixEnd(prefix); end != nil {
		hi, _ = m.find(end)
	}
	snap := slices.Clone(m.entries[lo:hi])
	m.mu.RUnlock()
	for _, e := range snap {
		if err := fn(e.key, e.value); err != nil {
			if err == Stop {
				return nil
			}
			return err
		}
	}
	return nil
}

// Apply implements Store.
func (m *Memory) Apply(_ context.Context, b *Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, op := range b.Ops {
		m.apply(op)
	}
	return nil
}

func (m *Memory) apply(op Op) {
	switch op.Kind {
	case OpPut:
		// Entries are never mutated in place, so snapshots stay valid.
		e := entry{key: bytes.Clone(op.Key), value: bytes.Clone(op.Value)}
		if i, ok := m.find(op.Key); ok {
			m.entries[i] = e
		} else {
			m.entries = slices.Insert(m.entries, i, e)
		}
	case OpDelete:
		if i, ok := m.find(op.Key); ok {
			m.entries = slices.Delete(m.entries, i, i+1)
		}
	case OpDeletePrefix:
		lo, _ := m.find(op.Key)
		hi := len(m.entries)
		if end := PrefixEnd(op.Key); end != nil {
			hi, _ = m.find(end)
		}
		m.entries = slices.Delete(m.entries, lo, hi)
	}
}

// Close implements Store.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// Len returns the number of keys stored.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.entries)
}
