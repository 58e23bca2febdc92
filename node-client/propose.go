package client

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
)

// ProcessInbox takes every pending incoming bundle into a new block. On a
// closed chain the bundles are rejected (tracked messages bounce back),
// except returning bounces, which are kept.
// It returns nil, nil if there was nothing to take.
func (c *Client) ProcessInbox(ctx context.Context) (*block.Certificate, error) {
	txs, err := c.InboxTransactions(ctx)
	if err != nil || len(txs) == 0 {
		return nil, err
	}
	return c.Propose(ctx, txs)
}

// InboxTransactions returns the chain's waiting incoming bundles as the
// transactions of a block that takes them: on a closed chain every bundle
// but bounces is rejected, and every bundle whose messages fail in the
// local node is rejected (its tracked messages bounce back). None waiting:
// nil, nil.
func (c *Client) InboxTransactions(ctx context.Context) ([]block.Transaction, error) {
	pending, err := c.PendingBundles(ctx)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	closed := c.local(ctx).System.Closed()
	txs := make([]block.Transaction, len(pending))
	for i := range pending {
		if closed && !chain.OnlyBounces(&pending[i].Bundle) {
			pending[i].Action = block.Reject
		}
		txs[i] = block.Transaction{Bundle: &pending[i]}
	}
	if err := c.rejectFailing(ctx, txs); err != nil {
		return nil, err
	}
	return txs, nil
}

// rejectFailing executes the block of incoming bundles locally and
// rejects every bundle whose messages fail (their tracked messages bounce
// back), until the block executes. A bundle with a protected message
// cannot be rejected: its failure is returned.
func (c *Client) rejectFailing(ctx context.Context, txs []block.Transaction) error {
	tip := c.local(ctx).Tip()
	_, epoch, err := c.committee(ctx)
	if err != nil {
		return err
	}
	for range len(txs) + 1 {
		b := block.Block{Chain: c.Chain, Epoch: epoch, Height: tip.NextHeight, Timestamp: max(c.Now(), tip.Timestamp),
			Previous: tip.Hash, Signer: c.Key.Owner(), Transactions: txs}
		_, err := c.executeLocal(ctx, &b, nil)
		var te *chain.TxError
		if err == nil || !errors.As(err, &te) || te.Index >= len(txs) {
			return nil // other failures are the proposal's to report
		}
		ib := txs[te.Index].Bundle
		if ib == nil || ib.Action == block.Reject || hasProtected(&ib.Bundle) {
			return fmt.Errorf("client: incoming bundle cannot be taken: %w", err)
		}
		ib.Action = block.Reject
	}
	return nil
}

func hasProtected(b *block.Bundle) bool {
	for _, pm := range b.Messages {
		if pm.Kind == block.Protected {
			return true
		}
	}
	return false
}

// Execute proposes a block with the given operations.
func (c *Client) Execute(ctx context.Context, ops ...block.Operation) (*block.Certificate, error) {
	txs := make([]block.Transaction, len(ops))
	for i := range ops {
		txs[i] = block.Transaction{Operation: &ops[i]}
	}
	return c.Propose(ctx, txs)
}

// Propose makes a block of txs at the chain's next height, executes it
// locally, and drives it to a confirmed certificate: fast round directly,
// otherwise through a validated certificate. If validators are locked on
// another block at this height, that block is finished first and
// ErrLockedBlock is returned, so the caller can propose again.
func (c *Client) Propose(ctx context.Context, txs []block.Transaction) (*block.Certificate, error) {
	com, epoch, err := c.committee(ctx)
	if err != nil {
		return nil, err
	}
	tip := c.local(ctx).Tip()
	b := block.Block{
		Chain: c.Chain, Epoch: epoch, Height: tip.NextHeight, Timestamp: max(c.Now(), tip.Timestamp),
		Previous: tip.Hash, Signer: c.Key.Owner(), Transactions: txs,
	}
	first, cert, err := c.tryFirstRound(ctx, com, &b)
	if !refused(err) {
		return cert, err
	}
	round, locked := c.roundAndLock(ctx, &b)
	if locked == nil && round == first {
		return nil, err // asking again in the same round would change nothing
	}
	if locked != nil {
		if _, err := c.drive(ctx, com, block.NewProposal(locked.Value.Block.Block, round, c.Key, locked)); err != nil {
			return nil, fmt.Errorf("client: finish locked block: %w", err)
		}
		return nil, ErrLockedBlock
	}
	return c.drive(ctx, com, block.NewProposal(b, round, c.Key, nil))
}

