package system

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

// Errors of system execution. Callers wrap them with the transaction index.
var (
	ErrUnauthorized      = errors.New("system: not authorized")
	ErrInsufficientFunds = errors.New("system: insufficient funds")
	ErrZeroAmount        = errors.New("system: amount must be positive")
	ErrNotAdmin          = errors.New("system: only the admin chain manages committees")
	ErrBadEpoch          = errors.New("system: bad epoch")
	ErrChainClosed       = errors.New("system: chain is closed")
	ErrInvalid           = errors.New("system: invalid operation")
)

// Context is what an operation or message executes in.
type Context struct {
	Chain     ids.ChainID
	Height    uint64
	Timestamp uint64
	// Signer is the block's authenticated owner.
	Signer ids.Owner
	// MessageSigner is the authenticated signer of the message being
	// executed (zero for operations and unauthenticated messages).
	MessageSigner ids.Owner
	// Outgoing collects the messages sent by the current transaction.
	Outgoing []block.OutgoingMessage
	// ChainsOpened counts the chains opened so far in the block, which
	// numbers the next child chain.
	ChainsOpened uint32
}

func (c *Context) send(to ids.ChainID, kind block.MessageKind, signer ids.Owner, m Message) {
	c.Outgoing = append(c.Outgoing, block.OutgoingMessage{
		Destination: to, Signer: signer, Kind: kind, Message: m.AsBlockMessage(),
	})
}

// Execute runs a system operation of the block's signer.
func (s State) Execute(c *Context, op Operation) error {
	switch op.Kind {
	case OpTransfer:
		return s.transfer(c, op)
	case OpClaim:
		return s.claim(c, op)
	case OpOpenChain:
		return s.openChain(c, op)
	case OpCloseChain:
		s.Tx.Put(keyClosed, nil)
		return nil
	case OpChangeOwnership:
		if err := op.Ownership.Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		s.SetOwnership(op.Ownership)
		return nil
	case OpCreateCommittee, OpRemoveCommittee:
		return s.manageCommittees(c, op)
	case OpPublishBlob, OpCreateApplication:
		return fmt.Errorf("%w: %s is executed by the chain", ErrInvalid, op.Kind)
	}
	return fmt.Errorf("%w: kind %d", ErrInvalid, op.Kind)
}

// debit takes a from owner's account (zero owner: the chain account),
// checking that signer may.
func (s State) debit(owner, signer ids.Owner, a amount.Amount) error {
	if a.IsZero() {
		return ErrZeroAmount
	}
	if owner.IsZero() {
		if own := s.Ownership(); !own.IsOwner(signer) && !own.IsSuperOwner(signer) {
			return fmt.Errorf("%w: %s is not an owner of the chain", ErrUnauthorized, signer.Short())
		}
	} else if owner != signer {
		return fmt.Errorf("%w: %s may not debit %s", ErrUnauthorized, signer.Short(), owner.Short())
	}
	bal := s.OwnerBalance(owner)
	rest, err := bal.Sub(a)
	if err != nil {
		return fmt.Errorf("%w: balance %s, need %s", ErrInsufficientFunds, bal, a)
	}
	s.SetOwnerBalance(owner, rest)
	return nil
}

func (s State) credit(owner ids.Owner, a amount.Amount) error {
	v, err := s.OwnerBalance(owner).Add(a)
	if err != nil {
		return fmt.Errorf("system: credit %s: %w", owner.Short(), err)
	}
	s.SetOwnerBalance(owner, v)
	return nil
}

func (s State) transfer(c *Context, op Operation) error {
	if err := s.debit(op.Owner, c.Signer, op.Amount); err != nil {
		return err
	}
	return s.creditOrSend(c, op.Recipient, op.Owner, op.Amount)
}

// creditOrSend credits a local account directly, or sends a tracked
// credit that bounces back to source if the recipient rejects it.
func (s State) creditOrSend(c *Context, to ids.Account, source ids.Owner, a amount.Amount) error {
	if to.Chain == c.Chain {
		return s.credit(to.Owner, a)
	}
	c.send(to.Chain, block.Tracked, ids.Owner{}, Message{Kind: MsgCredit, Owner: to.Owner, Source: source, Amount: a})
	return nil
}

func (s State) claim(c *Context, op Operation) error {
	if op.Owner != c.Signer || op.Owner.IsZero() {
		return fmt.Errorf("%w: only %s may claim from its account", ErrUnauthorized, op.Owner.Short())
	}
	if op.Amount.IsZero() {
		return ErrZeroAmount
	}
	c.send(op.Target, block.Simple, c.Signer, Message{Kind: MsgWithdraw, Owner: op.Owner, Recipient: op.Recipient, Amount: op.Amount})
	return nil
}

