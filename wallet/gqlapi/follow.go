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

// following is a running Follow: the validators it listens to, and the
// chains it asked them about.
type following struct {
	ctx    context.Context
	nodes  []client.Node
	merged chan chain.Notification
	chains map[ids.ChainID]bool
}

// Follow keeps the tracked chains in sync: it subscribes to the
// validators' notifications about the admin chain (committee changes) and
// the chains tracked when it starts (and those Watch adds later), synchronises a chain when it changes, and then
// passes the notification on to subscribers. It returns when ctx ends, or
// at once if no validator can be reached (logged). Run one Follow at a
// time.
func (s *Service) Follow(ctx context.Context) {
	f, chains, err := s.startFollowing(ctx)
	if err != nil {
		s.cfg.Logger.Warn("no validators to follow", "err", err)
		return
	}
	defer s.setFollowing(nil)
	for _, n := range f.nodes {
		forward(ctx, n, chains, f.merged)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-f.merged:
			s.onNotification(ctx, n)
		}
	}
}

func (s *Service) setFollowing(f *following) {
	s.fmu.Lock()
	s.following = f
	s.fmu.Unlock()
}

// Watch adds chain id, newly tracked, to the chains a running Follow
// listens to; it asks each validator, so it may wait for their answers.
// Without a running Follow it does nothing: Follow starts with every
// tracked chain. openChain watches the chains it opens.
func (s *Service) Watch(id ids.ChainID) {
	s.fmu.Lock()
	f := s.following
	if f == nil || f.chains[id] {
		s.fmu.Unlock()
		return
	}
	f.chains[id] = true
	s.fmu.Unlock()
	for _, n := range f.nodes {
		forward(f.ctx, n, []ids.ChainID{id}, f.merged)
	}
}

// startFollowing records a running Follow of the tracked chains, which it
// returns. It holds the wallet meanwhile, so that a chain tracked later is
// watched (openChain calls Watch after tracking).
func (s *Service) startFollowing(ctx context.Context) (*following, []ids.ChainID, error) {
	defer s.operate()()
	nodes, err := s.cfg.Wallet.Nodes(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := &following{ctx: ctx, nodes: nodes, merged: make(chan chain.Notification, 64), chains: map[ids.ChainID]bool{}}
	// The admin chain too: its blocks change the committee, and the
	// wallet verifies certificates against the committees it knows.
	admin := s.cfg.Wallet.Genesis().Admin()
	chains := []ids.ChainID{admin}
	f.chains[admin] = true
	for _, c := range s.cfg.Wallet.Chains() {
		if !f.chains[c.ID] {
			chains = append(chains, c.ID)
			f.chains[c.ID] = true
		}
	}
	s.setFollowing(f)
	return f, chains, nil
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
