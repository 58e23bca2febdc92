package faucet_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

// The faucet chain is root chain 1 of every test network; root chain 2
// belongs to a user who can refill it.
const (
	faucetIndex = 1
	userIndex   = 2
)

// fixture is a test network with a faucet over its chain 1.
type fixture struct {
	t    *testing.T
	net  *testnet.Network
	c    *client.Client // the faucet's client
	svc  *faucet.Service
	opts faucet.Options
	now  time.Time // the rate limiter's clock
}

type setup struct {
	balance amount.Amount // of the faucet chain
	policy  committee.Policy
	opts    faucet.Options
}

func newFixture(t *testing.T, s setup) *fixture {
	t.Helper()
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1, Policy: s.policy,
		Chains: []amount.Amount{amount.Zero, s.balance, amount.Tokens(100)}})
	f := &fixture{t: t, net: n, c: n.Wallet(faucetIndex), opts: s.opts, now: time.Unix(1_700_000_000, 0)}
	if f.opts.Amount.IsZero() {
		f.opts.Amount = amount.Tokens(10)
	}
	if f.opts.RateLimit == (faucet.RateLimit{}) {
		f.opts.RateLimit.Every = -1
	}
	f.opts.Now = func() time.Time { return f.now }
	f.start()
	return f
}

// start starts a faucet Service over f.c.
func (f *fixture) start() {
	f.t.Helper()
	svc, err := faucet.New(context.Background(), f.c, f.opts)
	if err != nil {
		f.t.Fatalf("faucet.New: %v", err)
	}
	f.svc = svc
	f.t.Cleanup(func() { svc.Close() })
}

// restart closes the Service and starts another over a client with a
// fresh local node, which knows only what the validators tell it.
func (f *fixture) restart() {
	f.t.Helper()
	f.svc.Close()
	f.c = f.net.Wallet(faucetIndex)
	f.start()
}

func (f *fixture) claim(owner ids.Owner, addr string) (faucet.ClaimResult, error) {
	return f.svc.Claim(context.Background(), owner, addr)
}

func (f *fixture) mustClaim(owner ids.Owner) faucet.ClaimResult {
	f.t.Helper()
	res, err := f.claim(owner, "192.0.2.1")
	if err != nil {
		f.t.Fatalf("Claim(%s) = %v", owner.Short(), err)
	}
	return res
}

func (f *fixture) faucetChain() ids.ChainID { return f.net.Genesis.ChainID(faucetIndex) }

// tip returns the faucet chain's next height as validator v has it.
func (f *fixture) tip(v int) chain.Tip {
	return chain.Open(context.Background(), f.net.Validators[v].Store, f.faucetChain()).Tip()
}

// deliver runs the network's cross-chain messages.
func (f *fixture) deliver() {
	f.t.Helper()
	if err := f.net.Deliver(context.Background()); err != nil {
		f.t.Fatalf("Deliver: %v", err)
	}
}

// child returns a client of a claimed chain with its owner's key, its
// local node holding the chain (after deliver).
func (f *fixture) child(res faucet.ClaimResult, k *keys.PrivateKey) *client.Client {
	f.t.Helper()
	c := f.net.WalletFor(res.Chain, k)
	if _, err := c.PendingBundles(context.Background()); err != nil {
		f.t.Fatalf("PendingBundles of %s: %v", res.Chain.Short(), err)
	}
	if !chain.Open(context.Background(), c.Local.Store, res.Chain).Active() {
		f.t.Fatalf("claimed chain %s is not active after delivery", res.Chain.Short())
	}
	return c
}

// checkResult checks that res names a chain the faucet chain's block
// res.Height opened, with the certificate every validator holds.
func (f *fixture) checkResult(res faucet.ClaimResult) {
	f.t.Helper()
	d := res.Description
	if d.IsRoot || d.Parent != f.faucetChain() || d.Height != res.Height || d.ID() != res.Chain {
		f.t.Errorf("claim result %+v: description does not name a child of the faucet chain at its height", res)
	}
	for v := range f.net.Validators {
		cert, ok := chain.Open(context.Background(), f.net.Validators[v].Store, f.faucetChain()).Certificate(res.Height)
		if !ok || cert.Hash() != res.Certificate {
			f.t.Errorf("validator %d: certificate at height %d is not %s", v, res.Height, res.Certificate.Short())
		}
	}
}

// sameChain checks that every validator has the faucet chain's blocks
// the faucet's own node has: one block per height, the same everywhere.
func (f *fixture) sameChain() {
	f.t.Helper()
	ctx := context.Background()
	local := chain.Open(ctx, f.c.Local.Store, f.faucetChain())
	want := local.Tip()
	for v := range f.net.Validators {
		if got := f.tip(v); got != want {
			f.t.Errorf("validator %d: faucet chain tip = height %d hash %s, faucet has height %d hash %s",
				v, got.NextHeight, got.Hash.Short(), want.NextHeight, want.Hash.Short())
		}
		s := chain.Open(ctx, f.net.Validators[v].Store, f.faucetChain())
		for h := range want.NextHeight {
			got, ok1 := s.Certificate(h)
			mine, ok2 := local.Certificate(h)
			if !ok1 || !ok2 || got.Hash() != mine.Hash() {
				f.t.Errorf("validator %d: block %d of the faucet chain differs from the faucet's", v, h)
			}
		}
	}
}

// gate is a validator whose first proposal waits until the test opens it,
// so that claims can pile up behind a block in flight.
type gate struct {
	client.Node
	entered chan struct{} // closed when the first proposal arrives
	open    chan struct{} // closed by the test
	first   bool
}

func newGate(n client.Node) *gate {
	return &gate{Node: n, entered: make(chan struct{}), open: make(chan struct{}), first: true}
}

func (g *gate) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	if g.first {
		g.first = false
		close(g.entered)
		select {
		case <-g.open:
		case <-ctx.Done():
			return block.Vote{}, ctx.Err()
		}
	}
	return g.Node.HandleProposal(ctx, p)
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s = %v, want %v", what, err, want)
	}
}

// keyAt returns the i-th key of a fixed series, for tests that need keys
// in several goroutines (the network's NewKey is not safe for that).
func keyAt(i uint64) *keys.PrivateKey {
	var seed [keys.SeedSize]byte
	seed[0], seed[1] = 0xfa, 0x5e
	for j := range 8 {
		seed[2+j] = byte(i >> (8 * j))
	}
	return keys.NewPrivateKey(seed)
}
