package wallet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
)

// ErrUnknownBlock is returned (wrapped) by Block for a hash that names no
// confirmed block of a tracked chain in the local node.
var ErrUnknownBlock = errors.New("wallet: no block with this hash in the tracked chains")

// The local node stores a chain's confirmed certificates by height (see
// core/chain), not by hash. The wallet keeps its own index beside them, in
// the same store, outside every chain's state:
//
//	w/block/HASH      → chain id (32 bytes) and height (8, big-endian)
//	w/indexed/CHAIN   → the next height of CHAIN to index (8, big-endian)
//
// The index is caught up lazily, when a lookup misses, from each tracked
// chain's cursor to its tip. Certificates reach the local store on many
// paths (synchronisation, proposals, finished interrupted proposals,
// following a chain), all in node-client and core; indexing each write
// would reach into all of them. A confirmed certificate never changes, so
// the catch-up is exact, and a lookup checks the certificate it finds
// against the hash anyway.
var (
	blockIndexPrefix  = []byte("w/block/")
	blockCursorPrefix = []byte("w/indexed/")
)

// indexBatch is the number of blocks indexed per store batch (and per
// chain.State, whose read cache grows with every certificate read). Tests
// lower it.
var indexBatch = 256

// Block returns the confirmed block with hash h of a chain the wallet
// tracks, from the local node (it does not ask the validators), or an
// error wrapping ErrUnknownBlock. It reads the document and the local
// store, and writes only the wallet's block index.
func (w *Wallet) Block(ctx context.Context, h ids.Hash) (*block.Certificate, error) {
	cert, err := w.indexedBlock(ctx, h)
	if err != nil || cert != nil {
		return cert, err
	}
	for _, c := range w.doc.Chains {
		if err := w.indexChain(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	if cert, err = w.indexedBlock(ctx, h); err == nil && cert == nil {
		err = fmt.Errorf("%w: %s", ErrUnknownBlock, h)
	}
	return cert, err
}

// RecentBlocks returns up to limit of chain id's last confirmed blocks in
// the local node, newest first.
func (w *Wallet) RecentBlocks(ctx context.Context, id ids.ChainID, limit int) ([]*block.Certificate, error) {
	s := chain.Open(ctx, w.cfg.Store, id)
	if !s.Active() {
		return nil, fmt.Errorf("%w: %s is not in the local node", ErrUnknownChain, id)
	}
	var out []*block.Certificate
	for h := s.Tip().NextHeight; h > 0 && len(out) < limit; h-- {
		cert, ok := s.Certificate(h - 1)
		if !ok {
			break
		}
		out = append(out, cert)
	}
	if err := s.Tx.Err(); err != nil {
		return nil, fmt.Errorf("wallet: read blocks of %s: %w", id.Short(), err)
	}
	return out, nil
}

func blockIndexKey(h ids.Hash) []byte { return append(append([]byte{}, blockIndexPrefix...), h[:]...) }

func blockCursorKey(id ids.ChainID) []byte {
	return append(append([]byte{}, blockCursorPrefix...), id[:]...)
}

// indexedBlock returns the block the index names for h, or nil if the
// index has no (valid) entry.
func (w *Wallet) indexedBlock(ctx context.Context, h ids.Hash) (*block.Certificate, error) {
	v, err := w.cfg.Store.Get(ctx, blockIndexKey(h))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("wallet: read block index: %w", err)
	}
	if len(v) != ids.HashSize+8 {
		return nil, nil // not an entry this code wrote: re-indexing rewrites it
	}
	var id ids.ChainID
	copy(id[:], v)
	s := chain.Open(ctx, w.cfg.Store, id)
	cert, ok := s.Certificate(binary.BigEndian.Uint64(v[ids.HashSize:]))
	if err := s.Tx.Err(); err != nil {
		return nil, fmt.Errorf("wallet: read block %s: %w", h.Short(), err)
	}
	if !ok || cert.Hash() != h {
		return nil, nil
	}
	return cert, nil
}

// indexChain indexes chain id's blocks from its cursor to its tip.
func (w *Wallet) indexChain(ctx context.Context, id ids.ChainID) error {
	next, err := w.indexCursor(ctx, id)
	if err != nil {
		return err
	}
	for {
		done, err := w.indexSome(ctx, id, &next)
		if err != nil || done {
			return err
		}
	}
}

func (w *Wallet) indexCursor(ctx context.Context, id ids.ChainID) (uint64, error) {
	v, err := w.cfg.Store.Get(ctx, blockCursorKey(id))
	if errors.Is(err, kv.ErrNotFound) || err == nil && len(v) != 8 {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("wallet: read block index: %w", err)
	}
	return binary.BigEndian.Uint64(v), nil
}

// indexSome indexes up to indexBatch blocks of chain id from *next, moves
// *next past them, and reports whether the chain's tip was reached.
func (w *Wallet) indexSome(ctx context.Context, id ids.ChainID, next *uint64) (bool, error) {
	s := chain.Open(ctx, w.cfg.Store, id)
	tip := s.Tip().NextHeight
	var b kv.Batch
	for ; *next < tip && b.Len() < indexBatch; *next++ {
		cert, ok := s.Certificate(*next)
		if !ok {
			break // a gap (not expected): index the rest at the next miss
		}
		b.Put(blockIndexKey(cert.Hash()), binary.BigEndian.AppendUint64(append([]byte{}, id[:]...), *next))
	}
	if err := s.Tx.Err(); err != nil {
		return false, fmt.Errorf("wallet: index blocks of %s: %w", id.Short(), err)
	}
	if b.Len() == 0 {
		return true, nil
	}
	b.Put(blockCursorKey(id), binary.BigEndian.AppendUint64(nil, *next))
	if err := w.cfg.Store.Apply(ctx, &b); err != nil {
		return false, fmt.Errorf("wallet: index blocks of %s: %w", id.Short(), err)
	}
	return *next >= tip, nil
}
