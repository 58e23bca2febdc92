package chain

import (
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/views"
)

// keyOutboxCount holds the number of recipients with a non-empty outbox
// (the entries under prefixOuts), so that telling whether a chain owes
// anything takes one read, not a scan. Chains created before it existed
// have none: their first acknowledgement counts the outboxes once.
var keyOutboxCount = []byte("n")

func (s *State) outboxCount() views.Register[height, *height] {
	return views.Register[height, *height]{Tx: s.Tx, Key: keyOutboxCount}
}

// addOutbox records that the outbox to r holds a block.
func (s *State) addOutbox(r ids.ChainID) {
	outs := s.outboxes()
	if _, ok := outs.Get(r); ok {
		return
	}
	outs.Set(r, flag{})
	if n, ok := s.outboxCount().Lookup(); ok {
		s.outboxCount().Set(height{n.v + 1})
	}
}

// removeOutbox records that the outbox to r is empty.
func (s *State) removeOutbox(r ids.ChainID) {
	outs := s.outboxes()
	if _, ok := outs.Get(r); !ok {
		return
	}
	outs.Remove(r)
	if n, ok := s.outboxCount().Lookup(); ok && n.v > 0 {
		s.outboxCount().Set(height{n.v - 1})
	}
}

// OwesNothing reports whether every outbox of the chain is empty: from the
// count, or, for a chain without one, by looking at the outboxes (and then
// recording the count).
func (s *State) OwesNothing() bool {
	if n, ok := s.outboxCount().Lookup(); ok {
		return n.v == 0
	}
	n := uint64(len(s.PendingOutboxes()))
	s.outboxCount().Set(height{n})
	return n == 0
}
