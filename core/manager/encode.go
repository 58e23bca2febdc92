package manager

import (
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
)

// Lock tags in the encoding.
const (
	lockNone uint8 = iota
	lockFast
	lockValidated
	numLockTags
)

// Encode writes the manager's state: ownership, chain, height, round,
// timeout, proposal, lock, block vote with its block, and timeout vote.
func (m *Manager) Encode(w *codec.Writer) {
	m.own.Encode(w)
	m.chain.Encode(w)
	w.U64(m.height)
	m.round.Encode(w)
	w.U64(m.timeout)
	writeOptional(w, m.proposal)
	m.encodeLock(w)
	writeOptional(w, m.vote)
	if m.vote != nil {
		m.voted.Encode(w)
	}
	writeOptional(w, m.timeoutVote)
}

func (m *Manager) encodeLock(w *codec.Writer) {
	switch {
	case m.locked != nil:
		w.U8(lockValidated)
		m.locked.Encode(w)
	case m.fastLocked != nil:
		w.U8(lockFast)
		m.fastLocked.Encode(w)
	default:
		w.U8(lockNone)
	}
}

// Decode reads a manager's state and checks what its methods rely on:
// a valid ownership, a fast lock from the fast round, a validated lock
// certificate from another round, votes of the right kinds.
func (m *Manager) Decode(r *codec.Reader) {
	*m = Manager{}
	m.own.Decode(r)
	m.chain.Decode(r)
	m.height = r.U64()
	m.round.Decode(r)
	m.timeout = r.U64()
	m.proposal = readOptional[block.Proposal](r)
	m.decodeLock(r)
	m.vote = readOptional[block.Vote](r)
	if m.vote != nil {
		m.voted = new(block.Executed)
		m.voted.Decode(r)
		if m.vote.Kind == block.Timeout {
			r.Failf("block vote of kind timeout")
		}
	}
	m.timeoutVote = readOptional[block.Vote](r)
	if m.timeoutVote != nil && m.timeoutVote.Kind != block.Timeout {
		r.Failf("timeout vote of kind %s", m.timeoutVote.Kind)
	}
}

func (m *Manager) decodeLock(r *codec.Reader) {
	switch r.Tag(numLockTags) {
	case lockFast:
		m.fastLocked = new(block.Proposal)
		m.fastLocked.Decode(r)
		if m.fastLocked.Round.Kind != block.Fast {
			r.Failf("fast lock from %s", m.fastLocked.Round)
		}
	case lockValidated:
		m.locked = new(block.Certificate)
		m.locked.Decode(r)
		if m.locked.Value.Kind != block.Validated || m.locked.Round.Kind == block.Fast {
			r.Failf("lock is a %s certificate from %s", m.locked.Value.Kind, m.locked.Round)
		}
	}
}

func writeOptional[T any, P interface {
	*T
	codec.Encoder
}](w *codec.Writer, p P) {
	w.Bool(p != nil)
	if p != nil {
		p.Encode(w)
	}
}

func readOptional[T any, P interface {
	*T
	codec.Decoder
}](r *codec.Reader) P {
	if !r.Bool() {
		return nil
	}
	p := P(new(T))
	p.Decode(r)
	return p
}
