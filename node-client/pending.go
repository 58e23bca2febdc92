package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
)

// Crash-safe proposing. A client that signs a block, sends it, crashes and
// then proposes a different block at the same height may split the
// validators' votes between the two; in the fast round that stalls the
// chain for good. So the block is stored in the client's local store before
// it leaves (SavePending), and after a restart the client finishes that
// very block (RetryPending) before it builds another. ProposeDurably does
// both around Propose's work.

// ErrStaleBlock means a block is not at the chain's next height (or does
// not follow its tip) in the local node.
var ErrStaleBlock = errors.New("client: block does not extend the chain's tip")

// pendingKey is where the pending block of a chain lives in the local
// store, outside every chain's state prefix (chain.Prefix).
func pendingKey(id ids.ChainID) []byte { return append([]byte("p/"), id[:]...) }

// NewBlock returns the block Propose would make of txs at the chain's next
// height, after checking that it executes in the local node. Nothing is
// stored or sent.
func (c *Client) NewBlock(ctx context.Context, txs []block.Transaction) (*block.Block, error) {
	return c.newBlock(ctx, txs, nil)
}

// newBlock is NewBlock; if d is not nil, the local execution also fills
// d's balance changes and application runs.
func (c *Client) newBlock(ctx context.Context, txs []block.Transaction, d *DryRun) (*block.Block, error) {
	if _, _, err := c.committee(ctx); err != nil {
		return nil, err
	}
	s := c.local(ctx)
	tip := s.Tip()
	b := &block.Block{
		Chain: c.Chain, Epoch: s.System.Epoch(), Height: tip.NextHeight, Timestamp: max(c.Now(), tip.Timestamp),
		Previous: tip.Hash, Signer: c.Key.Owner(), Transactions: txs,
	}
	if _, err := s.CheckBlock(b); err != nil {
		return nil, fmt.Errorf("client: check block locally: %w", err)
	}
	s.Tx.Rollback()
	// Executed like a proposal: the blobs of an application the chain
	// meets first are fetched from the validators.
	out, err := c.executeLocal(ctx, b, d)
	if err != nil {
		return nil, fmt.Errorf("client: execute block locally: %w", err)
	}
	if d != nil {
		d.Outcome = out
	}
	return b, nil
}

// ProposeBlock drives exactly b to a confirmed certificate. b must extend
// the local tip (else ErrStaleBlock). If validators are locked on a block
// at this height, that block is finished first: the certificate is
// returned if it was b, ErrLockedBlock if it was another block.
func (c *Client) ProposeBlock(ctx context.Context, b *block.Block) (*block.Certificate, error) {
	com, _, err := c.committee(ctx)
	if err != nil {
		return nil, err
	}
	if tip := c.local(ctx).Tip(); b.Chain != c.Chain || b.Height != tip.NextHeight || b.Previous != tip.Hash {
		return nil, fmt.Errorf("%w: block %d of %s, next height %d", ErrStaleBlock, b.Height, b.Chain.Short(), tip.NextHeight)
	}
	first, cert, err := c.tryFirstRound(ctx, com, b)
	if !refused(err) {
		return cert, err
	}
	round, locked := c.roundAndLock(ctx, b)
	if locked == nil && round == first {
		return nil, err // asking again in the same round would change nothing
	}
	if locked == nil {
		return c.drive(ctx, com, block.NewProposal(*b, round, c.Key, nil))
	}
	cert, err = c.finishLocked(ctx, com, locked, round)
	if err != nil {
		return nil, fmt.Errorf("client: finish locked block: %w", err)
	}
	if locked.Value.Block.Block.Hash() == b.Hash() {
		return cert, nil
	}
	return nil, ErrLockedBlock
}

// finishLocked confirms the block of a validated certificate validators
// are locked on: first by asking for confirm votes on the certificate
// itself (validators that voted already repeat their vote, so this works
// after a client crashed between the two phases), else by proposing the
// block again in the current round.
func (c *Client) finishLocked(ctx context.Context, com *committee.Committee, locked *block.Certificate, round block.Round) (*block.Certificate, error) {
	cert, err := c.gather(ctx, com, block.Value{Kind: block.Confirmed, Block: locked.Value.Block}, locked.Round,
		func(n Node) (*block.Vote, error) { return n.HandleCertificate(ctx, locked) })
	if err != nil {
		return c.drive(ctx, com, block.NewProposal(locked.Value.Block.Block, round, c.Key, locked))
	}
	c.broadcast(ctx, cert)
	if err := c.applyLocal(ctx, cert); err != nil {
		return nil, fmt.Errorf("client: apply own block: %w", err)
	}
	return cert, nil
}

