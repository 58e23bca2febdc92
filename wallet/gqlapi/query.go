package gqlapi

import (
	"context"
	"fmt"
	"sync"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
)

// maxRecentBlocks bounds Chain.recentBlocks.
const maxRecentBlocks = 100

// root resolves the Query, Mutation and Subscription fields.
type root struct{ s *Service }

func (r *root) Chains() []*chainResolver {
	defer r.s.read()()
	var out []*chainResolver
	for _, c := range r.s.cfg.Wallet.Chains() {
		out = append(out, &chainResolver{s: r.s, id: c.ID})
	}
	return out
}

func (r *root) Chain(ctx context.Context, args struct{ ChainID string }) (*chainResolver, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return nil, err
	}
	defer r.s.read()()
	s := chain.Open(ctx, r.s.cfg.Wallet.Store(), id)
	if !s.Active() {
		if err := s.Tx.Err(); err != nil {
			return nil, fmt.Errorf("gqlapi: read chain %s: %w", id.Short(), err)
		}
		return nil, fmt.Errorf("gqlapi: chain %s is not in the local node (follow it, or sync it if the wallet tracks it)", id)
	}
	return &chainResolver{s: r.s, id: id}, nil
}

func (r *root) Block(ctx context.Context, args struct{ Hash string }) (*blockResolver, error) {
	h, err := parseHash("hash", args.Hash)
	if err != nil {
		return nil, err
	}
	defer r.s.read()()
	r.s.index.Lock()
	defer r.s.index.Unlock()
	cert, err := r.s.cfg.Wallet.Block(ctx, h)
	if err != nil {
		return nil, err
	}
	return &blockResolver{cert}, nil
}

// chainResolver resolves a Chain. The fields kept in summary are read
// once, together.
type chainResolver struct {
	s  *Service
	id ids.ChainID

	once sync.Once
	sum  summary
	err  error
}

// summary is a chain's state as one read of the local node saw it.
type summary struct {
	tip     chain.Tip
	balance amount.Amount
	inbox   []block.IncomingBundle
	closed  bool
}

func (c *chainResolver) summary(ctx context.Context) (summary, error) {
	c.once.Do(func() {
		defer c.s.read()()
		st := chain.Open(ctx, c.s.cfg.Wallet.Store(), c.id)
		if !st.Active() {
			c.err = fmt.Errorf("gqlapi: chain %s is not in the local node", c.id)
			return
		}
		c.sum = summary{tip: st.Tip(), balance: st.System.Balance(), inbox: st.PendingBundles(), closed: st.System.Closed()}
		if err := st.Tx.Err(); err != nil {
			c.err = fmt.Errorf("gqlapi: read chain %s: %w", c.id.Short(), err)
		}
	})
	return c.sum, c.err
}

func (c *chainResolver) ID() string { return c.id.String() }

func (c *chainResolver) Owner() *string {
	defer c.s.read()()
	tc, err := c.s.cfg.Wallet.Chain(c.id)
	if err != nil {
		return nil
	}
	return hexOrNil(tc.Owner)
}

func (c *chainResolver) Height(ctx context.Context) (int32, error) {
	sum, err := c.summary(ctx)
	return gqlInt(sum.tip.NextHeight), err
}

func (c *chainResolver) Tip(ctx context.Context) (*string, error) {
	sum, err := c.summary(ctx)
	return hexOrNil(sum.tip.Hash), err
}

func (c *chainResolver) Inbox(ctx context.Context) (int32, error) {
	sum, err := c.summary(ctx)
	return gqlInt(len(sum.inbox)), err
}

func (c *chainResolver) PendingInbox(ctx context.Context) ([]bundleResolver, error) {
	sum, err := c.summary(ctx)
	out := make([]bundleResolver, len(sum.inbox))
	for i, b := range sum.inbox {
		out[i] = bundleResolver{b}
	}
	return out, err
}

func (c *chainResolver) Closed(ctx context.Context) (bool, error) {
	sum, err := c.summary(ctx)
	return sum.closed, err
}

func (c *chainResolver) Balance(ctx context.Context, args struct{ Owner *string }) (string, error) {
	owner, err := parseOwner("owner", args.Owner)
	if err != nil {
		return "", err
	}
	if owner.IsZero() {
		sum, err := c.summary(ctx)
		return sum.balance.String(), err
	}
	defer c.s.read()()
	st := chain.Open(ctx, c.s.cfg.Wallet.Store(), c.id)
	bal := st.System.OwnerBalance(owner)
	return bal.String(), st.Tx.Err()
}

