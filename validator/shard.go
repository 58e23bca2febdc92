package validator

import (
	"context"
	"fmt"
	"sync"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/rpc"
)

// shard runs the requests of the chains it owns, one at a time per chain
// and concurrently across chains, and delivers their cross-chain updates.
type shard struct {
	index  int
	srv    *Server
	worker chain.Worker
	locks  lockTable
	jobs   chan job // cross-chain deliveries waiting
	retry  retrySet
}

func newShard(srv *Server, index int) *shard {
	return &shard{
		index:  index,
		srv:    srv,
		worker: chain.Worker{Store: srv.store, Key: srv.cfg.Key, VM: srv.cfg.VM, Executions: &chain.Executions{}},
		locks:  lockTable{m: map[ids.ChainID]*chainLock{}},
		jobs:   make(chan job, srv.cfg.QueueSize),
		retry:  retrySet{m: map[ids.ChainID]*retryState{}},
	}
}

// lockTable serialises the requests of each chain.
type lockTable struct {
	mu sync.Mutex
	m  map[ids.ChainID]*chainLock
}

type chainLock struct {
	ch   chan struct{} // holds a token while locked
	refs int           // holders and waiters
}

// lock waits until the caller holds chain id's lock, or ctx is done.
func (t *lockTable) lock(ctx context.Context, id ids.ChainID) (unlock func(), err error) {
	t.mu.Lock()
	l := t.m[id]
	if l == nil {
		l = &chainLock{ch: make(chan struct{}, 1)}
		t.m[id] = l
	}
	l.refs++
	t.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; t.release(id, l) }, nil
	case <-ctx.Done():
		t.release(id, l)
		return nil, ctx.Err()
	}
}

func (t *lockTable) release(id ids.ChainID, l *chainLock) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l.refs--; l.refs == 0 {
		delete(t.m, id)
	}
}

// pendingPrefix is the validator's index of chains with unacknowledged
// outboxes: pendingPrefix + chain id, empty value. It is written in the
// batch that fills an outbox, so retries survive restarts.
var pendingPrefix = []byte("v/pending/")

func pendingKey(id ids.ChainID) []byte { return append(append([]byte{}, pendingPrefix...), id[:]...) }

// persist makes e's batch durable, first adding the chain to the pending
// index if e sends cross-chain updates.
func (sh *shard) persist(ctx context.Context, id ids.ChainID, e *chain.Effects) error {
	if e == nil {
		return nil
	}
	if len(e.Updates) > 0 {
		e.Batch.Put(pendingKey(id), nil)
	}
	if e.Batch.Len() > 0 {
		if err := sh.srv.store.Apply(ctx, &e.Batch); err != nil {
			return fmt.Errorf("validator: persist %s: %w", id.Short(), err)
		}
	}
	if len(e.Updates) > 0 {
		sh.retry.add(id, sh.srv.cfg.RetryBase)
	}
	return nil
}

