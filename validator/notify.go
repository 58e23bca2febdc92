package validator

import (
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
	"sync"
)

// subscriber receives notification frames. notify must not block.
type subscriber interface {
	notify(frame []byte)
}

// hub routes notifications to the subscribers of their chain.
type hub struct {
	mu       sync.Mutex
	subs     map[ids.ChainID]map[subscriber]struct{}
	upstream map[ids.ChainID]bool // chains subscribed at a remote shard
}

func newHub() *hub {
	return &hub{subs: map[ids.ChainID]map[subscriber]struct{}{}, upstream: map[ids.ChainID]bool{}}
}

// add subscribes s to chains. It returns the chains of the given ones
// that satisfy remote and were never subscribed upstream, marking them so.
func (h *hub) add(s subscriber, chains []ids.ChainID, remote func(ids.ChainID) bool) (fresh []ids.ChainID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range chains {
		set := h.subs[id]
		if set == nil {
			set = map[subscriber]struct{}{}
			h.subs[id] = set
		}
		set[s] = struct{}{}
		if !h.upstream[id] && remote(id) {
			h.upstream[id] = true
			fresh = append(fresh, id)
		}
	}
	return fresh
}

// forgetUpstream unmarks chains whose upstream subscription failed, so
// that the next subscriber tries again.
func (h *hub) forgetUpstream(chains []ids.ChainID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range chains {
		delete(h.upstream, id)
	}
}

// drop unsubscribes s from every chain.
func (h *hub) drop(s subscriber, chains []ids.ChainID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range chains {
		if set := h.subs[id]; set != nil {
			delete(set, s)
			if len(set) == 0 {
				delete(h.subs, id)
			}
		}
	}
}

// publish sends n to the subscribers of its chain.
func (h *hub) publish(n chain.Notification) {
	h.mu.Lock()
	set := h.subs[n.Chain]
	if len(set) == 0 {
		h.mu.Unlock()
		return
	}
	targets := make([]subscriber, 0, len(set))
	for s := range set {
		targets = append(targets, s)
	}
	h.mu.Unlock()
	frame := rpc.Frame{Kind: rpc.Notification, Body: codec.Marshal(n)}.Marshal()
	for _, s := range targets {
		s.notify(frame)
	}
}
