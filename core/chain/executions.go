package chain

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/views"
)

// Executions remembers what executing recent proposals did, keyed by the
// hash of the executed block, so that a validator handed the confirmed
// certificate of a block it executed and voted for can apply the stored
// changes instead of executing the block again.
//
// A stored execution is used only if the certificate's executed block has
// the very hash that was executed (so the same block and the same
// outcome), and every key the execution read still has the value it read:
// execution is a function of those values, so it would write the same
// changes again (blobs, read from the node's blob store, are
// content-addressed and never change). Otherwise — after a restart, an eviction, a state change
// in between, or for another block — the block is executed in full.
//
// An Executions is safe for concurrent use; it holds at most Max entries
// (the oldest are dropped first) and forgets an entry once used.
type Executions struct {
	// Max bounds the number of entries; 0 means DefaultExecutions.
	Max int

	mu    sync.Mutex
	m     map[ids.Hash]*storedExecution
	order []ids.Hash // insertion order, for eviction; may hold used hashes

	replayed, executed atomic.Uint64
}

// DefaultExecutions is the default bound of an Executions.
const DefaultExecutions = 1024

type storedExecution struct {
	reads   map[string]views.Read
	writes  []views.Write
	created []app.Blob // the blobs the block created (State.created)
	outcome block.Outcome
}

func (x *Executions) max() int {
	if x.Max <= 0 {
		return DefaultExecutions
	}
	return x.Max
}

// put remembers the execution of the block whose executed hash is h.
func (x *Executions) put(h ids.Hash, e *storedExecution) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.m == nil {
		x.m = map[ids.Hash]*storedExecution{}
	}
	if _, ok := x.m[h]; !ok {
		x.order = append(x.order, h)
	}
	x.m[h] = e
	for len(x.m) > x.max() || len(x.order) > 2*x.max() {
		delete(x.m, x.order[0])
		x.order = x.order[1:]
	}
}

// take returns and forgets the execution of the block with executed hash
// h, or nil.
func (x *Executions) take(h ids.Hash) *storedExecution {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	e := x.m[h]
	delete(x.m, h)
	return e
}

// Counts returns how many confirmed blocks were applied from a stored
// execution (replayed) and how many were executed (executed).
func (x *Executions) Counts() (replayed, executed uint64) {
	return x.replayed.Load(), x.executed.Load()
}

// remember stores what executing the block with executed hash h did on
// s: s.Tx tracked its reads since before the execution (views.Tx.Track)
// and holds the execution's writes.
func (x *Executions) remember(s *State, h ids.Hash, out *block.Outcome) {
	reads, ok := s.Tx.Tracked()
	if x == nil || !ok {
		return
	}
	x.put(h, &storedExecution{reads: reads, writes: s.Tx.Writes(), created: slices.Clone(s.created), outcome: *out})
}

// replay puts a stored execution's writes in s.Tx if its reads still hold
// there, and returns its outcome; false if the block must be executed.
func (x *Executions) replay(s *State, e *storedExecution) (*block.Outcome, bool) {
	if e == nil || s.Tx.Dirty() || !s.Tx.Unchanged(e.reads) {
		if x != nil {
			x.executed.Add(1)
		}
		return nil, false
	}
	s.Tx.Restore(e.writes)
	s.created = slices.Clone(e.created)
	x.replayed.Add(1)
	out := e.outcome
	return &out, true
}