// ownerBalance resolves an OwnerBalance.
type ownerBalance struct{ Owner, Balance string }

func (c *chainResolver) OwnerBalances(ctx context.Context) ([]ownerBalance, error) {
	defer c.s.read()()
	st := chain.Open(ctx, c.s.cfg.Wallet.Store(), c.id)
	var out []ownerBalance
	st.System.OwnerBalances(func(o ids.Owner, a amount.Amount) bool {
		out = append(out, ownerBalance{Owner: o.String(), Balance: a.String()})
		return true
	})
	return out, st.Tx.Err()
}

func (c *chainResolver) RecentBlocks(ctx context.Context, args struct{ Limit int32 }) ([]blockResolver, error) {
	if args.Limit < 1 || args.Limit > maxRecentBlocks {
		return nil, fmt.Errorf("argument limit: %d is not between 1 and %d", args.Limit, maxRecentBlocks)
	}
	defer c.s.read()()
	certs, err := c.s.cfg.Wallet.RecentBlocks(ctx, c.id, int(args.Limit))
	out := make([]blockResolver, len(certs))
	for i, cert := range certs {
		out[i] = blockResolver{cert}
	}
	return out, err
}

// appResolver resolves an Application.
type appResolver struct{ ID, Module, CreatorChain, Link string }

func (c *chainResolver) Applications(ctx context.Context) ([]appResolver, error) {
	defer c.s.read()()
	st := chain.Open(ctx, c.s.cfg.Wallet.Store(), c.id)
	var out []appResolver
	for _, a := range st.Applications() {
		d, _ := st.Application(a)
		out = append(out, appResolver{ID: a.String(), Module: d.Module.String(), CreatorChain: d.Creator.String(),
			Link: fmt.Sprintf("/chains/%s/applications/%s", c.id, a)})
	}
	return out, st.Tx.Err()
}

// blockResolver resolves a Block.
type blockResolver struct{ cert *block.Certificate }

func (b blockResolver) block() *block.Block { return &b.cert.Value.Block.Block }

func (b blockResolver) Hash() string      { return b.cert.Hash().String() }
func (b blockResolver) ChainID() string   { return b.block().Chain.String() }
func (b blockResolver) Height() int32     { return gqlInt(b.block().Height) }
func (b blockResolver) Timestamp() string { return fmt.Sprint(b.block().Timestamp) }
func (b blockResolver) Previous() *string { return hexOrNil(b.block().Previous) }
func (b blockResolver) Signer() *string   { return hexOrNil(b.block().Signer) }

func (b blockResolver) Operations() int32 {
	n := 0
	for _, tx := range b.block().Transactions {
		if tx.Operation != nil {
			n++
		}
	}
	return gqlInt(n)
}

func (b blockResolver) IncomingBundles() int32 {
	return gqlInt(len(b.block().Transactions) - int(b.Operations()))
}

func (b blockResolver) OutgoingMessages() int32 {
	n := 0
	for _, msgs := range b.cert.Value.Block.Outcome.Messages {
		n += len(msgs)
	}
	return gqlInt(n)
}

// bundleResolver resolves a Bundle.
type bundleResolver struct{ b block.IncomingBundle }

func (b bundleResolver) Origin() string    { return b.b.Origin.String() }
func (b bundleResolver) Height() int32     { return gqlInt(b.b.Bundle.Height) }
func (b bundleResolver) Timestamp() string { return fmt.Sprint(b.b.Bundle.Timestamp) }
func (b bundleResolver) BlockHash() string { return b.b.Bundle.CertificateHash.String() }
func (b bundleResolver) Messages() int32   { return gqlInt(len(b.b.Bundle.Messages)) }

// Tokens adds up the bundle's system credit messages.
func (b bundleResolver) Tokens() (string, error) {
	sum := amount.Zero
	for _, pm := range b.b.Bundle.Messages {
		if !pm.Message.IsSystem() {
			continue
		}
		m, err := system.DecodeMessage(pm.Message.Bytes)
		if err != nil || m.Kind != system.MsgCredit {
			continue
		}
		if sum, err = sum.Add(m.Amount); err != nil {
			return "", fmt.Errorf("tokens: %w", err)
		}
	}
	return sum.String(), nil
}
