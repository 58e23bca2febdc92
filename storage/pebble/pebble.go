// Package pebblestore is the embedded, persistent kv.Store of a Myriad
// node, on the Pebble LSM engine (github.com/cockroachdb/pebble/v2).
//
//	s, err := pebblestore.New(pebblestore.Config{Dir: "/var/lib/myriad/state"})
//	if err != nil { ... }
//	defer s.Close()
//
// Apply commits with a synced write-ahead log, so a batch is on disk when
// Apply returns. Applies from several goroutines share disk syncs through
// Pebble's commit pipeline: the store takes no lock around a commit, so
// concurrent writers should call Apply concurrently rather than queue.
package pebblestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/myriadchain/myriad/core/kv"
)

// Config configures a Store. The zero value is not valid: Dir is required.
type Config struct {
	// Dir is the directory of the database, created if missing.
	Dir string
	// CacheSize is the block cache size in bytes; 0 means Pebble's
	// default (8 MiB).
	CacheSize int64
	// FS is the file system the database lives on; nil means the
	// operating system's. Tests pass vfs.NewMem or vfs.NewCrashableMem.
	FS vfs.FS
	// Logger receives Pebble's log lines; nil discards them.
	Logger *slog.Logger
}

// validate returns an error if c cannot open a store.
func (c Config) validate() error {
	if c.Dir == "" {
		return errors.New("pebblestore: config: no directory")
	}
	if c.CacheSize < 0 {
		return fmt.Errorf("pebblestore: config: negative cache size %d", c.CacheSize)
	}
	return nil
}

// memTableSize is the steady-state memtable size: 16 MiB rather than
// Pebble's 4 MiB, so that the small synced batches a validator writes are
// flushed (and compacted) less often.
const memTableSize = 16 << 20

// formatVersion pins the on-disk format, as Pebble recommends, so that a
// Pebble upgrade does not silently move the default.
const formatVersion = pebble.FormatValueSeparation

// Store is a kv.Store on a Pebble database. It is safe for concurrent use.
type Store struct {
	db *pebble.DB

	mu     sync.RWMutex // guards closed and the start of calls
	closed bool
	calls  sync.WaitGroup // calls in progress, which Close waits for
}

var _ kv.Store = (*Store)(nil)

// New opens (creating if needed) the database described by cfg.
func New(cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := &pebble.Options{
		FS:                 cfg.FS,
		CacheSize:          cfg.CacheSize,
		FormatMajorVersion: formatVersion,
		Logger:             logger{log},
		MemTableSize:       memTableSize,
	}
	// Chain state is read mostly by point lookups, many of keys that do not
	// exist yet (a new inbox, the next queue slot, a chain's first
	// manager); without a filter each one reads index blocks of every
	// level. A 10-bit Bloom filter answers most of them from memory.
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(cfg.Dir, opts)
	if err != nil {
		return nil, fmt.Errorf("pebblestore: open %s: %w", cfg.Dir, err)
	}
	return &Store{db: db}, nil
}

// enter starts a call, or returns why it cannot start. A started call must
// end with s.calls.Done.
func (s *Store) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return kv.ErrClosed
	}
	s.calls.Add(1)
	return nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.calls.Done()
	return get(s.db, dbKey(nil, key))
}

// reader is what Get needs of a DB or a snapshot.
type reader interface {
	Get(key []byte) ([]byte, io.Closer, error)
}

// get returns a copy of the value of the database key k in r, never nil
// when k is present.
func get(r reader, k []byte) ([]byte, error) {
	v, closer, err := r.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, fmt.Errorf("%w: %x", kv.ErrNotFound, k[1:])
	}
	if err != nil {
		return nil, fmt.Errorf("pebblestore: get %x: %w", k[1:], err)
	}
	out := append([]byte{}, v...)
	if err := closer.Close(); err != nil {
		return nil, fmt.Errorf("pebblestore: get %x: %w", k[1:], err)
	}
	return out, nil
}

