package gqlapi

import (
	"context"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

func (r *root) Transfer(ctx context.Context, args struct{ ChainID, Recipient, Amount string }) (string, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return "", err
	}
	to, err := parseAccount("recipient", args.Recipient)
	if err != nil {
		return "", err
	}
	a, err := parseAmount("amount", &args.Amount)
	if err != nil {
		return "", err
	}
	return r.s.propose(func() (*block.Certificate, error) {
		return r.s.cfg.Wallet.Transfer(ctx, ids.Account{Chain: id}, to, a)
	})
}

type openChainArgs struct {
	ChainID        string
	Owner          *string
	InitialBalance *string
}

func (r *root) OpenChain(ctx context.Context, args openChainArgs) (string, error) {
	parent, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return "", err
	}
	owner, err := parseOwner("owner", args.Owner)
	if err != nil {
		return "", err
	}
	bal, err := parseAmount("initialBalance", args.InitialBalance)
	if err != nil {
		return "", err
	}
	id, err := r.s.openChain(ctx, parent, owner, bal)
	if err != nil {
		return "", err
	}
	r.s.Watch(id)
	return id.String(), nil
}

// openChain opens a chain owned by owner (zero: the wallet's key for the
// parent) and tracks it.
func (s *Service) openChain(ctx context.Context, parent ids.ChainID, owner ids.Owner, bal amount.Amount) (ids.ChainID, error) {
	defer s.exclusive()()
	w := s.cfg.Wallet
	if owner.IsZero() {
		pc, err := w.Chain(parent)
		if err != nil {
			return ids.ChainID{}, err
		}
		owner = pc.Owner // zero for a followed chain: OpenChain says the wallet has no key
	}
	c, cert, err := w.OpenChain(ctx, parent, manager.Single(owner), bal)
	s.announce(cert)
	return c.ID, err
}

func (r *root) CloseChain(ctx context.Context, args struct{ ChainID string }) (string, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return "", err
	}
	return r.s.propose(func() (*block.Certificate, error) { return r.s.cfg.Wallet.CloseChain(ctx, id) })
}

func (r *root) ProcessInbox(ctx context.Context, args struct{ ChainID string }) (*string, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return nil, err
	}
	h, err := r.s.propose(func() (*block.Certificate, error) { return r.s.cfg.Wallet.ProcessInbox(ctx, id) })
	if err != nil || h == "" {
		return nil, err
	}
	return &h, nil
}

func (r *root) FollowChain(ctx context.Context, args struct{ ChainID string }) (*chainResolver, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return nil, err
	}
	if err := r.s.followChain(ctx, id); err != nil {
		return nil, err
	}
	return r.Chain(ctx, args)
}

// followChain tracks chain id (if it is not tracked yet) and watches it.
func (s *Service) followChain(ctx context.Context, id ids.ChainID) error {
	err := func() error {
		defer s.exclusive()()
		if _, err := s.cfg.Wallet.Chain(id); err == nil {
			return nil // tracked already
		}
		_, err := s.cfg.Wallet.Follow(ctx, id, nil)
		return err
	}()
	if err != nil {
		return err
	}
	s.Watch(id)
	return nil
}

func (r *root) Sync(ctx context.Context, args struct{ ChainID string }) (int32, error) {
	id, err := parseHash("chainId", args.ChainID)
	if err != nil {
		return 0, err
	}
	defer r.s.operate()()
	st, err := r.s.cfg.Wallet.Sync(ctx, id)
	return gqlInt(st.Height), err
}

// propose runs an operation that may make a block, announces the block,
// and answers its hash ("" for no block).
func (s *Service) propose(op func() (*block.Certificate, error)) (string, error) {
	defer s.operate()()
	cert, err := op()
	s.announce(cert)
	if err != nil || cert == nil {
		return "", err
	}
	return cert.Hash().String(), nil
}
