package chain

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
)

// Errors of the worker.
var (
	ErrFuture        = errors.New("chain: block timestamp too far in the future")
	ErrMissingBlocks = errors.New("chain: earlier blocks are missing")
	ErrUntrusted     = errors.New("chain: certificate from an epoch the chain does not trust")
	ErrNotVoter      = errors.New("chain: this node has no validator key")
)

// DefaultGrace is how far ahead of a validator's clock a block's timestamp
// may be: 500 ms.
const DefaultGrace = 500_000

// Worker answers requests about the chains stored in one kv.Store: a
// validator's (with Key) or a wallet's local node (without).
//
// A Worker holds no state of its own. Requests for one chain must be
// serialised by the caller (requests for different chains may run in
// parallel), and each request's Effects applied before the next request for
// that chain is handled.
type Worker struct {
	Store kv.Store
	// Key signs votes; nil for nodes that do not vote.
	Key *keys.PrivateKey
	// Grace bounds how far a proposal's timestamp may be ahead of now
	// (microseconds); zero means DefaultGrace.
	Grace uint64
	// Executions, if set, keeps what executing each proposal did, so that
	// its confirmed certificate is applied without executing it again.
	Executions *Executions
	// VM runs user applications (nil: system operations only). Their
	// blobs are read from Store (see BlobPrefix) unless Blobs is set.
	VM    app.VM
	Blobs app.BlobSource
}

// OpenState returns chain id's state with the Worker's application
// environment, for reads and local execution.
func (w *Worker) OpenState(ctx context.Context, id ids.ChainID) *State { return w.open(ctx, id) }

func (w *Worker) open(ctx context.Context, id ids.ChainID) *State {
	s := Open(ctx, w.Store, id)
	s.Env = Env{VM: w.VM, Blobs: w.Blobs}
	if s.Env.Blobs == nil {
		s.Env.Blobs = StoreBlobs{Store: w.Store, Ctx: ctx}
	}
	return s
}

// PutBlobs stores blobs a client uploads before proposing a block that
// publishes or uses them. Blobs are content-addressed, so any node may
// hold any blob; the caller bounds their size and rate.
func (w *Worker) PutBlobs(blobs []app.Blob) *Effects {
	e := &Effects{}
	for _, bl := range blobs {
		PutBlob(&e.Batch, bl)
	}
	return e
}

// Update carries a sender chain's bundles to a recipient chain.
type Update struct {
	Sender, Recipient ids.ChainID
	Bundles           []block.Bundle
}

// Ack confirms that Recipient holds every bundle from Sender up to Height.
type Ack struct {
	Sender, Recipient ids.ChainID
	Height            uint64
}

// NotificationKind is what happened on a chain.
type NotificationKind uint8

// Notification kinds.
const (
	NewBlock NotificationKind = iota
	NewBundle
)

// Notification tells subscribers of a chain what happened on it.
type Notification struct {
	Chain  ids.ChainID
	Kind   NotificationKind
	Height uint64
	Hash   ids.Hash
	// Origin is the sender of a new bundle.
	Origin ids.ChainID
}

// Effects are what the caller must do after a request, in order: make
// Batch durable; only then send the reply (a vote), the Updates and the
// Acks; then publish the Notifications.
type Effects struct {
	Batch         kv.Batch
	Updates       []Update
	Acks          []Ack
	Notifications []Notification
	// AllAcknowledged (HandleAck) says the sender chain's outboxes are now
	// all acknowledged: it owes no recipient anything.
	AllAcknowledged bool
}

func (w *Worker) grace() uint64 {
	if w.Grace == 0 {
		return DefaultGrace
	}
	return w.Grace
}

// HandleProposal checks a proposal, executes it without keeping its
// changes, and votes for it. The vote may be sent only after the Effects'
// batch, which records it, is durable: a validator never signs two
// different blocks for one chain, height and round, even across a crash.
func (w *Worker) HandleProposal(ctx context.Context, p *block.Proposal, now uint64) (block.Vote, *Effects, error) {
	if w.Key == nil {
		return block.Vote{}, nil, ErrNotVoter
	}
	if err := p.Verify(); err != nil {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w", err)
	}
	s := w.open(ctx, p.Block.Chain)
	com, err := s.CheckBlock(&p.Block)
	if err != nil {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w", err)
	}
	m := s.Manager(now)
	if out, err := m.CheckProposal(p); err != nil {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w", err)
	} else if out == manager.Skip {
		v, _, _ := m.PendingVote()
		return v, &Effects{}, nil
	}
	if err := manager.VerifyLocked(p, com); err != nil {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w", err)
	}
	if p.Block.Timestamp > now+w.grace() {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w: %d > %d", ErrFuture, p.Block.Timestamp, now+w.grace())
	}
	s.Tx.Track()
	out, err := s.Execute(&p.Block, ExecOptions{BundlesMustBePresent: true})
	var exec *block.Executed
	if err == nil {
		exec = &block.Executed{Block: p.Block, Outcome: *out}
		w.Executions.remember(s, exec.Hash(), out)
	}
	s.Tx.Tracked() // stop tracking (if remember did not)
	s.Tx.Rollback()
	if err != nil {
		return block.Vote{}, nil, fmt.Errorf("handle proposal: %w", err)
	}
	vote := m.CreateVote(p, exec, w.Key, now)
	e, err := w.saveManager(s, m)
	return vote, e, err
}

