package wallet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	client "github.com/myriadchain/myriad/node-client"
)

// ErrDryRun is returned (wrapped) by every operation that would propose a
// block under a context from WithDryRun: the block was executed in the
// local node, recorded, and not signed.
var ErrDryRun = errors.New("wallet: dry run: the block was not proposed")

// ErrOneBlock is returned (wrapped) by an operation under WithDryRun that
// would make a second block on a chain.
var ErrOneBlock = errors.New("wallet: one block per chain")

// DryRuns collects the blocks operations would have proposed, and the
// chains they would have started to track.
type DryRuns struct {
	mu      sync.Mutex
	runs    []*client.DryRun
	follows []ids.ChainID
}

// Follows returns the chains Follow would have tracked, in order.
func (d *DryRuns) Follows() []ids.ChainID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]ids.ChainID{}, d.follows...)
}

// follow records that Follow would track id.
func (d *DryRuns) follow(id ids.ChainID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.follows = append(d.follows, id)
}

// Runs returns the dry runs recorded so far, in order.
func (d *DryRuns) Runs() []*client.DryRun {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*client.DryRun{}, d.runs...)
}

type dryRunKey struct{}

// WithDryRun returns a context under which the wallet's operations build
// their block, execute it in the local node, record what it would do in
// the returned DryRuns and fail with ErrDryRun instead of signing it. They
// still synchronise the chain from the validators first, as for real.
// A wallet shows a dry run to its user before it asks to sign.
func WithDryRun(ctx context.Context) (context.Context, *DryRuns) {
	d := &DryRuns{}
	return context.WithValue(ctx, dryRunKey{}, d), d
}

func dryRunsOf(ctx context.Context) *DryRuns {
	d, _ := ctx.Value(dryRunKey{}).(*DryRuns)
	return d
}

// ErrChanged is returned (wrapped) under WithApproved when an operation
// would now make another block than the one approved.
var ErrChanged = errors.New("wallet: the block changed since it was approved")

// approved is the blocks a user approved, proposed in order.
type approved struct {
	mu     sync.Mutex
	blocks []*block.Block
}

type approvedKey struct{}

// WithApproved returns a context under which the wallet's operations
// propose exactly the given blocks, in order — the blocks a dry run
// showed the user — rather than building new ones: what is signed is what
// was shown. An operation whose block would now hold other transactions,
// or a block that no longer extends its chain, fails with ErrChanged, and
// nothing is signed.
func WithApproved(ctx context.Context, blocks []*block.Block) context.Context {
	return context.WithValue(ctx, approvedKey{}, &approved{blocks: blocks})
}

// next takes the approved block for txs on chain c.
func (a *approved) next(c *client.Client, txs []block.Transaction) (*block.Block, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.blocks) == 0 {
		return nil, fmt.Errorf("%w: a block of %s was not approved", ErrChanged, c.Chain.Short())
	}
	b := a.blocks[0]
	a.blocks = a.blocks[1:]
	want := block.Block{Transactions: txs}
	if b.Chain != c.Chain || !bytes.Equal(codec.Marshal(want), codec.Marshal(block.Block{Transactions: b.Transactions})) {
		return nil, fmt.Errorf("%w: the block of %s would now hold other transactions", ErrChanged, c.Chain.Short())
	}
	return b, nil
}

// propose drives a block of txs on c's chain to a certificate, crash-safely
// (ProposeDurably); under WithDryRun it records a dry run instead, and
// under WithApproved it proposes the approved block.
func propose(ctx context.Context, c *client.Client, txs []block.Transaction) (*block.Certificate, error) {
	if a, _ := ctx.Value(approvedKey{}).(*approved); a != nil {
		b, err := a.next(c, txs)
		if err != nil {
			return nil, err
		}
		cert, err := c.ProposeExactly(ctx, b)
		if errors.Is(err, client.ErrStaleBlock) || errors.Is(err, client.ErrLockedBlock) {
			return nil, fmt.Errorf("%w: %w", ErrChanged, err)
		}
		return cert, err
	}
	d := dryRunsOf(ctx)
	if d == nil {
		return c.ProposeDurably(ctx, txs)
	}
	// A second block on a chain would be built on the state before the
	// first (a dry run changes nothing), so it could be neither shown
	// truly nor signed as shown.
	for _, r := range d.Runs() {
		if r.Block.Chain == c.Chain {
			return nil, fmt.Errorf("%w: a request previewed for approval may make one block per chain; this one makes two on %s: send them one at a time",
				ErrOneBlock, c.Chain.Short())
		}
	}
	r, err := c.DryRun(ctx, txs)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.runs = append(d.runs, r)
	d.mu.Unlock()
	return nil, ErrDryRun
}
