package cqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gocql/gocql"
	"github.com/myriadchain/myriad/core/kv"
)

// ErrUnavailable is wrapped by the errors of calls that failed because the
// database could not be reached or had too few live replicas for the
// consistency level, after retrying for Config.RetryFor. Nothing was
// changed by a failed Apply, or all of it will be: see Apply. (Its text
// has no package prefix: the error wrapping it has one.)
var ErrUnavailable = errors.New("database unavailable (no host reachable, or too few replicas for the consistency level)")

// Store is a kv.Store on a CQL table. It is safe for concurrent use.
type Store struct {
	cfg   Config
	sess  *gocql.Session
	table string // keyspace.kv_namespace

	known sync.Map // chain partitions this Store has registered in parts

	// iso makes writes to several partitions, which Cassandra does not
	// isolate, invisible until whole to the readers of this process: they
	// hold it exclusively, everything else shares it.
	iso sync.RWMutex

	mu         sync.Mutex // guards closed, unfinished and the start of calls
	closed     bool
	unfinished [][]byte       // journal entries committed but not applied
	calls      sync.WaitGroup // calls in progress, which Close waits for
}

var _ kv.Store = (*Store)(nil)

// New connects to the cluster, creates the keyspace and the namespace's
// tables if missing, and replays the journal entries a crashed Apply left.
// It retries an unreachable cluster for cfg.RetryFor, logging each try.
func New(ctx context.Context, cfg Config) (*Store, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg,
		table: cfg.Keyspace + ".kv_" + cfg.Namespace,
	}
	err = s.retry(ctx, "connect", func() error {
		var err error
		s.sess, err = s.cluster().CreateSession()
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.createSchema(ctx); err != nil {
		s.sess.Close()
		return nil, err
	}
	if err := s.replayJournal(ctx); err != nil {
		s.sess.Close()
		return nil, err
	}
	return s, nil
}

// cluster returns the gocql configuration of s.
func (s *Store) cluster() *gocql.ClusterConfig {
	c := gocql.NewCluster(s.cfg.Hosts...)
	c.Consistency = s.cfg.Consistency
	c.Timeout = s.cfg.Timeout
	c.ConnectTimeout = s.cfg.ConnectTimeout
	c.ProtoVersion = 4
	c.ReconnectInterval = 2 * time.Second
	c.Logger = gocqlLogger{s.cfg.Logger}
	return c
}

// createSchema creates the keyspace and tables if missing.
func (s *Store) createSchema(ctx context.Context) error {
	ddl := []string{
		"CREATE KEYSPACE IF NOT EXISTS " + s.cfg.Keyspace + " WITH replication = " + s.cfg.Replication,
		"CREATE TABLE IF NOT EXISTS " + s.table +
			" (p blob, k blob, c int, n int, v blob, PRIMARY KEY (p, k, c))",
	}
	for _, q := range ddl {
		if err := s.exec(ctx, "create schema", q); err != nil {
			return err
		}
	}
	return nil
}

// exec runs one statement with retries.
func (s *Store) exec(ctx context.Context, what, q string, args ...any) error {
	return s.retry(ctx, what, func() error {
		return s.sess.Query(q, args...).WithContext(ctx).Exec()
	})
}

// enter starts a call, or returns why it cannot start. A started call must
// end with s.calls.Done.
func (s *Store) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return kv.ErrClosed
	}
	s.calls.Add(1)
	return nil
}

// entry is one key and its whole value.
type entry struct{ key, value []byte }

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.calls.Done()
	s.iso.RLock()
	defer s.iso.RUnlock()
	es, err := s.read(ctx, "get", "SELECT k, c, n, v FROM "+s.table+" WHERE p = ? AND k = ?", Partition(key), nn(key))
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("%w: %x", kv.ErrNotFound, key)
	}
	return es[0].value, nil
}

// MultiGet implements kv.Store. The keys of one partition are read in one
// request, so they are read together.
func (s *Store) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.calls.Done()
	s.iso.RLock()
	defer s.iso.RUnlock()
	byPart := map[string][][]byte{}
	for _, k := range keys {
		p := string(Partition(k))
		byPart[p] = append(byPart[p], nn(k))
	}
	found := map[string][]byte{}
	for p, ks := range byPart {
		es, err := s.read(ctx, "multi-get", "SELECT k, c, n, v FROM "+s.table+" WHERE p = ? AND k IN ?", []byte(p), ks)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			found[string(e.key)] = e.value
		}
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		if v, ok := found[string(k)]; ok {
			out[i] = bytes.Clone(v)
		}
	}
	return out, nil
}

