// Package manager is the per-chain consensus state machine: how the
// validators agree on one block at each height of a chain (Linera's
// ChainManager).
//
// Each validator keeps one Manager per chain, for the chain's next block
// height. It is pure: time comes in as now (microseconds), keys and
// certificates come in already checked, and the manager answers with
// votes, which the caller persists (Encode) and only then sends.
//
// # A height, step by step
//
// A chain's Ownership says who may propose. New starts a height in the
// ownership's first round. For a chain made with Single, that is
// multi-leader round 0:
//
//	m := manager.New(manager.Single(owner), chainID, height, now)
//
//	// A proposal arrives (its signature checked with p.Verify, its
//	// Locked certificate with VerifyLocked, the block executed).
//	switch out, err := m.CheckProposal(p); {
//	case err != nil:
//		// refuse, with the reason
//	case out == manager.Skip:
//		// already voted for exactly this: re-send m.PendingVote()
//	default:
//		vote := m.CreateVote(p, executed, validatorKey, now)
//		// persist m, then send vote
//	}
//
// The owner gathers a quorum of validated votes into a validated
// certificate and sends it back; each validator then confirms:
//
//	if out, err := m.CheckValidated(cert); err == nil && out == manager.Accept {
//		vote := m.CreateFinalVote(cert, validatorKey, now) // persist, then send
//	}
//
// A quorum of confirmed votes is the confirmed certificate: the block is
// final, and the validator starts the next height with New.
//
// # Rounds
//
// A height runs through rounds, ordered by kind and then number:
//
//   - Fast: only super owners propose, and validators vote to confirm at
//     once (one phase). Two different fast proposals can wedge the chain
//     for good, so only chains made with SingleSuper (or explicit super
//     owners) have it.
//   - MultiLeader k: any owner proposes (anyone, with
//     OpenMultiLeaderRounds). Owners who collided may move on by proposing
//     in a later multi-leader round. Only the last one times out.
//   - SingleLeader k: one owner, drawn by weight from a hash of the chain,
//     height and round (Leader), proposes; if the leader stalls, the round
//     times out and the next leader takes over. Super owners may always
//     propose.
//   - ValidatorRound k: public chains and fallback; validators propose.
//     Not yet implemented: no owner may propose there.
//
// When the current round's timeout passes, validators sign timeout votes
// (VoteTimeout); a quorum of them is a timeout certificate, which moves
// every validator to the next round (HandleTimeout).
//
// # Safety: at most one block is confirmed per height
//
// An honest validator keeps three rules, and as long as more than two
// thirds of the voting weight is honest, no two confirmed certificates at
// one height name different blocks:
//
//  1. It never votes in a round lower than one it already voted in, and
//     never for two different blocks in one round (ErrWrongRound,
//     ErrConflictingProposal).
//  2. It votes to confirm only with a validated certificate for that block
//     and round, or for a fast-round proposal. Having done so it is
//     locked: it keeps the highest validated certificate it has seen
//     (Locked), and votes for another block only if the proposal carries a
//     validated certificate for that block from the lock's round or later
//     (ErrMustReproposeLocked).
//  3. It persists every vote before sending it, so a crash and restart
//     cannot make it forget a vote and sign a conflicting one.
//
// Why it works: if a quorum voted to confirm block A in round r, every
// quorum from then on contains an honest validator locked on A from round
// r or later, so no block but A can get a validated certificate in a later
// round, and without one nobody votes to confirm anything else.
// Liveness needs the proposer of a later round to re-propose the highest
// locked block with its certificate (a validator that refuses with
// ErrMustReproposeLocked shows its lock in Locked).
package manager
