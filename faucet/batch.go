package faucet

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// run is the batcher: the only goroutine that proposes blocks of the
// faucet chain. It takes the claims waiting, up to MaxBatch, and serves
// them with one block; claims that arrive meanwhile wait for the next.
func (s *Service) run() {
	defer close(s.stopped)
	for {
		var batch []*request
		select {
		case r := <-s.queue:
			batch = append(batch, r)
		case <-s.ctx.Done():
			s.drain()
			return
		}
	fill:
		for len(batch) < s.opts.MaxBatch {
			select {
			case r := <-s.queue:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.serve(batch)
	}
}

// drain fails the claims still queued when the Service closes.
func (s *Service) drain() {
	for {
		select {
		case r := <-s.queue:
			s.answer(r, ClaimResult{}, ErrClosed)
		default:
			return
		}
	}
}

// answer replies to a claim; a failed claim no longer counts for its owner.
func (s *Service) answer(r *request, res ClaimResult, err error) {
	if err != nil {
		s.owners.release(r.owner)
	}
	r.reply <- reply{res, err}
}

// serve confirms one block opening a chain for each claim of batch that
// is still wanted, allowed and funded, and answers every claim.
func (s *Service) serve(batch []*request) {
	ctx, cancel := context.WithTimeout(s.ctx, s.opts.BlockTimeout)
	defer cancel()
	if err := s.finishPending(ctx); err != nil {
		s.failAll(batch, s.classify(err))
		return
	}
	batch = s.admit(batch)
	if len(batch) == 0 {
		return
	}
	n, dry := s.fundable(ctx, len(batch))
	for _, r := range batch[n:] {
		s.answer(r, ClaimResult{}, dry)
	}
	batch = batch[:n]
	for len(batch) > 0 {
		cert, err := s.c.ProposeDurably(ctx, s.transactions(batch))
		if insufficient(err) { // the block's fees: fund one claim fewer
			last := batch[len(batch)-1]
			s.answer(last, ClaimResult{}, fmt.Errorf("%w: its balance cannot also pay the block's fees", ErrDry))
			batch = batch[:len(batch)-1]
			continue
		}
		if err != nil {
			s.failAll(batch, s.classify(err))
			return
		}
		s.deliver(batch, cert)
		return
	}
}

func (s *Service) failAll(batch []*request, err error) {
	s.opts.Logger.Warn("claims failed", "claims", len(batch), "err", err)
	for _, r := range batch {
		s.answer(r, ClaimResult{}, err)
	}
}

// finishPending finishes a block an earlier failure left pending (see
// client.Client.RetryPending) and counts the chains it opened.
func (s *Service) finishPending(ctx context.Context) error {
	cert, err := s.c.RetryPending(ctx)
	if err != nil {
		return err
	}
	if cert != nil {
		s.opts.Logger.Info("finished pending block", "height", cert.Value.Height())
		for _, o := range openings(cert) {
			if !o.owner.IsZero() {
				s.owners.record(o.owner, o.desc)
			}
		}
	}
	return nil
}

// admit drops the claims whose caller has gone and those that a block
// finished by finishPending put over the owner limit.
func (s *Service) admit(batch []*request) []*request {
	kept := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			s.answer(r, ClaimResult{}, fmt.Errorf("faucet: claim: %w", err))
			continue
		}
		if err := s.owners.recheck(r.owner); err != nil {
			r.reply <- reply{err: err} // recheck released the reservation
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// fundable returns how many of n claims the faucet chain's balance pays
// for, and the error for the others. If it cannot pay for all, it first
// takes the chain's incoming transfers (an operator's refill) into a
// block.
func (s *Service) fundable(ctx context.Context, n int) (int, error) {
	k, bal := s.count(ctx, n)
	if k < n {
		s.refill(ctx)
		k, bal = s.count(ctx, n)
	}
	return k, fmt.Errorf("%w: its chain holds %s and a claim needs %s; ask the operator to refill it",
		ErrDry, bal, s.opts.Amount)
}

// count returns how many amounts, up to n, the local balance covers.
func (s *Service) count(ctx context.Context, n int) (int, amount.Amount) {
	bal := chain.Open(ctx, s.c.Local.Store, s.c.Chain).System.Balance()
	rest := bal
	for k := range n {
		var err error
		if rest, err = rest.Sub(s.opts.Amount); err != nil {
			return k, bal
		}
	}
	return n, bal
}

// refill takes the faucet chain's pending incoming bundles into a block.
func (s *Service) refill(ctx context.Context) {
	pending, err := s.c.PendingBundles(ctx)
	if err != nil || len(pending) == 0 {
		return
	}
	txs := make([]block.Transaction, len(pending))
	for i := range pending {
		txs[i] = block.Transaction{Bundle: &pending[i]}
	}
	if cert, err := s.c.ProposeDurably(ctx, txs); err != nil {
		s.opts.Logger.Warn("could not take incoming transfers", "err", err)
	} else {
		s.opts.Logger.Info("took incoming transfers", "height", cert.Value.Height(), "bundles", len(txs))
	}
}

// transactions returns one OpenChain operation per claim, in order.
func (s *Service) transactions(batch []*request) []block.Transaction {
	txs := make([]block.Transaction, len(batch))
	for i, r := range batch {
		op := system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(r.owner), Amount: s.opts.Amount}
		bop := op.AsBlockOperation()
		txs[i] = block.Transaction{Operation: &bop}
	}
	return txs
}

// deliver answers each claim of batch with the chain cert's block opened
// for it: the i-th OpenChain operation is the i-th claim's.
func (s *Service) deliver(batch []*request, cert *block.Certificate) {
	opened := openings(cert)
	h := cert.Value.Height()
	s.opts.Logger.Info("opened chains", "height", h, "claims", len(batch))
	for i, r := range batch {
		if i >= len(opened) || opened[i].owner != r.owner {
			panic(fmt.Sprintf("faucet: block %d opened %d chains for %d claims", h, len(opened), len(batch)))
		}
		d := opened[i].desc
		s.owners.confirm(r.owner, d)
		s.answer(r, ClaimResult{Chain: d.ID(), Description: d, Height: h, Certificate: cert.Hash()}, nil)
	}
}

// opening is a chain a block opened, and its owner if it has exactly one
// (zero otherwise).
type opening struct {
	desc  ids.Description
	owner ids.Owner
}

// openings lists the chains a confirmed block opened, in order: the i-th
// OpenChain operation of the block at height h opened
// ids.ChildDescription(chain, h, i).
func openings(cert *block.Certificate) []opening {
	b := &cert.Value.Block.Block
	var out []opening
	for _, tx := range b.Transactions {
		if tx.Operation == nil || !tx.Operation.IsSystem() {
			continue
		}
		op, err := system.DecodeOperation(tx.Operation.Bytes)
		if err != nil || op.Kind != system.OpOpenChain {
			continue
		}
		o := opening{desc: ids.ChildDescription(b.Chain, b.Height, uint32(len(out)))}
		if own := op.Ownership; len(own.Owners) == 1 && len(own.SuperOwners) == 0 {
			o.owner = own.Owners[0].Owner
		}
		out = append(out, o)
	}
	return out
}

// insufficient reports whether the local node refused a block because the
// chain cannot pay for it. Validators' refusals arrive as text in a
// client.QuorumError, so this matches only the local check, made before
// the block is stored or sent.
func insufficient(err error) bool {
	return errors.Is(err, system.ErrInsufficientFunds) || errors.Is(err, chain.ErrInsufficientFees)
}

// classify turns a proposal's failure into the error claimants get.
func (s *Service) classify(err error) error {
	switch {
	case s.ctx.Err() != nil:
		return ErrClosed
	case errors.Is(err, client.ErrNoQuorum), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	return fmt.Errorf("faucet: propose block: %w", err)
}