// OpenChild opens a child chain with the given ownership and initial
// balance (debited from the chain account with c.Signer's authority) and
// returns its id.
func (s State) OpenChild(c *Context, own manager.Ownership, balance amount.Amount) (ids.ChainID, error) {
	err := s.openChain(c, Operation{Kind: OpOpenChain, Ownership: own, Amount: balance})
	if err != nil {
		return ids.ChainID{}, err
	}
	return ids.ChildDescription(c.Chain, c.Height, c.ChainsOpened-1).ID(), nil
}

func (s State) openChain(c *Context, op Operation) error {
	if err := op.Ownership.Validate(); err != nil {
		return fmt.Errorf("%w: child ownership: %w", ErrInvalid, err)
	}
	if !op.Amount.IsZero() {
		if err := s.debit(ids.Owner{}, c.Signer, op.Amount); err != nil {
			return err
		}
	}
	desc := ids.ChildDescription(c.Chain, c.Height, c.ChainsOpened)
	c.ChainsOpened++
	child := desc.ID()
	cfg := &Config{
		Description: desc, Ownership: op.Ownership, Balance: op.Amount, Epoch: s.Epoch(),
		Committees: s.Committees(), Admin: s.Admin(), Timestamp: c.Timestamp,
	}
	c.send(child, block.Protected, ids.Owner{}, Message{Kind: MsgOpenChain, Config: cfg})
	c.send(s.Admin(), block.Protected, ids.Owner{}, Message{Kind: MsgSubscribe, Chain: child})
	return nil
}

func (s State) manageCommittees(c *Context, op Operation) error {
	if s.Admin() != c.Chain {
		return ErrNotAdmin
	}
	cs := s.Committees()
	if op.Kind == OpCreateCommittee {
		if op.Epoch != s.Epoch()+1 {
			return fmt.Errorf("%w: new epoch %d, want %d", ErrBadEpoch, op.Epoch, s.Epoch()+1)
		}
		cs = append(cs, EpochCommittee{Epoch: op.Epoch, Committee: op.Committee})
		s.SetEpoch(op.Epoch)
	} else {
		if op.Epoch >= s.Epoch() {
			return fmt.Errorf("%w: cannot remove current epoch %d", ErrBadEpoch, op.Epoch)
		}
		kept := cs[:0:0]
		for _, e := range cs {
			if e.Epoch != op.Epoch {
				kept = append(kept, e)
			}
		}
		if len(kept) == len(cs) {
			return fmt.Errorf("%w: epoch %d is not trusted", ErrBadEpoch, op.Epoch)
		}
		cs = kept
	}
	s.SetCommittees(cs)
	for _, sub := range s.Subscribers() {
		s.sendCommittees(c, sub)
	}
	return nil
}

func (s State) sendCommittees(c *Context, to ids.ChainID) {
	c.send(to, block.Protected, ids.Owner{}, Message{Kind: MsgSetCommittees, Epoch: s.Epoch(), Committees: s.Committees()})
}

// ExecuteMessage runs an accepted incoming system message.
func (s State) ExecuteMessage(c *Context, kind block.MessageKind, m Message) error {
	switch m.Kind {
	case MsgCredit:
		if kind == block.Bouncing {
			return s.credit(m.Source, m.Amount)
		}
		return s.credit(m.Owner, m.Amount)
	case MsgWithdraw:
		if kind == block.Bouncing {
			return nil
		}
		if m.Owner.IsZero() || c.MessageSigner != m.Owner {
			return fmt.Errorf("%w: withdraw not signed by %s", ErrUnauthorized, m.Owner.Short())
		}
		if err := s.debit(m.Owner, m.Owner, m.Amount); err != nil {
			return err
		}
		return s.creditOrSend(c, m.Recipient, ids.Owner{}, m.Amount)
	case MsgOpenChain:
		return nil // applied when the bundle was delivered; see chain.Receive
	case MsgSetCommittees:
		if m.Epoch > s.Epoch() {
			s.SetEpoch(m.Epoch)
		}
		s.SetCommittees(m.Committees)
		return nil
	case MsgSubscribe:
		if s.Admin() != c.Chain {
			return ErrNotAdmin
		}
		s.AddSubscriber(m.Chain)
		s.sendCommittees(c, m.Chain)
		return nil
	}
	return fmt.Errorf("%w: message kind %d", ErrInvalid, m.Kind)
}

// Bounce returns the message to send back when a tracked message is
// rejected, or false if nothing goes back.
func Bounce(origin ids.ChainID, pm block.PostedMessage) (block.OutgoingMessage, bool) {
	if pm.Kind != block.Tracked {
		return block.OutgoingMessage{}, false
	}
	return block.OutgoingMessage{Destination: origin, Signer: pm.Signer, Kind: block.Bouncing, Message: pm.Message}, true
}
