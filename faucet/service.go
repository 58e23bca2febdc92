package faucet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	client "github.com/myriadchain/myriad/node-client"
)

// Errors of the faucet. Callers branch with errors.Is; the messages are
// meant for the claimant.
var (
	// ErrRateLimited: the address claimed too often (see RateLimitError).
	ErrRateLimited = errors.New("faucet: too many claims from this address")
	// ErrAlreadyClaimed: the owner holds as many faucet chains as allowed.
	ErrAlreadyClaimed = errors.New("faucet: this owner has already claimed its chain")
	// ErrDry: the faucet chain's balance cannot fund the claim.
	ErrDry = errors.New("faucet: the faucet is dry")
	// ErrUnreachable: too few validators answered to confirm the block.
	ErrUnreachable = errors.New("faucet: validators unreachable (quorum missing)")
	// ErrInvalidOwner: the owner is not 64 hex digits, or is zero.
	ErrInvalidOwner = errors.New("faucet: invalid owner")
	// ErrClosed: the Service was closed.
	ErrClosed = errors.New("faucet: closed")
)

// RateLimitError is returned when an address has spent its claims; it
// wraps ErrRateLimited. RetryAfter says when the next claim is allowed.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%v: retry in %s", ErrRateLimited, e.RetryAfter.Round(time.Second))
}

// Unwrap lets errors.Is match ErrRateLimited.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// RateLimit is a token bucket per remote address: Burst claims at once,
// then one per Every.
type RateLimit struct {
	// Every is the time to earn one claim back; 0 means one minute, a
	// negative value turns rate limiting off.
	Every time.Duration
	// Burst is the bucket's size; 0 means 5.
	Burst int
}

// Options configures a Service. Amount is required; every other field has
// a default.
type Options struct {
	// Amount is the balance of each new chain, taken from the faucet chain.
	Amount amount.Amount
	// PerOwner is how many chains one owner may get; 0 means 1, a negative
	// value means no limit.
	PerOwner int
	// RateLimit limits claims per remote address.
	RateLimit RateLimit
	// MaxBatch is the most claims in one block; 0 means 100.
	MaxBatch int
	// BlockTimeout bounds the proposal of one block; 0 means 30 s. A block
	// that times out stays pending and is finished before the next one.
	BlockTimeout time.Duration
	// Now is the rate limiter's clock; nil means time.Now.
	Now func() time.Time
	// Logger gets one line per block and the details of failures; nil
	// discards them.
	Logger *slog.Logger
}

