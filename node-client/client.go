// Package client is the client side of the Myriad protocol: it proposes
// blocks for the chains its owner controls, gathers votes from validators
// into certificates, broadcasts them, brings lagging validators up to date,
// and keeps a local node (a chain.Worker without a key over the client's
// own store) in step, so the client always executes its blocks itself and
// knows their outcome before it signs.
//
// Validators are reached through the Node interface: in memory in the
// in-process test network, over WebSocket or HTTP for real.
package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
)

// Node is one validator as a client reaches it. Methods return errors from
// the validator's checks wrapped so that errors.Is works on the core's
// sentinels (chain.ErrWrongHeight, …) when the transport preserves them.
type Node interface {
	// PublicKey identifies the validator.
	PublicKey() keys.PublicKey
	HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error)
	// HandleCertificate returns a confirm vote for a validated certificate.
	HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error)
	ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error)
	// Certificate returns the confirmed certificate at height h of chain id.
	Certificate(ctx context.Context, id ids.ChainID, h uint64) (*block.Certificate, error)
	RequestTimeout(ctx context.Context, id ids.ChainID, h uint64) (block.Vote, error)
}

// ErrNoQuorum means too few validators voted for a value.
var ErrNoQuorum = errors.New("client: quorum missing")

// QuorumError says how far a vote fell short and what the validators said.
type QuorumError struct {
	What           string
	Weight, Quorum uint64
	Errors         []string
}

func (e *QuorumError) Error() string {
	return fmt.Sprintf("client: quorum missing for %s: votes of weight %d, need %d; validators said: %s",
		e.What, e.Weight, e.Quorum, strings.Join(e.Errors, "; "))
}

// Unwrap lets errors.Is match ErrNoQuorum.
func (e *QuorumError) Unwrap() error { return ErrNoQuorum }

// Client proposes blocks for one chain with one key.
type Client struct {
	Chain ids.ChainID
	Key   *keys.PrivateKey
	// Local is the client's own node: its store holds the chain's state.
	Local *chain.Worker
	// Validators are the committee's nodes.
	Validators []Node
	// Now returns the current time in microseconds.
	Now func() uint64
	// Progress, if set, is told how a long synchronisation advances: every
	// ProgressEvery blocks, with the next height and the target.
	Progress func(next, target uint64)
}

// ProgressEvery is how many blocks Sync applies between progress reports.
const ProgressEvery = 100

func (c *Client) local(ctx context.Context) *chain.State {
	return c.Local.OpenState(ctx, c.Chain)
}

func (c *Client) committee(ctx context.Context) (*committee.Committee, uint32, error) {
	s := c.local(ctx)
	if !s.Active() {
		return nil, 0, fmt.Errorf("client: chain %s is not known locally: %w", c.Chain.Short(), chain.ErrInactive)
	}
	com, ok := s.System.Committee()
	if !ok {
		return nil, 0, fmt.Errorf("client: no committee for chain %s", c.Chain.Short())
	}
	return com, s.System.Epoch(), s.Tx.Err()
}

func apply(ctx context.Context, store kv.Store, e *chain.Effects) error {
	if e == nil || e.Batch.Len() == 0 {
		return nil
	}
	return store.Apply(ctx, &e.Batch)
}

// Sync downloads the chain's missing certificates from validators, checks
// them and applies them locally.
func (c *Client) Sync(ctx context.Context) error {
	next := c.local(ctx).Tip().NextHeight
	for _, v := range c.Validators {
		info, err := v.ChainInfo(ctx, c.Chain)
		if err != nil {
			continue
		}
		for h := next; h < info.Tip.NextHeight; h++ {
			cert, err := v.Certificate(ctx, c.Chain, h)
			if err != nil {
				break
			}
			if err := c.applyLocal(ctx, cert); err != nil {
				return fmt.Errorf("sync %s: %w", c.Chain.Short(), err)
			}
			next = h + 1
			if c.Progress != nil && (next%ProgressEvery == 0 || next == info.Tip.NextHeight && next >= ProgressEvery) {
				c.Progress(next, info.Tip.NextHeight)
			}
		}
	}
	return nil
}

// applyLocal applies a confirmed block to the local node. The local node
// sends nothing (validators deliver the block's messages), so it
// acknowledges its own outbox at once; otherwise its unacknowledged
// outbox would grow forever and every later block would re-derive all
// the bundles ever sent.
func (c *Client) applyLocal(ctx context.Context, cert *block.Certificate) error {
	var e *chain.Effects
	err := c.fetchingBlobs(ctx, len(cert.Value.Block.Block.Transactions), func() error {
		var err error
		_, e, err = c.Local.HandleCertificate(ctx, cert, c.Now())
		return err
	})
	if err != nil {
		return err
	}
	if err := apply(ctx, c.Local.Store, e); err != nil {
		return err
	}
	for _, u := range e.Updates {
		ack := chain.Ack{Sender: u.Sender, Recipient: u.Recipient, Height: cert.Value.Height()}
		ae, err := c.Local.HandleAck(ctx, &ack)
		if err != nil {
			return err
		}
		if err := apply(ctx, c.Local.Store, ae); err != nil {
			return err
		}
	}
	return nil
}

// Balance returns the chain account's balance in the local state.
func (c *Client) Balance(ctx context.Context) (string, error) {
	s := c.local(ctx)
	return s.System.Balance().String(), s.Tx.Err()
}

// PendingBundles asks validators for the chain's pending inbox and
// delivers what they report to the local node, returning the bundles to
// take. Bundles are taken from the validator that reports the most.
func (c *Client) PendingBundles(ctx context.Context) ([]block.IncomingBundle, error) {
	var best []block.IncomingBundle
	for _, v := range c.Validators {
		info, err := v.ChainInfo(ctx, c.Chain)
		if err == nil && len(info.Pending) > len(best) {
			best = info.Pending
		}
	}
	byOrigin := map[ids.ChainID][]block.Bundle{}
	var origins []ids.ChainID
	for _, ib := range best {
		if _, ok := byOrigin[ib.Origin]; !ok {
			origins = append(origins, ib.Origin)
		}
		byOrigin[ib.Origin] = append(byOrigin[ib.Origin], ib.Bundle)
	}
	for _, o := range origins {
		// Only what waits is delivered, not the sender's outbox: bundles
		// the chain's blocks took before this node saw them are settled.
		e, err := c.Local.HandlePending(ctx, &chain.Update{Sender: o, Recipient: c.Chain, Bundles: byOrigin[o]})
		if err != nil {
			return nil, fmt.Errorf("client: deliver bundles from %s locally: %w", o.Short(), err)
		}
		if err := apply(ctx, c.Local.Store, e); err != nil {
			return nil, err
		}
	}
	return c.local(ctx).PendingBundles(), nil
}