// SavePending makes b the chain's pending block in the local store: the
// block is durable when SavePending returns, before anything is sent.
func (c *Client) SavePending(ctx context.Context, b *block.Block) error {
	var batch kv.Batch
	batch.Put(pendingKey(c.Chain), codec.Marshal(b))
	if err := c.Local.Store.Apply(ctx, &batch); err != nil {
		return fmt.Errorf("client: save pending block: %w", err)
	}
	return nil
}

// Pending returns the chain's pending block, or nil if there is none.
func (c *Client) Pending(ctx context.Context) (*block.Block, error) {
	v, err := c.Local.Store.Get(ctx, pendingKey(c.Chain))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("client: read pending block: %w", err)
	}
	b := new(block.Block)
	if err := codec.Unmarshal(v, b); err != nil {
		return nil, fmt.Errorf("client: decode pending block: %w", err)
	}
	return b, nil
}

// ClearPending forgets the chain's pending block.
func (c *Client) ClearPending(ctx context.Context) error {
	var batch kv.Batch
	batch.Delete(pendingKey(c.Chain))
	if err := c.Local.Store.Apply(ctx, &batch); err != nil {
		return fmt.Errorf("client: clear pending block: %w", err)
	}
	return nil
}

// RetryPending synchronises the chain and finishes its pending block, if
// any. It returns the block's certificate if this call confirmed it, and
// nil, nil if there was no pending block or the chain had already moved
// past its height (the block was confirmed before a crash, or another
// block took the height). On error the block stays pending.
func (c *Client) RetryPending(ctx context.Context) (*block.Certificate, error) {
	b, err := c.Pending(ctx)
	if err != nil || b == nil {
		return nil, err
	}
	if err := c.Sync(ctx); err != nil {
		return nil, err
	}
	next := c.local(ctx).Tip().NextHeight
	if b.Height > next {
		return nil, fmt.Errorf("client: pending block %d of %s is ahead of the local tip %d", b.Height, c.Chain.Short(), next)
	}
	var cert *block.Certificate
	if b.Height == next {
		cert, err = c.ProposeBlock(ctx, b)
		if errors.Is(err, ErrLockedBlock) {
			cert, err = nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("client: retry pending block %d of %s: %w", b.Height, c.Chain.Short(), err)
		}
	}
	return cert, c.ClearPending(ctx)
}

// ProposeDurably is Propose made crash-safe: it finishes any pending block
// first (see RetryPending), then builds a block of txs, stores it as
// pending, and drives it. If the call fails after the block was stored,
// the block stays pending and the next ProposeDurably or RetryPending
// proposes that same block again; a different block is never proposed at
// its height while it may still be confirmed.
func (c *Client) ProposeDurably(ctx context.Context, txs []block.Transaction) (*block.Certificate, error) {
	if _, err := c.RetryPending(ctx); err != nil {
		return nil, err
	}
	for range 3 {
		b, err := c.NewBlock(ctx, txs)
		if err != nil {
			return nil, err
		}
		cert, err := c.proposeStored(ctx, b)
		if errors.Is(err, ErrLockedBlock) {
			continue
		}
		return cert, err
	}
	return nil, ErrLockedBlock
}

// ProposeExactly is ProposeDurably for a block made earlier (by DryRun,
// shown to the user): it finishes any pending block, then stores b as
// pending and drives exactly b. If the chain moved past b's height
// meanwhile, it fails with ErrStaleBlock; if another block took the
// height, with ErrLockedBlock. b is never rebuilt.
func (c *Client) ProposeExactly(ctx context.Context, b *block.Block) (*block.Certificate, error) {
	if b.Chain != c.Chain {
		return nil, fmt.Errorf("client: block of %s proposed on %s", b.Chain.Short(), c.Chain.Short())
	}
	if _, err := c.RetryPending(ctx); err != nil {
		return nil, err
	}
	if tip := c.local(ctx).Tip(); b.Height != tip.NextHeight || b.Previous != tip.Hash {
		return nil, fmt.Errorf("%w: block %d of %s, next height %d", ErrStaleBlock, b.Height, b.Chain.Short(), tip.NextHeight)
	}
	return c.proposeStored(ctx, b)
}

// proposeStored stores b as the pending block, drives it, and forgets it
// once it is confirmed or can no longer be (ErrLockedBlock: another block
// took the height).
func (c *Client) proposeStored(ctx context.Context, b *block.Block) (*block.Certificate, error) {
	if err := c.SavePending(ctx, b); err != nil {
		return nil, err
	}
	cert, err := c.ProposeBlock(ctx, b)
	if errors.Is(err, ErrLockedBlock) {
		// Another block took the height: ours can no longer be confirmed.
		if err := c.ClearPending(ctx); err != nil {
			return nil, err
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	return cert, c.ClearPending(ctx)
}