func (o *Options) validate() error {
	if o.Amount.IsZero() {
		return errors.New("faucet: options: the amount per claim must be positive")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.PerOwner, 1)
	def(&o.RateLimit.Burst, 5)
	def(&o.MaxBatch, 100)
	if o.RateLimit.Burst < 0 || o.MaxBatch < 0 {
		return errors.New("faucet: options: burst and batch size must not be negative")
	}
	if o.RateLimit.Every == 0 {
		o.RateLimit.Every = time.Minute
	}
	if o.BlockTimeout <= 0 {
		o.BlockTimeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// ClaimResult is the chain a claim opened.
type ClaimResult struct {
	// Chain is the new chain's id, Description.ID().
	Chain ids.ChainID
	// Description names the OpenChain operation that made the chain: the
	// faucet chain, Height and the operation's index in the block.
	Description ids.Description
	// Height is the faucet chain's block that opened the chain.
	Height uint64
	// Certificate is the hash of that block's confirmed certificate.
	Certificate ids.Hash
}

// Claimer opens chains for claimants and tells which it opened: a
// Service, or in another runtime a stub that forwards to one. NewHandler
// serves any Claimer. Its methods are safe for concurrent use.
type Claimer interface {
	// Claim opens a chain owned by owner for the claimant at addr (the
	// key of the rate limit). It returns the errors listed in the package
	// documentation.
	Claim(ctx context.Context, owner ids.Owner, addr string) (ClaimResult, error)
	// Chains returns the descriptions of the chains the faucet opened
	// for owner (each names the faucet chain's block and the operation
	// that opened it; its ID is the chain's id), oldest first: those of
	// confirmed blocks, not claims still in flight. It returns an empty
	// list for an owner the faucet never served.
	Chains(owner ids.Owner) []ids.Description
}

// Service is the faucet's claim logic over a client of the faucet chain.
// Its methods are safe for concurrent use.
type Service struct {
	c      *client.Client
	opts   Options
	limits *limiter
	owners *ledger

	queue   chan *request
	ctx     context.Context // the batcher's lifetime
	cancel  context.CancelFunc
	stopped chan struct{} // closed when the batcher has returned
	once    sync.Once
}

var _ Claimer = (*Service)(nil)

// request is a claim waiting for the batcher.
type request struct {
	ctx   context.Context
	owner ids.Owner
	reply chan reply // buffered: the batcher never waits for the caller
}

type reply struct {
	res ClaimResult
	err error
}

// New starts a faucet over c, a client of the faucet chain whose key owns
// the chain and whose local node holds the genesis. It synchronises the
// chain, finishes a block left pending by an earlier run, counts the
// chains already given to each owner from the chain's blocks, and starts
// the batcher. The caller keeps ownership of c and closes the Service
// with Close.
func New(ctx context.Context, c *client.Client, opts Options) (*Service, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if c == nil || c.Key == nil || c.Local == nil || len(c.Validators) == 0 || c.Now == nil {
		return nil, errors.New("faucet: the client needs a key, a local node, validators and a clock")
	}
	s := &Service{c: c, opts: opts, limits: newLimiter(opts.RateLimit), owners: newLedger(opts.PerOwner),
		queue: make(chan *request, opts.MaxBatch), stopped: make(chan struct{})}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.run()
	return s, nil
}

// start brings the local node up to date and rebuilds the ledger.
func (s *Service) start(ctx context.Context) error {
	if err := s.c.Sync(ctx); err != nil {
		return fmt.Errorf("faucet: synchronise the faucet chain: %w", err)
	}
	st := chain.Open(ctx, s.c.Local.Store, s.c.Chain)
	if !st.Active() {
		return fmt.Errorf("faucet: chain %s is not in the local node (is it a root chain of this genesis?)", s.c.Chain)
	}
	if own := st.System.Ownership(); !own.IsOwner(s.c.Key.Owner()) && !own.IsSuperOwner(s.c.Key.Owner()) {
		return fmt.Errorf("faucet: key %s is not an owner of chain %s", s.c.Key.Owner(), s.c.Chain)
	}
	if err := st.Tx.Err(); err != nil {
		return fmt.Errorf("faucet: read the faucet chain: %w", err)
	}
	if cert, err := s.c.RetryPending(ctx); err != nil {
		s.opts.Logger.Warn("pending block not finished yet; will retry before the next block", "err", err)
	} else if cert != nil {
		s.opts.Logger.Info("finished pending block", "height", cert.Value.Height())
	}
	return s.rebuild(ctx)
}

// rebuild counts the chains every earlier block of the faucet chain opened.
func (s *Service) rebuild(ctx context.Context) error {
	st := chain.Open(ctx, s.c.Local.Store, s.c.Chain)
	next := st.Tip().NextHeight
	for h := range next {
		cert, ok := st.Certificate(h)
		if !ok {
			return fmt.Errorf("faucet: block %d of the faucet chain is missing locally: %w", h, st.Tx.Err())
		}
		for _, o := range openings(cert) {
			if !o.owner.IsZero() {
				s.owners.record(o.owner, o.desc)
			}
		}
	}
	return st.Tx.Err()
}

// Claim opens a chain owned by owner (ownership manager.Single(owner))
// with the faucet's amount, for the claimant at addr: the rate limit's
// key, normally the remote IP address (see AddressKey); claims with the
// same addr share a bucket. Claims waiting together go into one block.
//
// If ctx ends while the claim's block is in flight, Claim returns the
// context's error, and the chain may still be opened.
func (s *Service) Claim(ctx context.Context, owner ids.Owner, addr string) (ClaimResult, error) {
	if owner.IsZero() {
		return ClaimResult{}, fmt.Errorf("%w: the zero owner", ErrInvalidOwner)
	}
	select {
	case <-s.ctx.Done():
		return ClaimResult{}, ErrClosed
	default:
	}
	if err := s.limits.take(addr, s.opts.Now()); err != nil {
		return ClaimResult{}, err
	}
	if err := s.owners.reserve(owner); err != nil {
		return ClaimResult{}, err
	}
	r := &request{ctx: ctx, owner: owner, reply: make(chan reply, 1)}
	select {
	case s.queue <- r:
	case <-ctx.Done():
		s.owners.release(owner)
		return ClaimResult{}, fmt.Errorf("faucet: claim: %w", ctx.Err())
	case <-s.stopped:
		s.owners.release(owner)
		return ClaimResult{}, ErrClosed
	}
	return s.wait(ctx, r)
}

// Chains implements Claimer. The list comes from the ledger the Service
// rebuilds from the faucet chain's blocks when it starts (New), so it
// survives restarts; a wallet restored from its recovery phrase asks it
// which chains its keys own (docs/keys.md).
func (s *Service) Chains(owner ids.Owner) []ids.Description { return s.owners.owned(owner) }

// wait returns r's answer.
func (s *Service) wait(ctx context.Context, r *request) (ClaimResult, error) {
	select {
	case rep := <-r.reply:
		return rep.res, rep.err
	case <-ctx.Done():
		return ClaimResult{}, fmt.Errorf("faucet: claim: %w", ctx.Err())
	case <-s.stopped:
		select {
		case rep := <-r.reply:
			return rep.res, rep.err
		default: // queued after the batcher's last look: it never saw r
			s.owners.release(r.owner)
			return ClaimResult{}, ErrClosed
		}
	}
}

// Close stops the batcher, interrupting the block in flight if any, fails
// the claims still waiting with ErrClosed, and returns once the batcher
// has. An interrupted block stays pending in the client's store and is
// finished by the next Service over that store before any other block.
// Close does not close the client's validators.
func (s *Service) Close() error {
	s.once.Do(s.cancel)
	<-s.stopped
	return nil
}
