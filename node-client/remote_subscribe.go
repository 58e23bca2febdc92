package client

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
)

// subscription is one Subscribe call's chains and channel.
type subscription struct {
	chains map[ids.ChainID]bool
	ch     chan chain.Notification
}

// Subscribe asks the validator to push notifications about chains and
// returns a channel that receives them until ctx is done or r is closed,
// when it is closed. The subscription survives reconnection: it is renewed
// on every new connection (notifications sent while disconnected are
// missed; a subscriber re-reads ChainInfo after a gap).
//
// Notifications are hints, not state: if the channel is full the
// notification is dropped (and counted by Dropped) rather than stall the
// connection's replies.
func (r *Remote) Subscribe(ctx context.Context, chains []ids.ChainID) (<-chan chain.Notification, error) {
	sub := &subscription{chains: map[ids.ChainID]bool{}, ch: make(chan chain.Notification, r.opts.NotificationBuffer)}
	for _, id := range chains {
		sub.chains[id] = true
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	r.subs[sub] = struct{}{}
	r.mu.Unlock()
	if err := r.Call(ctx, rpc.Subscribe, rpc.ChainList{IDs: chains}, &rpc.Empty{}); err != nil {
		r.unsubscribe(sub)
		return nil, err
	}
	go func() {
		select {
		case <-ctx.Done():
		case <-r.ctx.Done():
		}
		r.unsubscribe(sub)
	}()
	return sub.ch, nil
}

func (r *Remote) unsubscribe(sub *subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.subs[sub]; ok {
		delete(r.subs, sub)
		close(sub.ch)
	}
}

// notify hands a notification frame to the subscriptions of its chain.
func (r *Remote) notify(f rpc.Frame) {
	var n chain.Notification
	if codec.Unmarshal(f.Body, &n) != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for sub := range r.subs {
		if !sub.chains[n.Chain] {
			continue
		}
		select {
		case sub.ch <- n:
		default:
			r.dropped.Add(1)
		}
	}
}

// subscribedLocked returns every chain some subscription wants, in order.
func (r *Remote) subscribedLocked() []ids.ChainID {
	set := map[ids.ChainID]bool{}
	var out []ids.ChainID
	for sub := range r.subs {
		for id := range sub.chains {
			if !set[id] {
				set[id] = true
				out = append(out, id)
			}
		}
	}
	sortChains(out)
	return out
}

// resubscribe renews the subscriptions on a new connection. If that
// fails, the connection is dropped so that keepSubscribed tries again.
func (r *Remote) resubscribe(s *session, chains []ids.ChainID) {
	for len(chains) > 0 {
		n := min(len(chains), rpc.MaxSubscriptions)
		f := rpc.NewRequest(rpc.Subscribe, r.nextID.Add(1), rpc.ChainList{IDs: chains[:n]})
		chains = chains[n:]
		reply, _, err := s.roundTrip(s.ctx, f)
		if err == nil {
			err = rpc.DecodeReply(reply, &rpc.Empty{})
		}
		if err != nil {
			s.fail(err)
			r.lost(s)
			return
		}
	}
}

// keepSubscribed reconnects, with backoff, while subscriptions are open
// and there is no connection.
func (r *Remote) keepSubscribed() {
	for {
		r.mu.Lock()
		if r.closed || len(r.subs) == 0 || r.sess != nil {
			r.keeping = false
			r.mu.Unlock()
			return
		}
		wait := time.Until(r.retryAt)
		r.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-r.ctx.Done():
				t.Stop()
			}
		}
		r.session(r.ctx) //nolint:errcheck // failures set the backoff; the loop tries again
	}
}

func sortChains(xs []ids.ChainID) {
	slices.SortFunc(xs, func(a, b ids.ChainID) int { return bytes.Compare(a[:], b[:]) })
}
