package wallet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/myriadchain/myriad/core/kv"
)

// KVFile is a File kept under one key of a kv.Store: the browser keeps
// the wallet document in its own IndexedDB database, apart from the chain
// state, so that wiping a damaged state store never touches the keys.
// A write is one batch, so it is atomic as the store's batches are.
type KVFile struct {
	Store kv.Store
	Key   []byte
}

// Read implements File.
func (f KVFile) Read() ([]byte, error) {
	b, err := f.Store.Get(context.Background(), f.Key)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, fmt.Errorf("wallet: document %q: %w", f.Key, fs.ErrNotExist)
	} else if err != nil {
		return nil, fmt.Errorf("wallet: read document: %w", err)
	}
	return b, nil
}

// Write implements File.
func (f KVFile) Write(b []byte) error {
	var batch kv.Batch
	batch.Put(f.Key, b)
	if err := f.Store.Apply(context.Background(), &batch); err != nil {
		return fmt.Errorf("wallet: write document: %w", err)
	}
	return nil
}