// MultiGet implements kv.Store. All keys are read from one snapshot.
func (s *Store) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.calls.Done()
	out := make([][]byte, len(keys))
	if len(keys) == 1 { // one key is its own snapshot
		v, err := get(s.db, dbKey(nil, keys[0]))
		if err != nil && !errors.Is(err, kv.ErrNotFound) {
			return nil, err
		}
		out[0] = v
		return out, nil
	}
	snap := s.db.NewSnapshot()
	defer snap.Close()
	var buf []byte
	for i, k := range keys {
		buf = dbKey(buf, k)
		v, err := get(snap, buf)
		if err != nil && !errors.Is(err, kv.ErrNotFound) {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Scan implements kv.Store. It iterates over a snapshot taken when it
// starts, so fn may write to s. It returns ctx's error if ctx ends during
// the scan.
func (s *Store) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) (err error) {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.calls.Done()
	snap := s.db.NewSnapshot()
	defer snap.Close()
	it, err := snap.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: dbKey(nil, prefix),
		UpperBound: dbPrefixEnd(prefix),
	})
	if err != nil {
		return fmt.Errorf("pebblestore: scan %x: %w", prefix, err)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("pebblestore: scan %x: %w", prefix, cerr)
		}
	}()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			return fmt.Errorf("pebblestore: scan %x: %w", prefix, err)
		}
		if err := fn(it.Key()[1:], v); err != nil {
			if err == kv.Stop {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil // it.Close reports an iteration error
}

// Apply implements kv.Store. It returns once the batch is synced to disk.
// Concurrent calls commit in a group and share syncs.
func (s *Store) Apply(ctx context.Context, b *kv.Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.calls.Done()
	pb := s.db.NewBatch()
	defer pb.Close()
	var buf []byte
	for _, op := range b.Ops {
		buf = dbKey(buf, op.Key)
		if err := add(pb, op.Kind, buf, op.Value); err != nil {
			return fmt.Errorf("pebblestore: apply: %w", err)
		}
	}
	if err := pb.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: apply: commit: %w", err)
	}
	return nil
}

// add appends an operation on the database key k to pb. Pebble copies the
// slices.
func add(pb *pebble.Batch, kind kv.OpKind, k, value []byte) error {
	switch kind {
	case kv.OpPut:
		return pb.Set(k, value, nil)
	case kv.OpDelete:
		return pb.Delete(k, nil)
	case kv.OpDeletePrefix:
		return pb.DeleteRange(k, dbPrefixEnd(k[1:]), nil)
	default: // unreachable after Check
		return fmt.Errorf("unknown operation kind %d", kind)
	}
}

// userTag is the first byte of the database key of every kv key. So
// Pebble never sees an empty key (its invariant checks, on under -race,
// misjudge one in v2.1.7), keys with a prefix of only 0xff bytes end
// before the next tag, and other tags stay free for the store's own
// records.
const userTag = 0x01

// dbKey returns the database key of key, reusing buf.
func dbKey(buf, key []byte) []byte {
	return append(append(buf[:0], userTag), key...)
}

// dbPrefixEnd returns the database key that ends the keys with prefix.
func dbPrefixEnd(prefix []byte) []byte {
	if end := kv.PrefixEnd(prefix); end != nil {
		return dbKey(nil, end)
	}
	return []byte{userTag + 1}
}

// Close implements kv.Store. It waits for calls in progress, so it must not
// be called from a Scan callback. Closing twice returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.calls.Wait()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("pebblestore: close: %w", err)
	}
	return nil
}

// logger hands Pebble's log lines to a slog.Logger.
type logger struct{ l *slog.Logger }

func (l logger) Infof(format string, args ...any) {
	if l.l.Enabled(context.Background(), slog.LevelInfo) {
		l.l.Info(fmt.Sprintf(format, args...))
	}
}

func (l logger) Errorf(format string, args ...any) {
	l.l.Error(fmt.Sprintf(format, args...))
}

// Fatalf logs and panics: Pebble calls it on a broken internal invariant
// and requires that it not return.
func (l logger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.l.Error(msg)
	panic("pebblestore: pebble: " + msg)
}
