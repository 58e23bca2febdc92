package cqlstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"
)

// staleJournal is the age after which an uncommitted journal entry is
// taken for the leftover of a crashed Apply and deleted. A younger one may
// belong to an Apply still writing it, in another process.
const staleJournal = time.Hour

// commitRow is the chunk number of a journal entry's commit row, which
// holds the number of data chunks and is written after all of them.
const commitRow = -1

// crashHook, when set by a test, is called at each step of a journaled
// Apply; an error it returns stops the Apply there, as a crash would.
var crashHook func(step string) error

func hook(step string) error {
	if crashHook == nil {
		return nil
	}
	return crashHook(step)
}

// applyJournaled writes p to the journal, commits it, applies it and
// deletes the entry. If it fails after the commit, the entry stays for the
// next Apply or New to finish.
func (s *Store) applyJournaled(ctx context.Context, p *plan) error {
	id := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixMicro()))
	id = append(id, rand.Text()[:8]...)
	data := p.encode()
	chunks := 0
	for off := 0; off < len(data) || chunks == 0; off += s.cfg.ChunkSize {
		chunk := data[off:min(off+s.cfg.ChunkSize, len(data))]
		if err := s.exec(ctx, "write journal", "INSERT INTO "+s.table+" (p, k, c, v) VALUES (?, ?, ?, ?)",
			journalPart,
			id, chunks, chunk); err != nil {
			return err
		}
		chunks++
		if err := hook("journal chunk"); err != nil {
			return err
		}
	}
	if err := s.exec(ctx, "commit journal", "INSERT INTO "+s.table+" (p, k, c, n) VALUES (?, ?, ?, ?)",
		journalPart,
		id, commitRow, chunks); err != nil {
		return err // the batch is not applied, but may be by a replay if the commit did land
	}
	if err := hook("journal commit"); err != nil {
		return err
	}
	if err := s.finish(ctx, id, p); err != nil {
		s.mu.Lock()
		s.unfinished = append(s.unfinished, id)
		s.mu.Unlock()
		return err
	}
	return nil
}

// finish applies the committed journal entry id, holding plan p, and
// deletes it.
func (s *Store) finish(ctx context.Context, id []byte, p *plan) error {
	if err := s.applyParts(ctx, p); err != nil {
		return err
	}
	if err := hook("journal applied"); err != nil {
		return err
	}
	return s.exec(ctx, "delete journal", "DELETE FROM "+s.table+" WHERE p = ? AND k = ?", journalPart, id)
}

// finishUnfinished finishes the journal entries of failed Applies.
func (s *Store) finishUnfinished(ctx context.Context) error {
	s.mu.Lock()
	ids := s.unfinished
	s.unfinished = nil
	s.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	s.iso.Lock()
	defer s.iso.Unlock()
	for i, id := range ids {
		if err := s.replay(ctx, id); err != nil {
			s.mu.Lock()
			s.unfinished = append(s.unfinished, ids[i:]...)
			s.mu.Unlock()
			return fmt.Errorf("cqlstore: finish an earlier batch: %w", err)
		}
	}
	return nil
}

// replayJournal finishes every committed journal entry and deletes stale
// uncommitted ones.
func (s *Store) replayJournal(ctx context.Context) error {
	var ids [][]byte
	err := s.retry(ctx, "list journal", func() error {
		ids = ids[:0]
		iter := s.sess.Query("SELECT k FROM "+s.table+" WHERE p = ?", journalPart).WithContext(ctx).Iter()
		var id []byte
		for iter.Scan(&id) {
			if len(ids) == 0 || !bytes.Equal(ids[len(ids)-1], id) {
				ids = append(ids, bytes.Clone(id))
			}
		}
		return iter.Close()
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.replay(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// replay finishes the journal entry id if it is committed, deletes it if
// it is stale, and leaves it otherwise.
func (s *Store) replay(ctx context.Context, id []byte) error {
	var data []byte
	committed, want, got := false, 0, 0
	err := s.retry(ctx, "read journal", func() error {
		data, committed, want, got = data[:0], false, 0, 0
		iter := s.sess.Query("SELECT c, n, v FROM "+s.table+" WHERE p = ? AND k = ?", journalPart, id).WithContext(ctx).PageSize(0).Iter()
		var c, count int32
		var v []byte
		for iter.Scan(&c, &count, &v) {
			switch {
			case c == commitRow:
				committed, want = true, int(count)
			case c == int32(got):
				data = append(data, v...)
				got++
			}
		}
		return iter.Close()
	})
	if err != nil {
		return err
	}
	if !committed {
		if len(id) >= 8 && time.Since(time.UnixMicro(int64(binary.BigEndian.Uint64(id)))) > staleJournal {
			return s.exec(ctx, "delete journal", "DELETE FROM "+s.table+" WHERE p = ? AND k = ?", journalPart, id)
		}
		return nil
	}
	if got != want {
		return fmt.Errorf("cqlstore: journal entry %x: %d chunks of %d: %w", id, got, want, errBadJournal)
	}
	p, err := decodePlan(data)
	if err != nil {
		return fmt.Errorf("cqlstore: journal entry %x: %w", id, err)
	}
	s.cfg.Logger.Info("cqlstore: replaying journal entry", "id", fmt.Sprintf("%x", id), "statements", len(p.stmts))
	return s.finish(ctx, id, p)
}