func (w *Worker) saveManager(s *State, m *manager.Manager) (*Effects, error) {
	s.SetManager(m)
	e := &Effects{}
	if err := s.Commit(&e.Batch); err != nil {
		return nil, err
	}
	return e, nil
}

// committeeFor returns the trusted committee of epoch e on chain s.
func committeeFor(s *State, e uint32) (*committee.Committee, error) {
	com, ok := s.System.Committees().Get(e)
	if !ok {
		return nil, fmt.Errorf("%w: epoch %d on %s", ErrUntrusted, e, s.ID.Short())
	}
	return com, nil
}

// HandleCertificate processes a certificate. A validated certificate gets
// a confirm vote (send it only after the batch is durable); a confirmed
// one is executed and stored, and its outgoing bundles become Updates; a
// timeout certificate moves the chain's round. A confirmed block already
// stored is accepted again without effect.
func (w *Worker) HandleCertificate(ctx context.Context, c *block.Certificate, now uint64) (*block.Vote, *Effects, error) {
	s := w.open(ctx, c.Value.Chain())
	if !s.Active() {
		return nil, nil, fmt.Errorf("handle %s certificate: %w: %s", c.Value.Kind, ErrInactive, s.ID.Short())
	}
	com, err := committeeFor(s, c.Value.Epoch())
	if err == nil {
		err = c.Verify(com)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("handle %s certificate: %w", c.Value.Kind, err)
	}
	switch c.Value.Kind {
	case block.Confirmed:
		e, err := w.confirm(s, c, now)
		return nil, e, err
	case block.Validated:
		return w.validated(s, c, now)
	default:
		m := s.Manager(now)
		if !m.HandleTimeout(c, now) {
			return nil, &Effects{}, nil
		}
		e, err := w.saveManager(s, m)
		return nil, e, err
	}
}

func (w *Worker) validated(s *State, c *block.Certificate, now uint64) (*block.Vote, *Effects, error) {
	if w.Key == nil {
		return nil, nil, ErrNotVoter
	}
	m := s.Manager(now)
	out, err := m.CheckValidated(c)
	if err != nil {
		return nil, nil, fmt.Errorf("handle validated certificate: %w", err)
	}
	if out == manager.Skip {
		v, _, _ := m.PendingVote()
		return &v, &Effects{}, nil
	}
	v := m.CreateFinalVote(c, w.Key, now)
	e, err := w.saveManager(s, m)
	return &v, e, err
}

func (w *Worker) confirm(s *State, c *block.Certificate, now uint64) (*Effects, error) {
	h, next := c.Value.Height(), s.Tip().NextHeight
	if h < next {
		return &Effects{}, nil
	}
	if h > next {
		return nil, fmt.Errorf("handle confirmed certificate: %w: have %d, got %d", ErrMissingBlocks, next, h)
	}
	recipients, err := s.applyConfirmed(c, now, w.Executions)
	if err != nil {
		return nil, fmt.Errorf("handle confirmed certificate: %w", err)
	}
	hash := c.Hash()
	e := &Effects{Notifications: []Notification{{Chain: s.ID, Kind: NewBlock, Height: h, Hash: hash}}}
	for _, bl := range s.created {
		PutBlob(&e.Batch, bl)
	}
	memo := certMemo{h: {cert: c, hash: hash}}
	for _, r := range recipients {
		e.Updates = append(e.Updates, Update{Sender: s.ID, Recipient: r, Bundles: s.bundlesFor(r, memo)})
	}
	if err := s.Commit(&e.Batch); err != nil {
		return nil, err
	}
	return e, nil
}

// HandleUpdate delivers bundles to the recipient's inbox and acknowledges
// them. Repeated deliveries are acknowledged again without effect.
func (w *Worker) HandleUpdate(ctx context.Context, u *Update) (*Effects, error) {
	return w.handleUpdate(ctx, u, (*State).Receive)
}

