package chain

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
)

// Errors of block checks and execution.
var (
	ErrInactive          = errors.New("chain: chain is not active here")
	ErrWrongHeight       = errors.New("chain: wrong block height")
	ErrWrongPrevious     = errors.New("chain: wrong previous block hash")
	ErrWrongEpoch        = errors.New("chain: wrong epoch")
	ErrTimestamp         = errors.New("chain: timestamp earlier than the previous block")
	ErrTooLarge          = errors.New("chain: block too large")
	ErrNotOwner          = errors.New("chain: block signer is not an owner")
	ErrClosed            = errors.New("chain: closed chain may only reject incoming messages")
	ErrUnknownApp        = errors.New("chain: unknown application")
	ErrBundleOrder       = errors.New("chain: incoming bundle taken out of order")
	ErrBundleNotReceived = errors.New("chain: incoming bundle not received from its sender")
	ErrBundleMismatch    = errors.New("chain: incoming bundle differs from the one sent")
	ErrUnskippable       = errors.New("chain: an earlier bundle may not be skipped")
	ErrRejectProtected   = errors.New("chain: protected message cannot be rejected")
	ErrInsufficientFees  = errors.New("chain: chain balance cannot pay the block's fees")
	ErrEmptyBlock        = errors.New("chain: block has no transactions")
)

// ExecOptions say how strictly to check incoming bundles.
type ExecOptions struct {
	// BundlesMustBePresent requires every incoming bundle to have been
	// delivered to this node already (validators voting on a proposal).
	// Confirmed blocks may take bundles before delivery; the later
	// delivery must then match.
	BundlesMustBePresent bool
	// OnRun, if set, is told of every application entry point the block
	// runs, in order, synchronous calls between applications included (a
	// wallet shows them before it signs). It must not touch the state.
	OnRun func(id ids.ApplicationID, e app.Entry)
}

// CheckBlock checks a block against the chain's tip and committees without
// executing it.
func (s *State) CheckBlock(b *block.Block) (*committee.Committee, error) {
	if !s.Active() {
		return nil, fmt.Errorf("%w: %s", ErrInactive, s.ID.Short())
	}
	tip := s.Tip()
	if b.Height != tip.NextHeight {
		return nil, fmt.Errorf("%w: %d, expected %d", ErrWrongHeight, b.Height, tip.NextHeight)
	}
	if b.Previous != tip.Hash {
		return nil, fmt.Errorf("%w: %s, expected %s", ErrWrongPrevious, b.Previous.Short(), tip.Hash.Short())
	}
	if b.Timestamp < tip.Timestamp {
		return nil, fmt.Errorf("%w: %d < %d", ErrTimestamp, b.Timestamp, tip.Timestamp)
	}
	if e := s.System.Epoch(); b.Epoch != e {
		return nil, fmt.Errorf("%w: block epoch %d, chain epoch %d", ErrWrongEpoch, b.Epoch, e)
	}
	com, ok := s.System.Committee()
	if !ok {
		return nil, fmt.Errorf("%w: no committee for epoch %d", ErrWrongEpoch, b.Epoch)
	}
	if len(b.Transactions) == 0 {
		return nil, ErrEmptyBlock
	}
	if n := len(codec.Marshal(b)); uint64(n) > com.Policy.MaxBlockSize || len(b.Transactions) > int(com.Policy.MaxBlockTxs) {
		return nil, fmt.Errorf("%w: %d bytes, %d transactions", ErrTooLarge, n, len(b.Transactions))
	}
	if own := s.System.Ownership(); !own.IsOwner(b.Signer) && !own.IsSuperOwner(b.Signer) {
		return nil, fmt.Errorf("%w: %s", ErrNotOwner, b.Signer.Short())
	}
	return com, s.Tx.Err()
}

// Execute runs b on the chain's state and returns its outcome. The changes
// stay in the Tx: the caller commits them (ApplyConfirmed) or rolls back.
// A block fails as a whole: on error the caller must roll back.
func (s *State) Execute(b *block.Block, opts ExecOptions) (*block.Outcome, error) {
	com, err := s.CheckBlock(b)
	if err != nil {
		return nil, err
	}
	fees := feeMeter{state: s, policy: &com.Policy}
	if err := fees.charge(com.Policy.Block, 1); err != nil {
		return nil, err
	}
	out := &block.Outcome{}
	sc := &system.Context{Chain: s.ID, Height: b.Height, Timestamp: b.Timestamp, Signer: b.Signer}
	s.created = nil
	x := s.newExecution(b, sc, &fees)
	x.onRun = opts.OnRun
	for i, t := range b.Transactions {
		sc.Outgoing, x.events, x.results = nil, nil, nil
		if err := s.executeTx(x, &t, opts); err != nil {
			return nil, &TxError{Index: i, Err: err}
		}
		if err := x.chargeFuel(); err != nil {
			return nil, &TxError{Index: i, Err: err}
		}
		for _, m := range sc.Outgoing {
			if err := fees.chargeMessage(m); err != nil {
				return nil, &TxError{Index: i, Err: err}
			}
		}
		out.Messages = append(out.Messages, sc.Outgoing)
		out.Events = append(out.Events, x.events)
		out.Results = append(out.Results, x.results)
	}
	out.Fees = fees.total
	out.Fuel = x.burnt
	out.StateHash = s.hashState()
	if err := s.Tx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *State) executeTx(x *execution, t *block.Transaction, opts ExecOptions) error {
	sc, fees := x.sc, x.fees
	if t.Bundle != nil {
		return s.executeBundle(x, t.Bundle, opts)
	}
	op := t.Operation
	if s.System.Closed() {
		return ErrClosed
	}
	if err := fees.charge(fees.policy.Operation, 1); err != nil {
		return err
	}
	if err := fees.charge(fees.policy.OperationByte, uint64(len(op.Bytes))); err != nil {
		return err
	}
	sc.MessageSigner = ids.Owner{}
	if !op.IsSystem() {
		res, err := x.operation(op)
		x.results = res
		return err
	}
	sop, err := system.DecodeOperation(op.Bytes)
	if err != nil {
		return err
	}
	switch sop.Kind {
	case system.OpPublishBlob:
		return x.publish(sop.Blob)
	case system.OpCreateApplication:
		id, err := x.createApplication(sop.Create, x.b.Signer, ids.ApplicationID{})
		x.results = id[:]
		return err
	}
	return s.System.Execute(sc, sop)
}

