package cqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gocql/gocql"
	"github.com/myriadchain/myriad/core/kv"
)

// Apply implements kv.Store. A batch within one partition is one unlogged
// CQL batch: atomic and isolated. A small batch over several partitions is
// a logged batch, and a large one goes through the journal; either is
// whole after a crash (Cassandra's batch log, or the journal replayed by
// New). An Apply that fails after its journal entry was committed is
// finished by the next Apply of this Store, or by New.
func (s *Store) Apply(ctx context.Context, b *kv.Batch) error {
	if err := b.Check(); err != nil {
		return err
	}
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.calls.Done()
	if err := s.finishUnfinished(ctx); err != nil {
		return err
	}
	p, err := newPlan(b, nextTimestamp(), s.cfg.ChunkSize, func(prefix []byte) ([][]byte, error) {
		return s.chainParts(ctx, prefix)
	})
	if err != nil {
		return fmt.Errorf("cqlstore: apply: %w", err)
	}
	if len(p.stmts) == 0 {
		return nil
	}
	if err := s.register(ctx, p); err != nil {
		return err
	}
	parts, size := p.parts(), p.size()
	switch {
	case parts == 1 && size <= s.cfg.MaxBatchBytes && len(p.stmts) <= maxStatements:
		s.iso.RLock()
		defer s.iso.RUnlock()
		return s.execBatch(ctx, "apply", gocql.UnloggedBatch, p.ts, p.stmts)
	case size <= s.cfg.MaxLoggedBytes && len(p.stmts) <= maxStatements:
		s.iso.Lock()
		defer s.iso.Unlock()
		return s.execBatch(ctx, "apply", gocql.LoggedBatch, p.ts, p.stmts)
	default:
		s.iso.Lock()
		defer s.iso.Unlock()
		return s.applyJournaled(ctx, p)
	}
}

// clock hands out write timestamps: microseconds, increasing within the
// process, two per batch (deletes at ts, puts at ts+1).
var clock struct {
	sync.Mutex
	last int64
}

func nextTimestamp() int64 {
	clock.Lock()
	defer clock.Unlock()
	ts := max(time.Now().UnixMicro(), clock.last+1)
	clock.last = ts + 1
	return ts
}

// cql returns the statement and arguments of st at timestamp ts.
func (s *Store) cql(st *stmt, ts int64) (string, []any) {
	switch st.kind {
	case stmtPut:
		return "INSERT INTO " + s.table + " (p, k, c, n, v) VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ?",
			[]any{st.part, nn(st.key), st.chunk, st.chunks, nn(st.value), ts + 1}
	case stmtDelete:
		return "DELETE FROM " + s.table + " USING TIMESTAMP ? WHERE p = ? AND k = ?", []any{ts, st.part, nn(st.key)}
	case stmtDeleteFrom:
		if st.end {
			return "DELETE FROM " + s.table + " USING TIMESTAMP ? WHERE p = ? AND k >= ? AND k < ?",
				[]any{ts, st.part, nn(st.key), st.value}
		}
		return "DELETE FROM " + s.table + " USING TIMESTAMP ? WHERE p = ? AND k >= ?", []any{ts, st.part, nn(st.key)}
	default: // stmtDeletePart; decodePlan refuses other kinds
		return "DELETE FROM " + s.table + " USING TIMESTAMP ? WHERE p = ?", []any{ts, st.part}
	}
}

// execBatch writes stmts in one CQL batch of type typ (one statement: a
// plain query), retrying transient failures.
func (s *Store) execBatch(ctx context.Context, what string, typ gocql.BatchType, ts int64, stmts []stmt) error {
	if len(stmts) == 1 {
		q, args := s.cql(&stmts[0], ts)
		return s.exec(ctx, what, q, args...)
	}
	return s.retry(ctx, what, func() error {
		b := s.sess.NewBatch(typ).WithContext(ctx)
		b.SetConsistency(s.cfg.Consistency)
		for i := range stmts {
			q, args := s.cql(&stmts[i], ts)
			b.Query(q, args...)
		}
		return s.sess.ExecuteBatch(b)
	})
}

// applyParts writes the plan as single-partition unlogged batches within
// the size limits, in the plan's order. Not atomic: the journal makes it so.
func (s *Store) applyParts(ctx context.Context, p *plan) error {
	byPart := map[string][]stmt{}
	var order []string
	for _, st := range p.stmts {
		k := string(st.part)
		if _, ok := byPart[k]; !ok {
			order = append(order, k)
		}
		byPart[k] = append(byPart[k], st)
	}
	for _, k := range order {
		stmts := byPart[k]
		for len(stmts) > 0 {
			n, size := 0, 0
			for n < len(stmts) && n < maxStatements && (n == 0 || size+stmts[n].size() <= s.cfg.MaxBatchBytes) {
				size += stmts[n].size()
				n++
			}
			if err := s.execBatch(ctx, "apply journaled batch", gocql.UnloggedBatch, p.ts, stmts[:n]); err != nil {
				return err
			}
			stmts = stmts[n:]
			if err := hook("journal part"); err != nil {
				return err
			}
		}
	}
	return nil
}
