package gqlapi

import (
	"context"
	"sync"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	client "github.com/myriadchain/myriad/node-client"
)

// maxSeen bounds the notifications the hub remembers to announce once.
const maxSeen = 4096

// hub fans notifications out to subscribers, each notification once: every
// validator sends the same news, and the Service announces its own blocks
// before the validators' news of them arrives. A slow subscriber loses
// notifications rather than holding the others up.
type hub struct {
	mu   sync.Mutex
	subs map[chan chain.Notification]struct{}
	seen map[chain.Notification]bool
}

func newHub() *hub {
	return &hub{subs: map[chan chain.Notification]struct{}{}, seen: map[chain.Notification]bool{}}
}

// subscribe returns a channel of the notifications published until ctx
// ends, when it is closed.
func (h *hub) subscribe(ctx context.Context) <-chan chain.Notification {
	ch := make(chan chain.Notification, 64)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		delete(h.subs, ch)
		close(ch)
		h.mu.Unlock()
	}()
	return ch
}

// published reports whether n was published already.
func (h *hub) published(n chain.Notification) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen[n]
}

// publish passes n to every subscriber, unless it was published already.
func (h *hub) publish(n chain.Notification) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen[n] {
		return
	}
	if len(h.seen) >= maxSeen {
		clear(h.seen)
	}
	h.seen[n] = true
	for ch := range h.subs {
		select {
		case ch <- n:
		default:
		}
	}
}

// Follow keeps the tracked chains in sync: it subscribes to the
// validators' notifications about the chains tracked when it starts,
// synchronises a chain when it changes, and then passes the notification
// on to subscribers. It returns when ctx ends, or at once if no validator
// can be reached (logged).
func (s *Service) Follow(ctx context.Context) {
	chains, nodes, err := s.followed(ctx)
	if err != nil {
		s.cfg.Logger.Warn("no validators to follow", "err", err)
		return
	}
	merged := make(chan chain.Notification, 64)
	for _, n := range nodes {
		forward(ctx, n, chains, merged)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-merged:
			s.onNotification(ctx, n)
		}
	}
}

func (s *Service) followed(ctx context.Context) ([]ids.ChainID, []client.Node, error) {
	defer s.operate()()
	var chains []ids.ChainID
	for _, c := range s.cfg.Wallet.Chains() {
		chains = append(chains, c.ID)
	}
	nodes, err := s.cfg.Wallet.Nodes(ctx)
	return chains, nodes, err
}

// subscriber is a validator that pushes notifications (client.Remote).
type subscriber interface {
	Subscribe(ctx context.Context, chains []ids.ChainID) (<-chan chain.Notification, error)
}

// forward passes node n's notifications about chains to out until ctx
// ends. Nodes that cannot push notifications are skipped.
func forward(ctx context.Context, n client.Node, chains []ids.ChainID, out chan<- chain.Notification) {
	sub, ok := n.(subscriber)
	if !ok {
		return
	}
	ch, err := sub.Subscribe(ctx, chains)
	if err != nil {
		return
	}
	go func() {
		for n := range ch {
			select {
			case out <- n:
			case <-ctx.Done():
				return
			}
		}
	}()
}

// onNotification synchronises the chain a notification is about, unless
// it is old news, and publishes the notification.
func (s *Service) onNotification(ctx context.Context, n chain.Notification) {
	if s.hub.published(n) {
		return
	}
	s.syncAfter(ctx, n.Chain)
	s.hub.publish(n)
}

func (s *Service) syncAfter(ctx context.Context, id ids.ChainID) {
	defer s.operate()()
	sctx, cancel := context.WithTimeout(ctx, s.cfg.SyncTimeout)
	defer cancel()
	if _, err := s.cfg.Wallet.Sync(sctx, id); err != nil {
		s.cfg.Logger.Warn("sync after notification", "chain", id.Short(), "err", err)
	}
}
