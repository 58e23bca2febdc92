package nodeservice

import (
	"context"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
)

// Schema is the system GraphQL schema served at "/".
const Schema = `
schema { query: Query mutation: Mutation subscription: Subscription }

type Query {
  "The chains the wallet tracks."
  chains: [Chain!]!
  "A chain in the local node."
  chain(chainId: String!): Chain!
}

type Chain {
  id: String!
  "The wallet's key for the chain, if it owns it."
  owner: String
  "The height of the next block."
  height: Int!
  "The chain account's balance, in tokens."
  balance: String!
  "Incoming message bundles waiting to be taken."
  inbox: Int!
  closed: Boolean!
  applications: [Application!]!
}

type Application {
  id: String!
  module: String!
  creatorChain: String!
  "The path of the application's GraphQL endpoint on this service."
  link: String!
}

type Mutation {
  "Send tokens from a chain the wallet owns; answers the block's hash."
  transfer(chainId: String!, recipient: String!, amount: String!): String!
  "Take the waiting incoming messages into a block; answers its hash (null: nothing waited)."
  processInbox(chainId: String!): String
  "Download the chain's new blocks; answers its height."
  sync(chainId: String!): Int!
}

type Subscription {
  "New blocks and incoming messages on the chains (all tracked chains by default)."
  notifications(chainIds: [String!]): Notification!
}

type Notification {
  chainId: String!
  "NEW_BLOCK or NEW_BUNDLE."
  kind: String!
  height: Int!
  hash: String
  origin: String
}
`

type root struct{ s *Service }

type chainResolver struct {
	s  *Service
	id ids.ChainID
}

func (r *root) Chains(ctx context.Context) ([]*chainResolver, error) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	var out []*chainResolver
	for _, c := range r.s.cfg.Wallet.Chains() {
		out = append(out, &chainResolver{r.s, c.ID})
	}
	return out, nil
}

func (r *root) Chain(ctx context.Context, args struct{ ChainID string }) (*chainResolver, error) {
	id, err := ids.ParseHash(args.ChainID)
	if err != nil {
		return nil, fmt.Errorf("chainId: %w", err)
	}
	return &chainResolver{r.s, id}, nil
}

func (c *chainResolver) ID() string { return c.id.String() }

func (c *chainResolver) Owner() *string {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	tc, err := c.s.cfg.Wallet.Chain(c.id)
	if err != nil || tc.Owner.IsZero() {
		return nil
	}
	o := tc.Owner.String()
	return &o
}

type statusResolver struct {
	height  int32
	balance amount.Amount
	inbox   int32
	closed  bool
}

func (c *chainResolver) status(ctx context.Context) (statusResolver, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	st, err := c.s.cfg.Wallet.Status(ctx, c.id)
	if err != nil {
		return statusResolver{}, err
	}
	if !st.Active {
		return statusResolver{}, fmt.Errorf("chain %s is not active in the local node", c.id.Short())
	}
	return statusResolver{int32(min(st.Height, 1<<31-1)), st.Balance, int32(st.Inbox), st.Closed}, nil
}

func (c *chainResolver) Height(ctx context.Context) (int32, error) {
	st, err := c.status(ctx)
	return st.height, err
}

func (c *chainResolver) Balance(ctx context.Context) (string, error) {
	st, err := c.status(ctx)
	return st.balance.String(), err
}

func (c *chainResolver) Inbox(ctx context.Context) (int32, error) {
	st, err := c.status(ctx)
	return st.inbox, err
}

func (c *chainResolver) Closed(ctx context.Context) (bool, error) {
	st, err := c.status(ctx)
	return st.closed, err
}

type appResolver struct {
	ID, Module, CreatorChain, Link string
}

func (c *chainResolver) Applications(ctx context.Context) ([]*appResolver, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	s := chain.Open(ctx, c.s.cfg.Wallet.Store(), c.id)
	var out []*appResolver
	for _, a := range s.Applications() {
		d, _ := s.Application(a)
		out = append(out, &appResolver{ID: a.String(), Module: d.Module.String(), CreatorChain: d.Creator.String(),
			Link: fmt.Sprintf("/chains/%s/applications/%s", c.id, a)})
	}
	return out, s.Tx.Err()
}

func (r *root) Transfer(ctx context.Context, args struct{ ChainID, Recipient, Amount string }) (string, error) {
	id, err := ids.ParseHash(args.ChainID)
	if err != nil {
		return "", fmt.Errorf("chainId: %w", err)
	}
	to, err := ids.ParseAccount(args.Recipient)
	if err != nil {
		return "", fmt.Errorf("recipient: %w", err)
	}
	a, err := amount.Parse(args.Amount)
	if err != nil {
		return "", fmt.Errorf("amount: %w", err)
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	cert, err := r.s.cfg.Wallet.Transfer(ctx, ids.Account{Chain: id}, to, a)
	if err != nil {
		return "", err
	}
	return cert.Hash().String(), nil
}

func (r *root) ProcessInbox(ctx context.Context, args struct{ ChainID string }) (*string, error) {
	id, err := ids.ParseHash(args.ChainID)
	if err != nil {
		return nil, fmt.Errorf("chainId: %w", err)
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	cert, err := r.s.cfg.Wallet.ProcessInbox(ctx, id)
	if err != nil || cert == nil {
		return nil, err
	}
	h := cert.Hash().String()
	return &h, nil
}

func (r *root) Sync(ctx context.Context, args struct{ ChainID string }) (int32, error) {
	id, err := ids.ParseHash(args.ChainID)
	if err != nil {
		return 0, fmt.Errorf("chainId: %w", err)
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	st, err := r.s.cfg.Wallet.Sync(ctx, id)
	return int32(min(st.Height, 1<<31-1)), err
}

type notificationResolver struct{ n chain.Notification }

func (n notificationResolver) ChainID() string { return n.n.Chain.String() }

func (n notificationResolver) Kind() string {
	if n.n.Kind == chain.NewBlock {
		return "NEW_BLOCK"
	}
	return "NEW_BUNDLE"
}

func (n notificationResolver) Height() int32 { return int32(min(n.n.Height, 1<<31-1)) }

func (n notificationResolver) Hash() *string {
	if n.n.Hash.IsZero() {
		return nil
	}
	h := n.n.Hash.String()
	return &h
}

func (n notificationResolver) Origin() *string {
	if n.n.Origin.IsZero() {
		return nil
	}
	o := n.n.Origin.String()
	return &o
}

func (r *root) Notifications(ctx context.Context, args struct{ ChainIDs *[]string }) (<-chan notificationResolver, error) {
	var filter map[ids.ChainID]bool
	if args.ChainIDs != nil {
		filter = map[ids.ChainID]bool{}
		for _, s := range *args.ChainIDs {
			id, err := ids.ParseHash(s)
			if err != nil {
				return nil, fmt.Errorf("chainIds: %w", err)
			}
			filter[id] = true
		}
	}
	in := r.s.hub.subscribe(ctx)
	out := make(chan notificationResolver)
	go func() {
		defer close(out)
		for n := range in {
			if filter != nil && !filter[n.Chain] {
				continue
			}
			select {
			case out <- notificationResolver{n}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
