package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/wallet"
)

type balanceView struct {
	Chain   ids.ChainID   `json:"chain"`
	Owner   ids.Owner     `json:"owner,omitzero"`
	Balance amount.Amount `json:"balance"`
}

func (b balanceView) text(w io.Writer) { fmt.Fprintln(w, b.Balance) }

func balanceCmd(query bool) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		arg, err := optional(args)
		if err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			a, err := accountArg(s.Wallet, arg)
			if err != nil {
				return nil, err
			}
			get := s.Balance
			if query {
				get = s.QueryBalance
			}
			bal, err := get(ctx, a)
			return balanceView{a.Chain, a.Owner, bal}, err
		})
	}
}

func cmdBalance(*flag.FlagSet) runner      { return balanceCmd(false) }
func cmdQueryBalance(*flag.FlagSet) runner { return balanceCmd(true) }

type statusView struct {
	Chain   ids.ChainID   `json:"chain"`
	Height  uint64        `json:"height"`
	Balance amount.Amount `json:"balance"`
	Inbox   int           `json:"inbox"`
	Closed  bool          `json:"closed,omitzero"`
}

func (v statusView) text(w io.Writer) {
	fmt.Fprintf(w, "chain %s: height %d, balance %s, %d incoming bundles waiting\n", v.Chain, v.Height, v.Balance, v.Inbox)
}

func cmdSync(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		arg, err := optional(args)
		if err != nil {
			return nil, err
		}
		return withChain(ctx, e, arg, func(s *session, id ids.ChainID) (result, error) {
			st, err := s.Sync(ctx, id)
			return statusView{id, st.Height, st.Balance, st.Inbox, st.Closed}, err
		})
	}
}

// blockView is a block the command made.
type blockView struct {
	Chain  ids.ChainID `json:"chain"`
	Height uint64      `json:"height"`
	Hash   ids.Hash    `json:"hash"`
	What   string      `json:"what"`
}

func (b blockView) text(w io.Writer) {
	fmt.Fprintf(w, "%s: block %d of %s confirmed (%s)\n", b.What, b.Height, b.Chain, b.Hash.Short())
}

func viewBlock(what string, c *block.Certificate) blockView {
	return blockView{c.Value.Chain(), c.Value.Height(), c.Hash(), what}
}

type inboxView struct {
	Chain   ids.ChainID `json:"chain"`
	Bundles int         `json:"bundles"`
	Block   *blockView  `json:"block"`
}

func (v inboxView) text(w io.Writer) {
	if v.Block == nil {
		fmt.Fprintf(w, "nothing to process on %s\n", v.Chain)
		return
	}
	v.Block.text(w)
}

func cmdProcessInbox(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		arg, err := optional(args)
		if err != nil {
			return nil, err
		}
		return withChain(ctx, e, arg, func(s *session, id ids.ChainID) (result, error) {
			return processInbox(ctx, s, id)
		})
	}
}

func processInbox(ctx context.Context, s *session, id ids.ChainID) (inboxView, error) {
	cert, err := s.ProcessInbox(ctx, id)
	if err != nil || cert == nil {
		return inboxView{Chain: id}, err
	}
	n := len(cert.Value.Block.Block.Transactions)
	b := viewBlock(fmt.Sprintf("took %d incoming bundles", n), cert)
	return inboxView{Chain: id, Bundles: n, Block: &b}, nil
}

type transferView struct {
	From   string        `json:"from"` // CHAIN[:OWNER]
	To     string        `json:"to"`
	Amount amount.Amount `json:"amount"`
	Block  blockView     `json:"block"`
}

func (t transferView) text(w io.Writer) {
	fmt.Fprintf(w, "sent %s from %s to %s in block %d\n", t.Amount, t.From[:8], t.To[:8], t.Block.Height)
}

func cmdTransfer(fs *flag.FlagSet) runner {
	from := fs.String("from", "", "source account CHAIN[:OWNER] (default: the default chain's account)")
	to := fs.String("to", "", "recipient account CHAIN[:OWNER] (required)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "AMOUNT"); err != nil {
			return nil, err
		}
		a, err := amountArg(args[0])
		if err != nil {
			return nil, err
		}
		if *to == "" {
			return nil, usageErrorf("missing --to CHAIN[:OWNER]")
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			src, err := accountArg(s.Wallet, *from)
			if err != nil {
				return nil, err
			}
			dst, err := accountArg(s.Wallet, *to)
			if err != nil {
				return nil, err
			}
			cert, err := s.Transfer(ctx, src, dst, a)
			if err != nil {
				return nil, err
			}
			return transferView{src.String(), dst.String(), a, viewBlock("transfer", cert)}, nil
		})
	}
}

