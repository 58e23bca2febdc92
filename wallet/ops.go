package wallet

import (
	"context"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// Status is what the local node knows about a chain.
type Status struct {
	Chain     ids.ChainID
	Active    bool
	Height    uint64 // the next block's height
	Balance   amount.Amount
	Closed    bool
	Ownership manager.Ownership
	// Inbox is the number of incoming bundles not yet taken.
	Inbox int
	// Pending is the block being proposed, if a proposal was interrupted.
	Pending *block.Block
}

// Status reads chain id's state in the local node.
func (w *Wallet) Status(ctx context.Context, id ids.ChainID) (Status, error) {
	s := chain.Open(ctx, w.cfg.Store, id)
	st := Status{Chain: id, Active: s.Active()}
	if st.Active {
		st.Height, st.Balance, st.Closed = s.Tip().NextHeight, s.System.Balance(), s.System.Closed()
		st.Ownership, st.Inbox = s.System.Ownership(), len(s.PendingBundles())
	}
	if err := s.Tx.Err(); err != nil {
		return st, fmt.Errorf("wallet: read %s: %w", id.Short(), err)
	}
	c := &client.Client{Chain: id, Local: w.worker()}
	var err error
	st.Pending, err = c.Pending(ctx)
	return st, err
}

// Sync downloads chain id's new blocks and its waiting incoming bundles
// from the validators into the local node, finishing first a block whose
// proposal was interrupted. The chain must be active locally (Follow).
func (w *Wallet) Sync(ctx context.Context, id ids.ChainID) (Status, error) {
	c, err := w.Client(ctx, id)
	if err != nil {
		return Status{}, err
	}
	if err := reachable(ctx, c); err != nil {
		return Status{}, err
	}
	if err := w.activate(ctx, c, w.description(id)); err != nil {
		return Status{}, err
	}
	if err := w.sync(ctx, c); err != nil {
		return Status{}, err
	}
	if _, err := c.PendingBundles(ctx); err != nil {
		return Status{}, err
	}
	return w.Status(ctx, id)
}

// reachable returns ErrUnreachable if no validator answers about the
// client's chain: the client's synchronisation, which skips validators
// that fail, would otherwise report stale local state as fresh.
func reachable(ctx context.Context, c *client.Client) error {
	var last error
	for _, n := range c.Validators {
		_, err := n.ChainInfo(ctx, c.Chain)
		if err == nil {
			return nil
		}
		last = err
	}
	return fmt.Errorf("%w: %w", ErrUnreachable, last)
}

func (w *Wallet) description(id ids.ChainID) *ids.Description {
	if tc := w.doc.chain(id); tc != nil {
		return &tc.Description.Description
	}
	return nil
}

// sync brings the local node up to date and, if the wallet can sign for
// the chain, finishes an interrupted proposal.
func (w *Wallet) sync(ctx context.Context, c *client.Client) error {
	if err := c.Sync(ctx); err != nil {
		return err
	}
	if c.Key == nil {
		return nil
	}
	cert, err := c.RetryPending(ctx)
	if cert != nil {
		w.cfg.Logger.Info("finished interrupted block", "chain", c.Chain.Short(), "height", cert.Value.Height())
	}
	return err
}

// Execute proposes a block of ops on chain id and returns its certificate.
// The block is stored before it is sent: if the proposal is interrupted,
// the next command on the chain proposes the same block again.
func (w *Wallet) Execute(ctx context.Context, id ids.ChainID, ops ...block.Operation) (*block.Certificate, error) {
	c, err := w.signer(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := w.sync(ctx, c); err != nil {
		return nil, err
	}
	txs := make([]block.Transaction, len(ops))
	for i := range ops {
		txs[i] = block.Transaction{Operation: &ops[i]}
	}
	return propose(ctx, c, txs)
}

// ProcessInbox takes chain id's waiting incoming bundles into a block (on
// a closed chain: rejects them). It returns nil, nil if none was waiting.
func (w *Wallet) ProcessInbox(ctx context.Context, id ids.ChainID) (*block.Certificate, error) {
	c, err := w.signer(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := w.sync(ctx, c); err != nil {
		return nil, err
	}
	txs, err := c.InboxTransactions(ctx)
	if err != nil || len(txs) == 0 {
		return nil, err
	}
	return propose(ctx, c, txs)
}

// Transfer moves a from an account of a chain the wallet owns (zero
// owner: the chain's own account) to any account.
func (w *Wallet) Transfer(ctx context.Context, from, to ids.Account, a amount.Amount) (*block.Certificate, error) {
	return w.Execute(ctx, from.Chain, system.Transfer(from.Owner, to, a))
}

// OpenChain has parent open a chain with ownership own and initial
// balance bal (taken from the parent's chain account). The new chain is
// created in the local node and tracked, with the wallet's key if one of
// them owns it.
func (w *Wallet) OpenChain(ctx context.Context, parent ids.ChainID, own manager.Ownership, bal amount.Amount) (Chain, *block.Certificate, error) {
	op := system.Operation{Kind: system.OpOpenChain, Ownership: own, Amount: bal}
	cert, err := w.Execute(ctx, parent, op.AsBlockOperation())
	if err != nil {
		return Chain{}, nil, err
	}
	desc := ids.ChildDescription(parent, cert.Value.Height(), 0)
	c, err := w.Follow(ctx, desc.ID(), &desc)
	return c, cert, err
}

// ChangeOwnership replaces the ownership of chain id.
func (w *Wallet) ChangeOwnership(ctx context.Context, id ids.ChainID, own manager.Ownership) (*block.Certificate, error) {
	op := system.Operation{Kind: system.OpChangeOwnership, Ownership: own}
	cert, err := w.Execute(ctx, id, op.AsBlockOperation())
	if err != nil {
		return nil, err
	}
	tc := w.doc.chain(id)
	tc.Owner = w.ownerKey(own)
	return cert, w.Save()
}

// CloseChain closes chain id: it can then only reject incoming messages.
func (w *Wallet) CloseChain(ctx context.Context, id ids.ChainID) (*block.Certificate, error) {
	op := system.Operation{Kind: system.OpCloseChain}
	return w.Execute(ctx, id, op.AsBlockOperation())
}

// Balance returns an account's balance in the local node, without asking
// the validators.
func (w *Wallet) Balance(ctx context.Context, acct ids.Account) (amount.Amount, error) {
	s := chain.Open(ctx, w.cfg.Store, acct.Chain)
	if !s.Active() {
		return amount.Zero, fmt.Errorf("%w: %s is not in the local node", ErrUnknownChain, acct.Chain)
	}
	bal := s.System.OwnerBalance(acct.Owner)
	return bal, s.Tx.Err()
}

// QueryBalance synchronises the account's chain from the validators and
// returns its balance as it will be once the waiting incoming bundles are
// taken.
func (w *Wallet) QueryBalance(ctx context.Context, acct ids.Account) (amount.Amount, error) {
	if _, err := w.Sync(ctx, acct.Chain); err != nil {
		return amount.Zero, err
	}
	s := chain.Open(ctx, w.cfg.Store, acct.Chain)
	pending := s.PendingBundles()
	if len(pending) == 0 || s.System.Closed() {
		return w.Balance(ctx, acct)
	}
	tip := s.Tip()
	b := block.Block{Chain: acct.Chain, Epoch: s.System.Epoch(), Height: tip.NextHeight,
		Timestamp: max(w.cfg.Now(), tip.Timestamp), Previous: tip.Hash, Signer: anOwner(s.System.Ownership())}
	for i := range pending {
		b.Transactions = append(b.Transactions, block.Transaction{Bundle: &pending[i]})
	}
	if _, err := s.Execute(&b, chain.ExecOptions{}); err != nil {
		return amount.Zero, fmt.Errorf("wallet: stage incoming bundles of %s: %w", acct.Chain.Short(), err)
	}
	bal := s.System.OwnerBalance(acct.Owner)
	s.Tx.Rollback()
	return bal, s.Tx.Err()
}

// anOwner returns an owner that may propose on a chain, to sign a block
// that is only staged, never sent.
func anOwner(own manager.Ownership) ids.Owner {
	if len(own.SuperOwners) > 0 {
		return own.SuperOwners[0]
	}
	if len(own.Owners) > 0 {
		return own.Owners[0].Owner
	}
	return ids.Owner{}
}
