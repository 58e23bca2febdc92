package chain

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
)

// ErrOutcomeMismatch means re-executing a certified block gave another
// outcome than the one certified: this node's state has diverged.
var ErrOutcomeMismatch = errors.New("chain: executing the certified block gave a different outcome")

// ApplyConfirmed executes a confirmed block at the chain's next height,
// checks its outcome against the certified one, and records it: the
// certificate, the new tip, the outbox entries and a fresh consensus
// manager for the next height (timed from now). The changes stay in the Tx
// for Commit. It returns the recipients the block sends messages to.
func (s *State) ApplyConfirmed(cert *block.Certificate, now uint64) ([]ids.ChainID, error) {
	return s.applyConfirmed(cert, now, nil)
}

// applyConfirmed is ApplyConfirmed, taking the block's changes from x if
// x holds an execution of it that still applies (see Executions).
func (s *State) applyConfirmed(cert *block.Certificate, now uint64, x *Executions) ([]ids.ChainID, error) {
	exec := cert.Value.Block
	hash := exec.Hash()
	out, ok := x.replay(s, x.take(hash))
	if !ok {
		var err error
		if out, err = s.Execute(&exec.Block, ExecOptions{}); err != nil {
			return nil, fmt.Errorf("execute confirmed block %d: %w", exec.Block.Height, err)
		}
	}
	// A replayed outcome passes by construction (it is stored under the
	// hash of what was executed); the check stays for both paths.
	if got := (block.Executed{Block: exec.Block, Outcome: *out}); got.Hash() != hash {
		return nil, fmt.Errorf("%w: block %d of %s: state hash %s, certified %s", ErrOutcomeMismatch,
			exec.Block.Height, s.ID.Short(), out.StateHash.Short(), exec.Outcome.StateHash.Short())
	}
	h := exec.Block.Height
	s.Tx.Put(certKey(h), codec.Marshal(cert))
	s.setTip(Tip{NextHeight: h + 1, Hash: hash, Timestamp: exec.Block.Timestamp, StateHash: out.StateHash})
	recipients := exec.Recipients()
	for _, r := range recipients {
		s.outbox(r).PushBack(height{h})
		s.addOutbox(r)
	}
	s.SetManager(manager.New(s.System.Ownership(), s.ID, h+1, now))
	return recipients, s.Tx.Err()
}

// Commit adds the Tx's pending changes to b and folds them into the Tx's
// view of committed state. If b is not then applied, the State must be
// discarded.
func (s *State) Commit(b *kv.Batch) error {
	if err := s.Tx.Err(); err != nil {
		return err
	}
	changes := s.Tx.Changes()
	if err := s.Tx.Err(); err != nil {
		return err
	}
	s.Tx.WriteTo(b, changes)
	return nil
}