type openView struct {
	Chain chainView `json:"chain"`
	Block blockView `json:"block"`
}

func (o openView) text(w io.Writer) {
	fmt.Fprintf(w, "opened chain %s\n", o.Chain.ID)
	o.Block.text(w)
}

// parentFlags registers the flags shared by the commands that open chains.
func parentFlags(fs *flag.FlagSet) (from, balance *string) {
	from = fs.String("from", "", "parent chain, which pays the initial balance (default: the default chain)")
	balance = fs.String("initial-balance", "0", "tokens moved from the parent to the new chain")
	return from, balance
}

func openChain(ctx context.Context, s *session, from, balance string, own func(parent wallet.Chain) (manager.Ownership, error)) (result, error) {
	bal, err := amountArg(balance)
	if err != nil {
		return nil, err
	}
	parent, err := chainArg(s.Wallet, from)
	if err != nil {
		return nil, err
	}
	pc, err := s.Chain(parent)
	if err != nil {
		return nil, err
	}
	o, err := own(pc)
	if err != nil {
		return nil, err
	}
	c, cert, err := s.OpenChain(ctx, parent, o, bal)
	if err != nil {
		return nil, err
	}
	cv, err := viewChain(ctx, s, c)
	return openView{cv, viewBlock("open chain", cert)}, err
}

func cmdOpenChain(fs *flag.FlagSet) runner {
	from, balance := parentFlags(fs)
	owner := fs.String("owner", "", "owner of the new chain (default: the parent chain's owner in this wallet)")
	super := fs.Bool("super", false, "make the owner a super owner: one-phase fast blocks (a key used from two devices at once can stall the chain)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			return openChain(ctx, s, *from, *balance, func(parent wallet.Chain) (manager.Ownership, error) {
				o := parent.Owner
				if *owner != "" {
					var err error
					if o, err = ownerArg(*owner); err != nil {
						return manager.Ownership{}, err
					}
				}
				if *super {
					return manager.SingleSuper(o), nil
				}
				return manager.Single(o), nil
			})
		})
	}
}

func cmdOpenMultiOwnerChain(fs *flag.FlagSet) runner {
	from, balance := parentFlags(fs)
	owners := fs.String("owners", "", "comma-separated owners of the new chain (required)")
	rounds := fs.Uint("multi-leader-rounds", manager.DefaultMultiLeaderRounds, "rounds in which every owner may propose, before owners take turns")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		list, err := ownersArg(*owners)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, usageErrorf("missing --owners OWNER,…")
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			return openChain(ctx, s, *from, *balance, func(wallet.Chain) (manager.Ownership, error) {
				return manager.Multi(list, uint32(*rounds)), nil
			})
		})
	}
}

func cmdChangeOwnership(fs *flag.FlagSet) runner {
	chainFlag := fs.String("chain", "", "the chain (default: the default chain)")
	owners := fs.String("owners", "", "comma-separated regular owners: two-phase blocks, multi-leader rounds")
	supers := fs.String("super-owners", "", "comma-separated super owners: one-phase fast blocks")
	rounds := fs.Uint("multi-leader-rounds", manager.DefaultMultiLeaderRounds, "rounds in which every owner may propose, before owners take turns")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		regular, err := ownersArg(*owners)
		if err != nil {
			return nil, err
		}
		super, err := ownersArg(*supers)
		if err != nil {
			return nil, err
		}
		if len(regular)+len(super) == 0 {
			return nil, usageErrorf("give --owners, --super-owners or both")
		}
		own := manager.Multi(regular, uint32(*rounds))
		own.SuperOwners = sortedOwners(super)
		return withChain(ctx, e, *chainFlag, func(s *session, id ids.ChainID) (result, error) {
			cert, err := s.ChangeOwnership(ctx, id, own)
			if err != nil {
				return nil, err
			}
			return viewBlock("change ownership", cert), nil
		})
	}
}

func cmdCloseChain(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "CHAIN"); err != nil {
			return nil, err
		}
		return withChain(ctx, e, args[0], func(s *session, id ids.ChainID) (result, error) {
			cert, err := s.CloseChain(ctx, id)
			if err != nil {
				return nil, err
			}
			return viewBlock("close chain", cert), nil
		})
	}
}