// locked runs fn holding chain id's lock.
func (sh *shard) locked(ctx context.Context, id ids.ChainID, fn func() error) error {
	unlock, err := sh.locks.lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

func (sh *shard) proposal(ctx context.Context, p *block.Proposal) (v block.Vote, e *chain.Effects, err error) {
	id := p.Block.Chain
	err = sh.locked(ctx, id, func() error {
		if v, e, err = sh.worker.HandleProposal(ctx, p, sh.srv.now()); err != nil {
			return err
		}
		return sh.persist(ctx, id, e)
	})
	return v, e, err
}

func (sh *shard) certificate(ctx context.Context, c *block.Certificate) (v *block.Vote, e *chain.Effects, err error) {
	id := c.Value.Chain()
	err = sh.locked(ctx, id, func() error {
		if v, e, err = sh.worker.HandleCertificate(ctx, c, sh.srv.now()); err != nil {
			return err
		}
		return sh.persist(ctx, id, e)
	})
	return v, e, err
}

func (sh *shard) timeout(ctx context.Context, t *rpc.TimeoutRequest) (v block.Vote, e *chain.Effects, err error) {
	err = sh.locked(ctx, t.Chain, func() error {
		if v, e, err = sh.worker.RequestTimeout(ctx, t.Chain, t.Height, sh.srv.now()); err != nil {
			return err
		}
		return sh.persist(ctx, t.Chain, e)
	})
	return v, e, err
}

func (sh *shard) info(ctx context.Context, id ids.ChainID) (in *chain.Info, err error) {
	err = sh.locked(ctx, id, func() error {
		in, err = sh.worker.Info(ctx, id, sh.srv.now())
		return err
	})
	return in, err
}

// maxCertBytes bounds the certificates of one Certificates reply, leaving
// room under rpc.MaxFrameSize for the frame and list headers.
const maxCertBytes = rpc.MaxFrameSize / 2

func (sh *shard) certificates(ctx context.Context, q *rpc.CertRange) (out []block.Certificate, err error) {
	limit := uint64(min(q.Limit, rpc.MaxCertBatch))
	err = sh.locked(ctx, q.Chain, func() error {
		s := chain.Open(ctx, sh.srv.store, q.Chain)
		size := 0
		for h := q.From; h-q.From < limit && h >= q.From; h++ {
			c, ok := s.Certificate(h)
			if !ok {
				break
			}
			if size += len(codec.Marshal(c)); size > maxCertBytes && len(out) > 0 {
				break
			}
			out = append(out, *c)
		}
		return s.Tx.Err()
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("%w: no block %d of %s", rpc.ErrNotFound, q.From, q.Chain.Short())
	}
	return out, err
}

// update delivers bundles to a recipient chain of this shard.
func (sh *shard) update(ctx context.Context, u *chain.Update) (e *chain.Effects, err error) {
	err = sh.locked(ctx, u.Recipient, func() error {
		if e, err = sh.worker.HandleUpdate(ctx, u); err != nil {
			return err
		}
		return sh.persist(ctx, u.Recipient, e)
	})
	return e, err
}

// ack records an acknowledgement for a sender chain of this shard; once
// none of its outboxes holds anything, the chain leaves the pending index,
// in the same batch.
func (sh *shard) ack(ctx context.Context, a *chain.Ack) error {
	return sh.locked(ctx, a.Sender, func() error {
		e, err := sh.worker.HandleAck(ctx, a)
		if err != nil {
			return err
		}
		// The retry set mirrors the pending index (loadPending fills it from
		// the index at start), so a chain not in it has no entry to delete.
		done := e.AllAcknowledged && sh.retry.has(a.Sender)
		if done {
			e.Batch.Delete(pendingKey(a.Sender))
		}
		if err := sh.persist(ctx, a.Sender, e); err != nil {
			return err
		}
		if done {
			sh.retry.remove(a.Sender)
		}
		return nil
	})
}

// clearIfDone removes a chain from the pending index (in the store and
// in memory) if it owes nothing. The caller holds the chain's lock.
func (sh *shard) clearIfDone(ctx context.Context, id ids.ChainID) error {
	s := chain.Open(ctx, sh.srv.store, id)
	if len(s.PendingOutboxes()) > 0 || s.Tx.Err() != nil {
		return s.Tx.Err()
	}
	var b kv.Batch
	b.Delete(pendingKey(id))
	if err := sh.srv.store.Apply(ctx, &b); err != nil {
		return err
	}
	sh.retry.remove(id)
	return nil
}

// pendingUpdates re-derives the updates chain id still owes.
func (sh *shard) pendingUpdates(ctx context.Context, id ids.ChainID) (ups []chain.Update, err error) {
	err = sh.locked(ctx, id, func() error {
		if ups, err = sh.worker.PendingUpdates(ctx, id); err != nil || len(ups) > 0 {
			return err
		}
		return sh.clearIfDone(ctx, id)
	})
	return ups, err
}
