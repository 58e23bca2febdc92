package manager

import (
	"encoding/binary"
	"errors"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// Errors returned (wrapped, with detail) by CheckProposal and
// CheckValidated. Callers branch with errors.Is.
var (
	ErrWrongChain  = errors.New("manager: value is for another chain")
	ErrWrongHeight = errors.New("manager: value is for another height")
	// ErrWrongRound: the round is below the current round, is a later
	// round that cannot be entered by a proposal, or does not exist on
	// this chain.
	ErrWrongRound = errors.New("manager: wrong round")
	// ErrNotAllowed: the signer may not propose in the round.
	ErrNotAllowed = errors.New("manager: signer may not propose in this round")
	// ErrConflictingProposal: this validator already voted for another
	// block in the round, and never votes for two blocks in one round.
	ErrConflictingProposal = errors.New("manager: already voted for another block in this round")
	// ErrMustReproposeLocked: the validator is locked on a block and the
	// proposal is for another block without a validated certificate from
	// the lock's round or later.
	ErrMustReproposeLocked = errors.New("manager: locked on another block")
	// ErrBadCertificate: a certificate is of the wrong kind or round, or
	// a proposal's Locked certificate is not for the proposed block.
	ErrBadCertificate = errors.New("manager: certificate does not fit")
)

// Outcome says what to do with a proposal or certificate that passed the
// checks.
type Outcome uint8

// Outcomes.
const (
	// Accept: go on and vote (CreateVote, CreateFinalVote).
	Accept Outcome = iota
	// Skip: this validator already voted for exactly this in this round;
	// re-send the stored vote (PendingVote) instead of signing again.
	Skip
)

// String returns "accept" or "skip".
func (o Outcome) String() string {
	if o == Skip {
		return "skip"
	}
	return "accept"
}

// Manager is the consensus state of one chain at its next block height,
// as one validator keeps it. It is stored (Encode/Decode) and must be
// persisted after every change and before any vote it returns is sent.
// It keeps references to the ownership, proposals, certificates and blocks
// it is given, which must not be modified afterwards. It is not safe for
// concurrent use.
type Manager struct {
	own     Ownership
	chain   ids.ChainID
	height  uint64
	round   block.Round
	timeout uint64 // absolute, in microseconds; 0 = never

	// proposal is the proposal voted for in the current round.
	proposal *block.Proposal
	// At most one of locked and fastLocked is set: the highest-round
	// validated certificate seen, or the fast-round proposal voted for.
	locked     *block.Certificate
	fastLocked *block.Proposal
	// vote is the latest validated or confirmed vote signed at this
	// height, and voted the executed block it signs.
	vote  *block.Vote
	voted *block.Executed
	// timeoutVote is the latest timeout vote signed at this height.
	timeoutVote *block.Vote
}

// New returns the state of chain at height, in the ownership's first
// round, whose timeout (if it has one) starts at now. Call it at chain
// creation and after each confirmed block. own should be valid (Validate).
func New(own Ownership, chain ids.ChainID, height uint64, now uint64) *Manager {
	m := &Manager{own: own, chain: chain, height: height}
	m.enterRound(own.FirstRound(), now)
	return m
}

// enterRound makes r the current round, forgets the previous round's
// proposal and starts r's timeout at now.
func (m *Manager) enterRound(r block.Round, now uint64) {
	m.round = r
	if m.proposal != nil && m.proposal.Round.Less(r) {
		m.proposal = nil
	}
	m.timeout = 0
	if d, ok := m.own.RoundDuration(r); ok {
		m.timeout = max(saturatingAdd(now, d), 1)
	}
}

// Ownership returns the chain's ownership. Its slices are shared: do not
// modify them.
func (m *Manager) Ownership() Ownership { return m.own }

// Chain returns the chain's id.
func (m *Manager) Chain() ids.ChainID { return m.chain }

// Height returns the height whose block is being agreed on.
func (m *Manager) Height() uint64 { return m.height }

// CurrentRound returns the lowest round this validator may still vote in.
func (m *Manager) CurrentRound() block.Round { return m.round }

// RoundTimeout returns the time (microseconds) from which this validator
// signs a timeout for the current round, or 0 if the round never times
// out.
func (m *Manager) RoundTimeout() uint64 { return m.timeout }

// Proposal returns the proposal voted for in the current round, or nil.
func (m *Manager) Proposal() *block.Proposal { return m.proposal }

// Locked returns the highest-round validated certificate seen at this
// height, or nil. A proposal for another block must carry a validated
// certificate from its round or later.
func (m *Manager) Locked() *block.Certificate { return m.locked }

// FastLocked returns the fast-round proposal this validator voted to
// confirm, or nil; it locks like a certificate from the fast round until
// a validated certificate replaces it.
func (m *Manager) FastLocked() *block.Proposal { return m.fastLocked }

// PendingVote returns the latest validated or confirmed vote signed at
// this height and the value it signs; ok is false if there is none.
func (m *Manager) PendingVote() (vote block.Vote, value block.Value, ok bool) {
	if m.vote == nil {
		return block.Vote{}, block.Value{}, false
	}
	return *m.vote, block.Value{Kind: m.vote.Kind, Block: m.voted}, true
}

// TimeoutVoteFor returns the timeout vote signed for round r, if any.
func (m *Manager) TimeoutVoteFor(r block.Round) (block.Vote, bool) {
	if m.timeoutVote == nil || m.timeoutVote.Round != r {
		return block.Vote{}, false
	}
	return *m.timeoutVote, true
}

// Leader returns the owner who leads single-leader round r at this chain
// and height. Owners lead in proportion to their weight: the leader is the
// owner whose cumulative weight range holds SHA-256 of (chain, height,
// round number), read as a big-endian integer, modulo the total weight.
// Fast and multi-leader rounds have no leader (any allowed owner may
// propose), nor do validator rounds (validators take turns; not yet
// implemented).
func (m *Manager) Leader(r block.Round) (ids.Owner, bool) {
	total := m.own.TotalWeight()
	if r.Kind != block.SingleLeader || total == 0 {
		return ids.Owner{}, false
	}
	w := codec.NewWriter(ids.HashSize + 12)
	m.chain.Encode(w)
	w.U64(m.height)
	w.U32(r.Number)
	h := ids.Sum("round-leader", w.Data())
	pick := binary.BigEndian.Uint64(h[:8]) % total
	for _, ow := range m.own.Owners {
		if pick < ow.Weight {
			return ow.Owner, true
		}
		pick -= ow.Weight
	}
	panic("manager: leader pick out of range")
}

// CanPropose reports whether owner may propose in round r. Super owners
// may propose in every round but validator rounds. Otherwise: in the fast
// round nobody else; in multi-leader rounds the owners, or anyone if
// OpenMultiLeaderRounds; in single-leader rounds only the round's leader;
// in validator rounds no owner (validators propose there, which is not yet
// implemented).
func (m *Manager) CanPropose(owner ids.Owner, r block.Round) bool {
	if r.Kind == block.ValidatorRound {
		return false
	}
	if m.own.IsSuperOwner(owner) {
		return true
	}
	switch r.Kind {
	case block.MultiLeader:
		return m.own.OpenMultiLeaderRounds || m.own.IsOwner(owner)
	case block.SingleLeader:
		leader, ok := m.Leader(r)
		return ok && leader == owner
	}
	return false
}

// HandleTimeout moves to the round after a timeout certificate's round.
// cert must already be verified against the committee by the caller. It
// does nothing and returns false unless cert is a timeout for this chain
// and height in the current round or later. Otherwise the current round
// becomes NextRound(cert.Round), whose timeout starts at now; the previous
// round's proposal is forgotten, the lock kept. It returns true if the
// state changed; the caller then persists it.
func (m *Manager) HandleTimeout(cert *block.Certificate, now uint64) bool {
	v := cert.Value
	if v.Kind != block.Timeout || v.Timeout.Chain != m.chain || v.Timeout.Height != m.height {
		return false
	}
	if cert.Round.Less(m.round) {
		return false
	}
	next := m.own.NextRound(cert.Round)
	if !m.round.Less(next) {
		return false
	}
	m.enterRound(next, now)
	return true
}

// VoteTimeout signs a timeout vote for the current round once now has
// reached the round's timeout. It returns false if the round never times
// out or has not timed out yet. It signs once per round: asked again, it
// returns the stored vote (even if epoch differs). As with every vote,
// the caller persists the manager before sending it.
func (m *Manager) VoteTimeout(epoch uint32, now uint64, key *keys.PrivateKey) (block.Vote, bool) {
	if m.timeout == 0 || now < m.timeout {
		return block.Vote{}, false
	}
	if v, ok := m.TimeoutVoteFor(m.round); ok {
		return v, true
	}
	value := block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: m.chain, Height: m.height, Epoch: epoch}}
	v := block.NewVote(value, m.round, key)
	m.timeoutVote = &v
	return v, true
}
