package wallet

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// File is where a wallet's Document lives: a file on disk for the CLI,
// browser storage for the extension, memory in tests.
type File interface {
	// Read returns the stored document; an error wrapping fs.ErrNotExist
	// if none was ever written.
	Read() ([]byte, error)
	// Write replaces the stored document atomically: a crash leaves the
	// old document or the new one, never a mix.
	Write(b []byte) error
}

// DiskFile is a File at a path. Write puts the document in a temporary
// file in the same folder, syncs it and renames it over the old one; the
// file is readable by its owner only, since version 1 keeps keys in clear.
type DiskFile string

// Read implements File.
func (p DiskFile) Read() ([]byte, error) { return os.ReadFile(string(p)) }

// Write implements File.
func (p DiskFile) Write(b []byte) error {
	dir := filepath.Dir(string(p))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(string(p))+".*")
	if err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	defer os.Remove(f.Name()) //nolint:errcheck // gone after the rename
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("wallet: write %s: %w", p, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("wallet: sync %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	if err := os.Rename(f.Name(), string(p)); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	return nil
}

// MemFile is a File in memory. The zero MemFile is empty.
type MemFile struct {
	mu   sync.Mutex
	data []byte
}

// Read implements File.
func (m *MemFile) Read() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil, fmt.Errorf("wallet: memory file: %w", fs.ErrNotExist)
	}
	return append([]byte{}, m.data...), nil
}

// Write implements File.
func (m *MemFile) Write(b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = append([]byte{}, b...)
	return nil
}
