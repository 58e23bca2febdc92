package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// Follow starts tracking chain id: it creates the chain in the local node
// (from the block of its parent that opened it, checked against the
// committee), synchronises it, and tracks it with one of the wallet's keys
// if that key owns the chain. desc may be nil when the caller does not
// know where the chain comes from; it is then learnt from the validators.
func (w *Wallet) Follow(ctx context.Context, id ids.ChainID, desc *ids.Description) (Chain, error) {
	if d := dryRunsOf(ctx); d != nil {
		d.follow(id)
		return Chain{}, fmt.Errorf("%w: follow %s", ErrDryRun, id.Short())
	}
	c, err := w.Client(ctx, id)
	if err != nil {
		return Chain{}, err
	}
	if err := reachable(ctx, c); err != nil {
		return Chain{}, err
	}
	if err := w.activate(ctx, c, desc); err != nil {
		return Chain{}, err
	}
	if err := c.Sync(ctx); err != nil {
		return Chain{}, err
	}
	s := chain.Open(ctx, w.cfg.Store, id)
	tc := Chain{ID: id, Description: Description{s.System.Description()}, Owner: w.ownerKey(s.System.Ownership())}
	if err := s.Tx.Err(); err != nil {
		return Chain{}, fmt.Errorf("wallet: follow %s: %w", id.Short(), err)
	}
	if err := w.Track(tc); err != nil {
		return Chain{}, err
	}
	return w.Chain(id)
}

// ownerKey returns the first wallet key that may propose on a chain with
// ownership own, or zero.
func (w *Wallet) ownerKey(own manager.Ownership) ids.Owner {
	for _, k := range w.doc.Keys {
		if own.IsOwner(k.Owner) || own.IsSuperOwner(k.Owner) {
			return k.Owner
		}
	}
	return ids.Owner{}
}

// active reports whether chain id exists in the local node.
func (w *Wallet) active(ctx context.Context, id ids.ChainID) bool {
	return chain.Open(ctx, w.cfg.Store, id).Active()
}

// activate creates chain c in the local node if it is not there: from the
// parent's block named by desc, else from its first blocks, else
// from the bundles waiting in its inbox on the validators.
func (w *Wallet) activate(ctx context.Context, c *client.Client, desc *ids.Description) error {
	if w.active(ctx, c.Chain) {
		return nil
	}
	var errs []error
	if desc != nil && !desc.IsRoot {
		errs = append(errs, w.openFromParent(ctx, c, *desc))
	}
	if !w.active(ctx, c.Chain) {
		errs = append(errs, w.openFromBlocks(ctx, c))
	}
	if !w.active(ctx, c.Chain) {
		_, err := c.PendingBundles(ctx)
		errs = append(errs, err)
	}
	if !w.active(ctx, c.Chain) {
		w.cfg.Logger.Debug("chain not found", "chain", c.Chain, "err", errors.Join(errs...))
		return fmt.Errorf("%w: %s: no validator has its first block or the message that creates it", ErrNotFound, c.Chain)
	}
	return nil
}

// openFromParent delivers to the local node the bundles that the parent's
// block at desc.Height sent the chain, which include its OpenChain message.
func (w *Wallet) openFromParent(ctx context.Context, c *client.Client, desc ids.Description) error {
	if desc.ID() != c.Chain {
		return fmt.Errorf("wallet: description %s names another chain than %s", desc, c.Chain.Short())
	}
	cert, err := w.certificate(ctx, c, desc.Parent, desc.Height)
	if err != nil {
		return err
	}
	return w.deliverLocally(ctx, desc.Parent, c.Chain, cert.Value.Block.Bundles(cert.Hash(), c.Chain))
}

// maxOpenScan bounds the blocks openFromBlocks reads looking for the one
// that took the chain's OpenChain message.
const maxOpenScan = 64

// openFromBlocks delivers to the local node the bundle with the OpenChain
// message that one of the chain's first blocks took. A chain exists on
// validators as soon as that message is delivered, so its owner may
// propose blocks (a transfer of its initial balance) before one takes it:
// up to maxOpenScan blocks are read, each certificate checked. (A chain
// that never took it still has it waiting: activate then delivers it.)
func (w *Wallet) openFromBlocks(ctx context.Context, c *client.Client) error {
	for h := range uint64(maxOpenScan) {
		cert, err := w.certificate(ctx, c, c.Chain, h)
		if err != nil {
			return err
		}
		for _, tx := range cert.Value.Block.Block.Transactions {
			if tx.Bundle != nil && opensChain(tx.Bundle.Bundle) {
				return w.deliverLocally(ctx, tx.Bundle.Origin, c.Chain, []block.Bundle{tx.Bundle.Bundle})
			}
		}
	}
	return fmt.Errorf("wallet: none of the first %d blocks of %s takes its open-chain message", maxOpenScan, c.Chain.Short())
}

func opensChain(b block.Bundle) bool {
	for _, pm := range b.Messages {
		if !pm.Message.IsSystem() {
			continue
		}
		if m, err := system.DecodeMessage(pm.Message.Bytes); err == nil && m.Kind == system.MsgOpenChain {
			return true
		}
	}
	return false
}

func (w *Wallet) deliverLocally(ctx context.Context, from, to ids.ChainID, bundles []block.Bundle) error {
	worker := w.worker()
	e, err := worker.HandleUpdate(ctx, &chain.Update{Sender: from, Recipient: to, Bundles: bundles})
	if err != nil {
		return fmt.Errorf("wallet: deliver bundles from %s locally: %w", from.Short(), err)
	}
	if err := w.cfg.Store.Apply(ctx, &e.Batch); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	return nil
}

// certificate returns the confirmed certificate at height h of chain id:
// from the local node if it has it, else from the first validator whose
// copy a committee the wallet trusts has signed.
func (w *Wallet) certificate(ctx context.Context, c *client.Client, id ids.ChainID, h uint64) (*block.Certificate, error) {
	if cert, ok := chain.Open(ctx, w.cfg.Store, id).Certificate(h); ok {
		return cert, nil
	}
	admin := chain.Open(ctx, w.cfg.Store, w.doc.Genesis.Admin()).System.Committees()
	var errs []error
	for _, n := range c.Validators {
		cert, err := n.Certificate(ctx, id, h)
		if err == nil {
			err = checkCertificate(cert, admin, id, h)
		}
		if err == nil {
			return cert, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", n.PublicKey().Short(), err))
	}
	return nil, fmt.Errorf("wallet: block %d of %s: %w", h, id.Short(), errors.Join(errs...))
}

func checkCertificate(cert *block.Certificate, trusted system.Committees, id ids.ChainID, h uint64) error {
	if cert.Value.Kind != block.Confirmed || cert.Value.Chain() != id || cert.Value.Height() != h {
		return fmt.Errorf("wallet: validator sent another certificate than block %d of %s", h, id.Short())
	}
	com, ok := trusted.Get(cert.Value.Epoch())
	if !ok {
		return fmt.Errorf("wallet: certificate of untrusted epoch %d", cert.Value.Epoch())
	}
	return cert.Verify(com)
}