// tryFirstRound proposes b in the chain's first round without asking the
// validators where they stand: in the common case (nothing locked, no
// earlier proposal at this height, no timeout) that is the round
// roundAndLock would choose, and it saves a ChainInfo request to every
// validator per block. It returns the round it tried. If no quorum accepted
// the proposal (refused(err)), the caller asks the validators
// (roundAndLock) and proposes as they say. Validators check every proposal
// themselves, so a refused optimistic proposal costs only the attempt.
func (c *Client) tryFirstRound(ctx context.Context, com *committee.Committee, b *block.Block) (block.Round, *block.Certificate, error) {
	round := c.local(ctx).System.Ownership().FirstRound()
	cert, err := c.drive(ctx, com, block.NewProposal(*b, round, c.Key, nil))
	return round, cert, err
}

// refused reports whether err says no quorum voted for a proposal.
func refused(err error) bool {
	var r *refusedError
	return errors.As(err, &r)
}

// refusedError means no quorum voted for a proposal: the block may be
// proposed again in another round.
type refusedError struct{ err error }

func (e *refusedError) Error() string { return e.err.Error() }
func (e *refusedError) Unwrap() error { return e.err }

// ErrLockedBlock means validators were locked on an earlier proposal at
// this height; the client finished it and the caller should retry.
var ErrLockedBlock = errors.New("client: finished a locked block first; propose again")

// roundAndLock returns the round to propose block b in, and the highest
// validated certificate any validator reports as locked at b's height.
// The round is the highest the validators are in; if one of them already
// accepted another proposal there (an earlier attempt that found no
// quorum, or another device of the owner), b must not conflict with it, so
// the next multi-leader round is opened instead when the chain has one.
// A validator that accepted b itself in that round votes for it again.
func (c *Client) roundAndLock(ctx context.Context, b *block.Block) (block.Round, *block.Certificate) {
	h, hash := b.Height, b.Hash()
	own := c.local(ctx).System.Ownership()
	round := own.FirstRound()
	taken := false
	var locked *block.Certificate
	for _, v := range c.Validators {
		info, err := v.ChainInfo(ctx, c.Chain)
		if err != nil || info.Tip.NextHeight != h {
			continue
		}
		if round.Less(info.Round) {
			round, taken = info.Round, false
		}
		if info.Proposal != nil && info.Proposal.Round == round && info.Proposal.Block.Hash() != hash {
			taken = true
		}
		if info.Locked != nil && (locked == nil || locked.Round.Less(info.Locked.Round)) {
			locked = info.Locked
		}
	}
	if next := own.NextRound(round); taken && next.Kind == block.MultiLeader && own.HasRound(next) {
		round = next
	}
	return round, locked
}

// drive executes p locally, gathers votes and makes the block final.
func (c *Client) drive(ctx context.Context, com *committee.Committee, p *block.Proposal) (*block.Certificate, error) {
	out, err := c.executeLocal(ctx, &p.Block, nil)
	if err != nil {
		return nil, fmt.Errorf("client: execute block locally: %w", err)
	}
	exec := &block.Executed{Block: p.Block, Outcome: *out}
	kind := block.Validated
	if p.Round.Kind == block.Fast {
		kind = block.Confirmed
	}
	cert, err := c.gather(ctx, com, block.Value{Kind: kind, Block: exec}, p.Round, func(n Node) (*block.Vote, error) {
		v, err := withBlobs(ctx, c, n, func() (block.Vote, error) { return n.HandleProposal(ctx, p) })
		if c.lagging(err) {
			c.update(ctx, n, p.Block.Height)
			v, err = withBlobs(ctx, c, n, func() (block.Vote, error) { return n.HandleProposal(ctx, p) })
		}
		if missingOrigin(err) {
			v, err = c.catchUpOrigins(ctx, n, p)
		}
		return &v, err
	})
	if err != nil {
		return nil, &refusedError{err}
	}
	if kind == block.Validated {
		validated := cert
		cert, err = c.gather(ctx, com, block.Value{Kind: block.Confirmed, Block: exec}, p.Round, func(n Node) (*block.Vote, error) {
			return withBlobs(ctx, c, n, func() (*block.Vote, error) { return n.HandleCertificate(ctx, validated) })
		})
		if err != nil {
			return nil, err
		}
	}
	c.broadcast(ctx, cert)
	if err := c.applyLocal(ctx, cert); err != nil {
		return nil, fmt.Errorf("client: apply own block: %w", err)
	}
	return cert, nil
}

