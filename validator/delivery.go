package validator

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
)

// job is one cross-chain delivery for a shard's deliverers: an update to
// send, or (resend) a chain whose pending updates must be re-derived and
// sent again.
type job struct {
	update *chain.Update
	resend ids.ChainID
}

// retrySet holds the chains of a shard with unacknowledged outboxes and
// when to try each again.
type retrySet struct {
	mu sync.Mutex
	m  map[ids.ChainID]*retryState
}

type retryState struct {
	due     time.Time
	backoff time.Duration
}

// add schedules a retry of id after wait, unless one is scheduled.
func (r *retrySet) add(id ids.ChainID, wait time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[id] == nil {
		r.m[id] = &retryState{due: time.Now().Add(wait), backoff: wait}
	}
}

// postpone moves id's next retry to at least wait from now, if one is
// scheduled: a delivery is being attempted, so retrying before it had
// time to be acknowledged would only send the same bundles twice.
func (r *retrySet) postpone(id ids.ChainID, wait time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st := r.m[id]; st != nil {
		st.due = later(st.due, time.Now().Add(wait))
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (r *retrySet) remove(id ids.ChainID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, id)
}

func (r *retrySet) has(id ids.ChainID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[id] != nil
}

func (r *retrySet) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}

// due returns the chains due at now, in id order, and schedules their
// next retry with the backoff doubled (up to maxWait).
func (r *retrySet) due(now time.Time, base, maxWait time.Duration) []ids.ChainID {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ids.ChainID
	for id, st := range r.m {
		if now.Before(st.due) {
			continue
		}
		out = append(out, id)
		st.backoff = min(max(2*st.backoff, base), maxWait)
		st.due = now.Add(st.backoff)
	}
	slices.SortFunc(out, func(a, b ids.ChainID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// enqueue hands a job to the shard's deliverers, waiting while the queue
// is full (back-pressure) until ctx is done. A job that could not be
// queued is not lost: its chain is in the pending index and retried.
func (sh *shard) enqueue(ctx context.Context, j job) {
	select {
	case sh.jobs <- j:
	case <-ctx.Done():
	}
}

// deliver runs jobs until ctx is done.
func (sh *shard) deliver(ctx context.Context) {
	for {
		select {
		case j := <-sh.jobs:
			sh.run(ctx, j)
		case <-ctx.Done():
			return
		}
	}
}

func (sh *shard) run(ctx context.Context, j job) {
	if j.update != nil {
		// The update may have waited in the queue past its retry time.
		sh.retry.postpone(j.update.Sender, sh.srv.cfg.RetryBase)
		sh.srv.sendUpdate(ctx, j.update)
		return
	}
	ups, err := sh.pendingUpdates(ctx, j.resend)
	if err != nil {
		sh.srv.log.Warn("cross-chain retry: read outboxes", "chain", j.resend.Short(), "err", err)
		return
	}
	for i := range ups {
		sh.srv.sendUpdate(ctx, &ups[i])
	}
}

// retryLoop re-sends, with capped exponential backoff, the updates of
// chains whose outboxes are not yet acknowledged, until ctx is done. Its
// first pass is at once, for the chains loadPending found.
func (sh *shard) retryLoop(ctx context.Context) {
	cfg := sh.srv.cfg
	t := time.NewTicker(max(cfg.RetryBase/4, time.Millisecond))
	defer t.Stop()
	now := time.Now()
	for {
		for _, id := range sh.retry.due(now, cfg.RetryBase, cfg.RetryMax) {
			sh.enqueue(ctx, job{resend: id})
		}
		select {
		case now = <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// loadPending schedules, at once, a retry of every chain of this shard in
// the store's pending index: deliveries interrupted by a restart resume.
func (sh *shard) loadPending(ctx context.Context) error {
	n := sh.srv.cfg.Shards
	return sh.srv.store.Scan(ctx, pendingPrefix, func(key, _ []byte) error {
		var id ids.ChainID
		if len(key) != len(pendingPrefix)+len(id) {
			return nil
		}
		copy(id[:], key[len(pendingPrefix):])
		if ShardOf(id, n) == sh.index {
			sh.retry.add(id, 0)
		}
		return nil
	})
}

// peerTimeout bounds one cross-chain call to another shard process, so
// that a peer that hangs does not hold a deliverer; the retry loop tries
// again later.
const peerTimeout = 10 * time.Second

// maxUpdateBytes bounds the bundles of one Update frame to a peer: a long
// backlog is sent in several.
const maxUpdateBytes = rpc.MaxFrameSize / 2

// sendUpdate delivers u to its recipient's shard: in-process if local,
// else over rpc to the peer (split in frames of whole blocks). A failure
// is logged and left to the retry loop. On a local delivery, the
// recipient's acknowledgements go back to the sender's shard at once.
func (s *Server) sendUpdate(ctx context.Context, u *chain.Update) {
	sh, peer := s.route(u.Recipient)
	var err error
	if sh != nil {
		var e *chain.Effects
		if e, err = sh.update(ctx, u); err == nil {
			s.settle(ctx, e)
		}
	} else {
		for _, part := range splitUpdate(u, maxUpdateBytes) {
			pctx, cancel := context.WithTimeout(ctx, peerTimeout)
			err = peer.Update(pctx, &part)
			cancel()
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		s.metrics.deliveryFails.Add(1)
		s.log.Debug("cross-chain update failed; will retry", "from", u.Sender.Short(), "to", u.Recipient.Short(), "err", err)
		return
	}
	s.metrics.deliveries.Add(1)
}

// splitUpdate splits u into updates of at most maxBytes of bundles each
// (or one block's bundles, if more), cutting only between blocks: the
// recipient acknowledges whole heights, so a block's bundles must arrive
// together.
func splitUpdate(u *chain.Update, maxBytes int) []chain.Update {
	var out []chain.Update
	start, size := 0, 0
	for i := 0; i < len(u.Bundles); {
		end, n := i, 0 // the bundles of the block at i: [i, end)
		for ; end < len(u.Bundles) && u.Bundles[end].Height == u.Bundles[i].Height; end++ {
			n += len(codec.Marshal(u.Bundles[end]))
		}
		if i > start && size+n > maxBytes {
			out = append(out, chain.Update{Sender: u.Sender, Recipient: u.Recipient, Bundles: u.Bundles[start:i]})
			start, size = i, 0
		}
		size += n
		i = end
	}
	return append(out, chain.Update{Sender: u.Sender, Recipient: u.Recipient, Bundles: u.Bundles[start:]})
}

// sendAck delivers an acknowledgement to its sender's shard. A lost
// acknowledgement costs only a repeated update: the recipient acknowledges
// again.
func (s *Server) sendAck(ctx context.Context, a *chain.Ack) {
	sh, peer := s.route(a.Sender)
	var err error
	if sh != nil {
		err = sh.ack(ctx, a)
	} else {
		pctx, cancel := context.WithTimeout(ctx, peerTimeout)
		err = peer.Ack(pctx, a)
		cancel()
	}
	if err != nil {
		s.log.Debug("cross-chain ack failed", "from", a.Recipient.Short(), "to", a.Sender.Short(), "err", err)
	}
}

// settle does what a request's effects ask after the batch is durable and
// the reply sent: queue the updates on the sender's shard, deliver the
// acknowledgements, publish the notifications.
func (s *Server) settle(ctx context.Context, e *chain.Effects) {
	if e == nil {
		return
	}
	for i := range e.Updates {
		if sh, _ := s.route(e.Updates[i].Sender); sh != nil {
			sh.enqueue(ctx, job{update: &e.Updates[i]})
		}
	}
	for i := range e.Acks {
		s.sendAck(ctx, &e.Acks[i])
	}
	for _, n := range e.Notifications {
		if n.Kind == chain.NewBlock {
			s.metrics.confirmed.Add(1)
		}
		s.hub.publish(n)
	}
}
