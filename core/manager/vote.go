package manager

import (
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// VerifyLocked verifies the validated certificate a proposal carries in
// Locked, if any, against the committee. The manager trusts certificates
// it is given, so the caller runs this (besides p.Verify) before
// CreateVote: CreateVote may make p.Locked the lock.
func VerifyLocked(p *block.Proposal, com *committee.Committee) error {
	if p.Locked == nil {
		return nil
	}
	if err := p.Locked.Verify(com); err != nil {
		return fmt.Errorf("verify locked certificate: %w", err)
	}
	return nil
}

// CheckProposal decides whether this validator may vote for p, whose
// proposer is the owner of p.PublicKey. The caller has checked p's
// signature (p.Verify) and will verify p.Locked (VerifyLocked). It returns
// Skip if the validator already voted for this block in p's round:
// re-send PendingVote (by then possibly a confirmed vote). Errors wrap ErrWrongChain, ErrWrongHeight, ErrWrongRound (p.Round
// is below the current round, does not exist on this chain, or is a later
// round that is not a multi-leader round; only a super owner may leave
// the fast round early), ErrNotAllowed (see CanPropose), ErrBadCertificate
// (p.Locked is not a validated certificate for p.Block from an earlier
// round), ErrConflictingProposal (already voted in p.Round) or
// ErrMustReproposeLocked.
func (m *Manager) CheckProposal(p *block.Proposal) (Outcome, error) {
	if err := m.checkTarget(p.Block.Chain, p.Block.Height); err != nil {
		return Accept, err
	}
	if m.votedFor(p) {
		return Skip, nil
	}
	proposer := p.PublicKey.Owner()
	if err := m.checkProposalRound(p.Round, proposer); err != nil {
		return Accept, err
	}
	if !m.CanPropose(proposer, p.Round) {
		return Accept, fmt.Errorf("%w: %s in %s", ErrNotAllowed, proposer.Short(), p.Round)
	}
	if m.vote != nil && !m.vote.Round.Less(p.Round) {
		return Accept, fmt.Errorf("%w: %s voted in %s", ErrConflictingProposal, m.vote.Kind, m.vote.Round)
	}
	if err := checkLockedCert(p); err != nil {
		return Accept, err
	}
	return Accept, m.checkLock(p)
}

func (m *Manager) checkTarget(chain ids.ChainID, height uint64) error {
	if chain != m.chain {
		return fmt.Errorf("%w: %s, want %s", ErrWrongChain, chain.Short(), m.chain.Short())
	}
	if height != m.height {
		return fmt.Errorf("%w: %d, want %d", ErrWrongHeight, height, m.height)
	}
	return nil
}

// votedFor reports whether p is the proposal voted for in its round.
func (m *Manager) votedFor(p *block.Proposal) bool {
	return m.proposal != nil && m.proposal.Round == p.Round && m.proposal.Block.Hash() == p.Block.Hash()
}

// checkProposalRound checks that a proposal by signer may be made in r: a
// round of this chain, not before the current round, and not after it
// unless it is a multi-leader round (owners in cooperative mode may move
// on by proposing in a later round; other rounds are entered by timeout
// certificates only).
func (m *Manager) checkProposalRound(r block.Round, signer ids.Owner) error {
	switch {
	case !m.own.HasRound(r):
		return fmt.Errorf("%w: chain has no round %s", ErrWrongRound, r)
	case r.Less(m.round):
		return fmt.Errorf("%w: %s is before the current round %s", ErrWrongRound, r, m.round)
	case !m.round.Less(r):
		return nil
	case r.Kind != block.MultiLeader:
		return fmt.Errorf("%w: %s is after the current round %s", ErrWrongRound, r, m.round)
	case m.round.Kind == block.Fast && !m.own.IsSuperOwner(signer):
		return fmt.Errorf("%w: only a super owner may end the fast round early", ErrWrongRound)
	}
	return nil
}

// checkLockedCert checks that p.Locked, if set, is a validated certificate
// for exactly p.Block from a round before p.Round.
func checkLockedCert(p *block.Proposal) error {
	c := p.Locked
	switch {
	case c == nil:
		return nil
	case c.Value.Kind != block.Validated || c.Value.Block == nil:
		return fmt.Errorf("%w: locked certificate is %s, want validated", ErrBadCertificate, c.Value.Kind)
	case c.Value.Block.Block.Hash() != p.Block.Hash():
		return fmt.Errorf("%w: locked certificate is for another block", ErrBadCertificate)
	case c.Round.Kind == block.Fast || !c.Round.Less(p.Round):
		return fmt.Errorf("%w: locked certificate from %s for a proposal in %s", ErrBadCertificate, c.Round, p.Round)
	}
	return nil
}

// lock returns the round of the lock and the hash of the locked proposed
// block, if there is a lock.
func (m *Manager) lock() (block.Round, ids.Hash, bool) {
	switch {
	case m.locked != nil:
		return m.locked.Round, m.locked.Value.Block.Block.Hash(), true
	case m.fastLocked != nil:
		return m.fastLocked.Round, m.fastLocked.Block.Hash(), true
	}
	return block.Round{}, ids.Hash{}, false
}

// checkLock checks that p re-proposes the locked block, or carries a
// validated certificate from the lock's round or later.
func (m *Manager) checkLock(p *block.Proposal) error {
	round, hash, ok := m.lock()
	if !ok || hash == p.Block.Hash() || p.Locked != nil && !p.Locked.Round.Less(round) {
		return nil
	}
	return fmt.Errorf("%w: block %s since %s", ErrMustReproposeLocked, hash.Short(), round)
}

// CreateVote records p and signs this validator's vote for it: in the
// fast round a confirmed vote (and p becomes the lock), in other rounds a
// validated vote. exec is p.Block as this validator executed it. A later
// multi-leader round becomes the current round, its timeout starting at
// now; a verified p.Locked from a round after the lock becomes the lock.
//
// THE CALLER MUST PERSIST THE MANAGER BEFORE SENDING THE VOTE. A validator
// that sends a vote and then crashes without the vote on disk could, after
// restarting, vote for a different block in the same round: the one thing
// that can break consensus with an honest quorum.
//
// CreateVote panics unless CheckProposal(p) returns Accept and exec is
// the execution of p.Block: calling it otherwise is a bug in the caller.
func (m *Manager) CreateVote(p *block.Proposal, exec *block.Executed, key *keys.PrivateKey, now uint64) block.Vote {
	if o, err := m.CheckProposal(p); err != nil || o != Accept {
		panic(fmt.Sprintf("manager: CreateVote without an accepted proposal: %v %v", o, err))
	}
	if exec.Block.Hash() != p.Block.Hash() {
		panic("manager: CreateVote with the execution of another block")
	}
	m.lockFromProposal(p)
	if m.round.Less(p.Round) {
		m.enterRound(p.Round, now)
	}
	cp := *p
	m.proposal = &cp
	if p.Round.Kind != block.Fast {
		return m.sign(block.Validated, exec, p.Round, key)
	}
	if m.locked == nil && m.fastLocked == nil {
		m.fastLocked = &cp
	}
	return m.sign(block.Confirmed, exec, p.Round, key)
}

// lockFromProposal makes p.Locked the lock if it is from a later round.
func (m *Manager) lockFromProposal(p *block.Proposal) {
	if p.Locked == nil {
		return
	}
	if round, _, ok := m.lock(); !ok || round.Less(p.Locked.Round) {
		m.locked, m.fastLocked = p.Locked, nil
	}
}

func (m *Manager) sign(kind block.Kind, exec *block.Executed, r block.Round, key *keys.PrivateKey) block.Vote {
	v := block.NewVote(block.Value{Kind: kind, Block: exec}, r, key)
	m.vote, m.voted = &v, exec
	return v
}

// CheckValidated decides whether this validator may vote to confirm the
// block of a validated certificate, already verified against the
// committee by the caller. It returns Skip if it already voted to confirm
// this block in this round: re-send PendingVote. Errors wrap
// ErrBadCertificate (not a validated certificate, or from the fast round),
// ErrWrongChain, ErrWrongHeight, ErrWrongRound (before the current round
// or before a round already voted in) or ErrConflictingProposal (already
// voted to confirm, or locked on, another block in this round).
func (m *Manager) CheckValidated(cert *block.Certificate) (Outcome, error) {
	v := cert.Value
	if v.Kind != block.Validated || v.Block == nil || cert.Round.Kind == block.Fast {
		return Accept, fmt.Errorf("%w: %s certificate in %s, want validated", ErrBadCertificate, v.Kind, cert.Round)
	}
	if err := m.checkTarget(v.Block.Block.Chain, v.Block.Block.Height); err != nil {
		return Accept, err
	}
	hash := cert.Hash()
	if m.vote != nil && m.vote.Kind == block.Confirmed && m.vote.Round == cert.Round && m.vote.Hash == hash {
		return Skip, nil
	}
	if cert.Round.Less(m.round) {
		return Accept, fmt.Errorf("%w: %s is before the current round %s", ErrWrongRound, cert.Round, m.round)
	}
	if m.vote != nil && cert.Round.Less(m.vote.Round) {
		return Accept, fmt.Errorf("%w: already voted in %s", ErrWrongRound, m.vote.Round)
	}
	if m.vote != nil && m.vote.Kind == block.Confirmed && m.vote.Round == cert.Round {
		return Accept, fmt.Errorf("%w: confirmed %s in %s", ErrConflictingProposal, m.vote.Hash.Short(), cert.Round)
	}
	return Accept, m.checkLockAt(cert)
}

// checkLockAt refuses a certificate for another block than a lock from
// the same round or later (two such certificates take a faulty quorum).
func (m *Manager) checkLockAt(cert *block.Certificate) error {
	round, hash, ok := m.lock()
	if !ok || round.Less(cert.Round) || hash == cert.Value.Block.Block.Hash() {
		return nil
	}
	return fmt.Errorf("%w: locked on %s in %s", ErrConflictingProposal, hash.Short(), round)
}

// CreateFinalVote locks on a validated certificate's block and signs a
// confirmed vote for it in the certificate's round, which becomes the
// current round if it is later (its timeout starting at now).
//
// THE CALLER MUST PERSIST THE MANAGER BEFORE SENDING THE VOTE (see
// CreateVote).
//
// CreateFinalVote panics unless CheckValidated(cert) returns Accept.
func (m *Manager) CreateFinalVote(cert *block.Certificate, key *keys.PrivateKey, now uint64) block.Vote {
	if o, err := m.CheckValidated(cert); err != nil || o != Accept {
		panic(fmt.Sprintf("manager: CreateFinalVote without an accepted certificate: %v %v", o, err))
	}
	if round, _, ok := m.lock(); !ok || round.Less(cert.Round) {
		m.locked, m.fastLocked = cert, nil
	}
	if m.round.Less(cert.Round) {
		m.enterRound(cert.Round, now)
	}
	return m.sign(block.Confirmed, cert.Value.Block, cert.Round, key)
}