// Scan implements kv.Store. It reads every entry under prefix before it
// calls fn, so fn may write to s. A prefix within one chain reads one
// partition in one request; a shorter prefix reads every partition under
// it, which lists the table's partitions: meant for tools and tests, not
// for a validator's hot path.
func (s *Store) Scan(ctx context.Context, prefix []byte, fn func(key, value []byte) error) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	es, err := s.scan(ctx, prefix)
	s.calls.Done()
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := fn(e.key, e.value); err != nil {
			if err == kv.Stop {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// scan returns the entries under prefix in key order.
func (s *Store) scan(ctx context.Context, prefix []byte) ([]entry, error) {
	s.iso.RLock()
	defer s.iso.RUnlock()
	parts := [][]byte{Partition(prefix)}
	if bytes.Equal(parts[0], globalPart) && spansChains(prefix) {
		chains, err := s.chainParts(ctx, prefix)
		if err != nil {
			return nil, err
		}
		parts = append(parts, chains...)
	}
	var out []entry
	for _, p := range parts {
		es, err := s.readRange(ctx, p, prefix)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	slices.SortFunc(out, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	return out, nil
}

// readRange reads the entries of partition p under prefix.
func (s *Store) readRange(ctx context.Context, p, prefix []byte) ([]entry, error) {
	q := "SELECT k, c, n, v FROM " + s.table + " WHERE p = ?"
	args := []any{p}
	if len(prefix) > 0 {
		q += " AND k >= ?"
		args = append(args, nn(prefix))
		if end := kv.PrefixEnd(prefix); end != nil {
			q += " AND k < ?"
			args = append(args, end)
		}
	}
	return s.read(ctx, "scan", q, args...)
}

// chainParts returns the chain partitions under prefix, from the
// registry of partitions (a partition is registered before its first
// write; a registered partition may be empty).
func (s *Store) chainParts(ctx context.Context, prefix []byte) ([][]byte, error) {
	q := "SELECT k FROM " + s.table + " WHERE p = ?"
	args := []any{registryPart}
	if len(prefix) > 0 {
		q += " AND k >= ?"
		args = append(args, prefix)
		if end := kv.PrefixEnd(prefix); end != nil {
			q += " AND k < ?"
			args = append(args, end)
		}
	}
	var parts [][]byte
	err := s.retry(ctx, "list partitions", func() error {
		parts = parts[:0]
		iter := s.sess.Query(q, args...).WithContext(ctx).Iter()
		var p []byte
		for iter.Scan(&p) {
			parts = append(parts, bytes.Clone(p))
		}
		return iter.Close()
	})
	return parts, err
}

// register records the chain partitions of p in the registry, once per
// Store, before p writes to them.
func (s *Store) register(ctx context.Context, p *plan) error {
	for _, st := range p.stmts {
		if bytes.Equal(st.part, globalPart) {
			continue
		}
		if _, ok := s.known.Load(string(st.part)); ok {
			continue
		}
		if err := s.exec(ctx, "register partition", "INSERT INTO "+s.table+" (p, k, c, n) VALUES (?, ?, 0, 0)", registryPart, st.part); err != nil {
			return err
		}
		s.known.Store(string(st.part), true)
	}
	return nil
}

// read runs a query returning (k, c, n, v) rows, unpaged so that one
// partition is read at once, and joins the chunks of each value.
func (s *Store) read(ctx context.Context, what, q string, args ...any) ([]entry, error) {
	var out []entry
	err := s.retry(ctx, what, func() error {
		var j joiner
		iter := s.sess.Query(q, args...).WithContext(ctx).PageSize(0).Iter()
		for {
			var k, v []byte
			var c, n int32
			if !iter.Scan(&k, &c, &n, &v) {
				break
			}
			j.add(k, c, n, v)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		var err error
		out, err = j.finish()
		return err
	})
	return out, err
}

// errTorn is returned for a value whose chunks do not add up.
var errTorn = errors.New("cqlstore: value with missing chunks")

// joiner joins the chunk rows of values, in (key, chunk) order.
type joiner struct {
	out  []entry
	want int32 // chunks of the last entry's value
	next int32 // its next chunk
	err  error
}

func (j *joiner) add(k []byte, c, n int32, v []byte) {
	if j.err != nil {
		return
	}
	if len(j.out) > 0 && bytes.Equal(j.out[len(j.out)-1].key, k) {
		if c != j.next {
			j.err = fmt.Errorf("%w: %x chunk %d, want %d", errTorn, k, c, j.next)
		}
		last := &j.out[len(j.out)-1]
		last.value = append(last.value, v...)
		j.next++
		return
	}
	if err := j.check(); err != nil {
		j.err = err
		return
	}
	if c != 0 || n < 1 {
		j.err = fmt.Errorf("%w: %x starts at chunk %d of %d", errTorn, k, c, n)
		return
	}
	j.out = append(j.out, entry{key: bytes.Clone(k), value: append([]byte{}, v...)})
	j.want, j.next = n, 1
}

// check returns an error if the last entry lacks chunks.
func (j *joiner) check() error {
	if len(j.out) > 0 && j.next != j.want {
		return fmt.Errorf("%w: %x has %d chunks of %d", errTorn, j.out[len(j.out)-1].key, j.next, j.want)
	}
	return nil
}

func (j *joiner) finish() ([]entry, error) {
	if j.err != nil {
		return nil, j.err
	}
	if err := j.check(); err != nil {
		return nil, err
	}
	return j.out, nil
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
	s.sess.Close()
	return nil
}

// nn returns b, or an empty slice for nil: gocql sends nil as null, and
// the empty key is a key.
func nn(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