func (c *Client) lagging(err error) bool {
	return errors.Is(err, chain.ErrWrongHeight) || errors.Is(err, chain.ErrMissingBlocks) ||
		errors.Is(err, chain.ErrWrongPrevious)
}

// missingOrigin reports whether a validator refused a proposal because it
// lags on another chain: a bundle the block takes has not reached it, or
// the chain itself was not created there yet (its parent's block is
// missing).
func missingOrigin(err error) bool {
	return errors.Is(err, chain.ErrBundleNotReceived) || errors.Is(err, chain.ErrInactive)
}

// catchUpOrigins brings validator n up to date on the chains a proposal
// depends on — each incoming bundle's sender up to the bundle's height,
// and a child chain's parent up to the block that opened it — with
// certificates fetched from the other validators, then asks n again. A
// real validator delivers the resulting bundles asynchronously, so over a
// network (concurrency-safe nodes) the request is retried a few times with
// short waits; an in-process node that can Settle (finish its internal
// deliveries at once) is settled and asked once more.
func (c *Client) catchUpOrigins(ctx context.Context, n Node, p *block.Proposal) (block.Vote, error) {
	upTo := map[ids.ChainID]uint64{}
	for _, t := range p.Block.Transactions {
		if t.Bundle != nil && upTo[t.Bundle.Origin] <= t.Bundle.Bundle.Height {
			upTo[t.Bundle.Origin] = t.Bundle.Bundle.Height + 1
		}
	}
	if d := c.local(ctx).System.Description(); !d.IsRoot && upTo[d.Parent] <= d.Height {
		upTo[d.Parent] = d.Height + 1
	}
	for id, h := range upTo {
		c.push(ctx, n, id, h)
	}
	waits := []time.Duration{0}
	if st, ok := n.(settler); ok {
		st.Settle(ctx)
	} else if _, ok := n.(concurrentNode); ok {
		waits = []time.Duration{0, 10 * time.Millisecond, 40 * time.Millisecond, 150 * time.Millisecond, 500 * time.Millisecond}
	}
	var v block.Vote
	var err error
	for _, w := range waits {
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(w):
		}
		if v, err = n.HandleProposal(ctx, p); !missingOrigin(err) {
			break
		}
	}
	return v, err
}

// settler is a node whose internal cross-chain deliveries can be run to
// completion on demand (the in-process test network's validators).
type settler interface{ Settle(ctx context.Context) }

// push sends validator n the certificates of chain id below height h that
// it lacks, fetched from the other validators.
func (c *Client) push(ctx context.Context, n Node, id ids.ChainID, h uint64) {
	info, err := n.ChainInfo(ctx, id)
	if err != nil {
		return
	}
	for i := info.Tip.NextHeight; i < h; i++ {
		cert := c.fetch(ctx, n, id, i)
		if cert == nil {
			return
		}
		if _, err := withBlobs(ctx, c, n, func() (*block.Vote, error) { return n.HandleCertificate(ctx, cert) }); err != nil {
			return
		}
	}
}