func (s *State) executeBundle(x *execution, ib *block.IncomingBundle, opts ExecOptions) error {
	sc := x.sc
	if err := s.takeBundle(ib.Origin, &ib.Bundle, opts.BundlesMustBePresent); err != nil {
		return err
	}
	if ib.Action == block.Reject {
		// A closed chain can accept nothing, so it may reject even
		// protected messages (such as its own OpenChain or later
		// committee changes); otherwise they would block its inbox for
		// good and no tracked credit behind them could bounce.
		closed := s.System.Closed()
		for _, pm := range ib.Bundle.Messages {
			if pm.Kind == block.Protected && !closed {
				return fmt.Errorf("%w: message %d", ErrRejectProtected, pm.Index)
			}
			if m, ok := system.Bounce(ib.Origin, pm); ok {
				sc.Outgoing = append(sc.Outgoing, m)
			}
		}
		return nil
	}
	if s.System.Closed() && !OnlyBounces(&ib.Bundle) {
		return ErrClosed
	}
	for _, pm := range ib.Bundle.Messages {
		if err := s.executeMessage(x, ib.Origin, &pm); err != nil {
			return fmt.Errorf("message %d from %s: %w", pm.Index, ib.Origin.Short(), err)
		}
	}
	return nil
}

func (s *State) executeMessage(x *execution, origin ids.ChainID, pm *block.PostedMessage) error {
	sc := x.sc
	if !pm.Message.IsSystem() {
		return x.message(origin, pm)
	}
	m, err := system.DecodeMessage(pm.Message.Bytes)
	if err != nil {
		return err
	}
	sc.MessageSigner = pm.Signer
	return s.System.ExecuteMessage(sc, pm.Kind, m)
}

// hashState folds the execution state's pending changes into the stored
// LtHash and returns the state hash.
func (s *State) hashState() ids.Hash {
	l := s.ltHash()
	l.Apply([]byte(system.HashedPrefix), s.Tx.Changes())
	// The LtHash itself is not under the hashed prefix; store the new one
	// so a commit persists it. Recomputing over the same overlay later is
	// idempotent because Changes compares against committed values.
	s.Tx.Put(keyLtHash, l.Bytes())
	return l.Sum()
}

// feeMeter charges a block's fees to the chain account as it executes.
type feeMeter struct {
	state  *State
	policy *committee.Policy
	total  amount.Amount
}

func (f *feeMeter) charge(price amount.Amount, units uint64) error {
	if price.IsZero() || units == 0 {
		return nil
	}
	fee, err := price.MulUint(units)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInsufficientFees, err)
	}
	bal := f.state.System.Balance()
	rest, err := bal.Sub(fee)
	if err != nil {
		return fmt.Errorf("%w: balance %s, fee %s", ErrInsufficientFees, bal, fee)
	}
	f.state.System.SetBalance(rest)
	f.total, _ = f.total.Add(fee)
	return nil
}

func (f *feeMeter) chargeMessage(m block.OutgoingMessage) error {
	if err := f.charge(f.policy.Message, 1); err != nil {
		return err
	}
	return f.charge(f.policy.MessageByte, uint64(len(m.Message.Bytes)))
}

// OnlyBounces reports whether every message of b is a bounce: a closed
// chain accepts such bundles, so returned tokens are kept, not burned
// (nothing bounces a bounce).
func OnlyBounces(b *block.Bundle) bool {
	for _, pm := range b.Messages {
		if pm.Kind != block.Bouncing {
			return false
		}
	}
	return len(b.Messages) > 0
}

// TxError is the failure of one transaction of a block; the whole block
// fails with it.
type TxError struct {
	Index int
	Err   error
}

func (e *TxError) Error() string { return fmt.Sprintf("transaction %d: %v", e.Index, e.Err) }

// Unwrap returns the transaction's error.
func (e *TxError) Unwrap() error { return e.Err }