// HandlePending is HandleUpdate for a light node (a wallet) that delivers
// the bundles validators report as waiting in the recipient's inbox,
// rather than the sender's whole outbox (State.ReceivePending).
func (w *Worker) HandlePending(ctx context.Context, u *Update) (*Effects, error) {
	return w.handleUpdate(ctx, u, (*State).ReceivePending)
}

func (w *Worker) handleUpdate(ctx context.Context, u *Update, receive func(*State, ids.ChainID, []block.Bundle) (uint64, error)) (*Effects, error) {
	s := w.open(ctx, u.Recipient)
	before := s.Tip()
	_, err := receive(s, u.Sender, u.Bundles)
	if err != nil {
		return nil, fmt.Errorf("handle update from %s: %w", u.Sender.Short(), err)
	}
	e := &Effects{}
	if len(u.Bundles) > 0 {
		e.Acks = []Ack{{Sender: u.Sender, Recipient: u.Recipient, Height: u.Bundles[len(u.Bundles)-1].Height}}
	}
	if err := s.Commit(&e.Batch); err != nil {
		return nil, err
	}
	if e.Batch.Len() > 0 { // a repeated delivery changes nothing: no news
		n := Notification{Chain: u.Recipient, Kind: NewBundle, Height: before.NextHeight, Origin: u.Sender}
		e.Notifications = append(e.Notifications, n)
	}
	return e, nil
}

// HandleAck drops acknowledged blocks from the sender's outbox, and says
// whether the sender still owes anything (Effects.AllAcknowledged).
func (w *Worker) HandleAck(ctx context.Context, a *Ack) (*Effects, error) {
	s := w.open(ctx, a.Sender)
	s.Acknowledge(a.Recipient, a.Height)
	e := &Effects{}
	e.AllAcknowledged = s.outbox(a.Recipient).Len() == 0 && s.OwesNothing()
	if err := s.Commit(&e.Batch); err != nil {
		return nil, err
	}
	return e, nil
}

// PendingUpdates re-derives the updates a chain still owes its
// recipients, for retries after a restart or a lost acknowledgement.
func (w *Worker) PendingUpdates(ctx context.Context, id ids.ChainID) ([]Update, error) {
	s := w.open(ctx, id)
	var out []Update
	memo := certMemo{}
	for _, r := range s.PendingOutboxes() {
		out = append(out, Update{Sender: id, Recipient: r, Bundles: s.bundlesFor(r, memo)})
	}
	return out, s.Tx.Err()
}

// RequestTimeout signs a timeout vote for the chain's current round if its
// timeout has passed. Send the vote only after the batch is durable.
func (w *Worker) RequestTimeout(ctx context.Context, id ids.ChainID, h uint64, now uint64) (block.Vote, *Effects, error) {
	if w.Key == nil {
		return block.Vote{}, nil, ErrNotVoter
	}
	s := w.open(ctx, id)
	if !s.Active() {
		return block.Vote{}, nil, fmt.Errorf("request timeout: %w", ErrInactive)
	}
	m := s.Manager(now)
	if m.Height() != h {
		return block.Vote{}, nil, fmt.Errorf("request timeout: %w: at %d, asked %d", ErrWrongHeight, m.Height(), h)
	}
	v, ok := m.VoteTimeout(s.System.Epoch(), now, w.Key)
	if !ok {
		return block.Vote{}, nil, fmt.Errorf("request timeout: round %s has not timed out (until %d, now %d)", m.CurrentRound(), m.RoundTimeout(), now)
	}
	e, err := w.saveManager(s, m)
	return v, e, err
}

// Info is what a node tells about a chain.
type Info struct {
	Chain        ids.ChainID
	Active       bool
	Epoch        uint32
	Tip          Tip
	Ownership    manager.Ownership
	Round        block.Round
	RoundTimeout uint64
	// Locked is the validated certificate the chain's round is locked on.
	Locked *block.Certificate
	// Proposal is the proposal this validator accepted in the current
	// round, if any: a client proposing a different block must use a later
	// round.
	Proposal *block.Proposal
	// Pending lists the inbox's bundles not yet taken, in order per sender.
	Pending []block.IncomingBundle
}

// Info describes chain id as this node stores it.
func (w *Worker) Info(ctx context.Context, id ids.ChainID, now uint64) (*Info, error) {
	s := w.open(ctx, id)
	in := &Info{Chain: id, Active: s.Active()}
	if in.Active {
		m := s.Manager(now)
		in.Epoch, in.Tip, in.Ownership = s.System.Epoch(), s.Tip(), s.System.Ownership()
		in.Round, in.RoundTimeout, in.Locked = m.CurrentRound(), m.RoundTimeout(), m.Locked()
		in.Proposal = m.Proposal()
	}
	in.Pending = s.PendingBundles()
	return in, s.Tx.Err()
}