// fetch gets the confirmed certificate at height h of chain id from any
// validator but skip, checking that it is what it claims to be.
func (c *Client) fetch(ctx context.Context, skip Node, id ids.ChainID, h uint64) *block.Certificate {
	for _, v := range c.Validators {
		if v == skip {
			continue
		}
		cert, err := v.Certificate(ctx, id, h)
		if err == nil && cert.Value.Kind == block.Confirmed && cert.Value.Chain() == id && cert.Value.Height() == h {
			return cert
		}
	}
	return nil
}

// update sends a validator the chain's certificates it lacks below h.
func (c *Client) update(ctx context.Context, n Node, h uint64) {
	info, err := n.ChainInfo(ctx, c.Chain)
	if err != nil {
		return
	}
	s := c.local(ctx)
	for i := info.Tip.NextHeight; i < h; i++ {
		cert, ok := s.Certificate(i)
		if !ok {
			return
		}
		if _, err := withBlobs(ctx, c, n, func() (*block.Vote, error) { return n.HandleCertificate(ctx, cert) }); err != nil {
			return
		}
	}
}

// gather asks every validator with ask and builds a certificate from the
// votes that match value. Validators safe for concurrent use (Remote) are
// asked in parallel and the certificate is made as soon as a quorum has
// answered; the other requests go on in the background, bounded by ctx.
func (c *Client) gather(ctx context.Context, com *committee.Committee, value block.Value, r block.Round,
	ask func(Node) (*block.Vote, error)) (*block.Certificate, error) {
	b := block.NewBuilder(value, r, com)
	var errs []string
	answers, early := c.askAll(ask)
	for a := range answers {
		err := a.err
		if err == nil && a.vote != nil {
			_, err = b.Add(*a.vote)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", a.node.PublicKey().Short(), err))
		}
		if early && b.Certificate() != nil {
			break
		}
	}
	if cert := b.Certificate(); cert != nil {
		return cert, nil
	}
	return nil, &QuorumError{What: fmt.Sprintf("%s block %d of %s", value.Kind, value.Height(), c.Chain.Short()),
		Weight: b.Weight(), Quorum: com.Quorum(), Errors: errs}
}

// answer is one validator's reply to gather.
type answer struct {
	node Node
	vote *block.Vote
	err  error
}

// concurrentNode is implemented by Nodes that may be called from several
// goroutines at once.
type concurrentNode interface{ ConcurrentSafe() }

// askAll asks every validator and yields the answers. If every validator
// is safe for concurrent use they are asked in parallel, answers come in
// the order they arrive, and early is true: the caller may stop reading
// (requests still running finish in the background). Otherwise they are
// asked one at a time, in order, in the caller's goroutine, as the
// in-process test network needs to stay reproducible.
func (c *Client) askAll(ask func(Node) (*block.Vote, error)) (answers iter.Seq[answer], early bool) {
	for _, n := range c.Validators {
		if _, ok := n.(concurrentNode); !ok {
			return func(yield func(answer) bool) {
				for _, n := range c.Validators {
					v, err := ask(n)
					if !yield(answer{n, v, err}) {
						return
					}
				}
			}, false
		}
	}
	ch := make(chan answer, len(c.Validators)) // buffered: late answers never block
	for _, n := range c.Validators {
		go func() {
			v, err := ask(n)
			ch <- answer{n, v, err}
		}()
	}
	return func(yield func(answer) bool) {
		for range c.Validators {
			if !yield(<-ch) {
				return
			}
		}
	}, true
}

// broadcast sends a confirmed certificate to every validator, updating
// those that lag first. Failures are left for later synchronisation.
func (c *Client) broadcast(ctx context.Context, cert *block.Certificate) {
	for _, n := range c.Validators {
		confirm := func() (*block.Vote, error) { return n.HandleCertificate(ctx, cert) }
		if _, err := withBlobs(ctx, c, n, confirm); c.lagging(err) {
			c.update(ctx, n, cert.Value.Height())
			withBlobs(ctx, c, n, confirm) //nolint:errcheck // best effort; a later sync repairs
		}
	}
}

// Transfer sends amount from the chain account (or owner's account) to a
// recipient account.
func (c *Client) Transfer(ctx context.Context, op system.Operation) (*block.Certificate, error) {
	return c.Execute(ctx, op.AsBlockOperation())
}
