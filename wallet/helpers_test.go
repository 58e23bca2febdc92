package wallet_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

var errCrashed = errors.New("test: the wallet's process crashed")

// harness is an in-process network whose validators deliver cross-chain
// messages as soon as a block is confirmed, record every proposal they
// see, and can simulate the crash of the wallet talking to them.
type harness struct {
	t   *testing.T
	net *testnet.Network
	// proposals maps a chain and height to the hashes of the blocks proposed there.
	proposals map[string]map[ids.Hash]bool
	// crashAfterProposals, if positive, crashes the wallet once that many
	// more proposals have reached validators; likewise for certificates.
	crashAfterProposals, crashAfterCerts int
	// crashed makes validators refuse everything: the process is gone.
	crashed bool
	// onCrash runs at the crash (e.g. crash the wallet's store).
	onCrash func()
}

func newHarness(t *testing.T, fast bool) *harness {
	net := testnet.New(testnet.Config{Validators: 4, Seed: 1, SuperOwners: fast,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100), amount.Tokens(1000)}})
	return &harness{t: t, net: net, proposals: map[string]map[ids.Hash]bool{}}
}

func (h *harness) crash() {
	h.crashed = true
	if h.onCrash != nil {
		h.onCrash()
	}
}

// Dial implements wallet.Dialer over the network's validators.
func (h *harness) Dial(_ context.Context, v committee.Validator) (client.Node, error) {
	for _, val := range h.net.Validators {
		if val.PublicKey() == v.PublicKey {
			return node{val, h}, nil
		}
	}
	return nil, fmt.Errorf("test: no validator %s", v.Address)
}

type node struct {
	*testnet.Validator
	h *harness
}

func (n node) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	if n.h.crashed {
		return block.Vote{}, errCrashed
	}
	k := fmt.Sprintf("%s@%d", p.Block.Chain.Short(), p.Block.Height)
	if n.h.proposals[k] == nil {
		n.h.proposals[k] = map[ids.Hash]bool{}
	}
	n.h.proposals[k][p.Block.Hash()] = true
	v, err := n.Validator.HandleProposal(ctx, p)
	if n.h.crashAfterProposals > 0 {
		if n.h.crashAfterProposals--; n.h.crashAfterProposals == 0 {
			n.h.crash()
		}
	}
	return v, err
}

func (n node) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	if n.h.crashed {
		return nil, errCrashed
	}
	v, err := n.Validator.HandleCertificate(ctx, c)
	if err := n.h.net.Deliver(ctx); err != nil {
		n.h.t.Errorf("deliver: %v", err)
	}
	if n.h.crashAfterCerts > 0 {
		if n.h.crashAfterCerts--; n.h.crashAfterCerts == 0 {
			n.h.crash()
		}
	}
	return v, err
}

func (n node) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	if n.h.crashed {
		return nil, errCrashed
	}
	return n.Validator.ChainInfo(ctx, id)
}

func (n node) Certificate(ctx context.Context, id ids.ChainID, height uint64) (*block.Certificate, error) {
	if n.h.crashed {
		return nil, errCrashed
	}
	return n.Validator.Certificate(ctx, id, height)
}

// checkOneBlockPerHeight fails if validators were ever asked to vote for
// two different blocks at one height of one chain.
func (h *harness) checkOneBlockPerHeight() {
	h.t.Helper()
	for k, hashes := range h.proposals {
		if len(hashes) > 1 {
			h.t.Errorf("%d different blocks proposed at %s", len(hashes), k)
		}
	}
}

// wallet opens the wallet in file over store, creating it if the file is
// empty.
func (h *harness) wallet(file wallet.File, store kv.Store) *wallet.Wallet {
	h.t.Helper()
	cfg := wallet.Config{File: file, Store: store, Dialer: h, Now: func() uint64 { return h.net.Clock }}
	w, err := wallet.Open(context.Background(), cfg)
	if errors.Is(err, wallet.ErrNoWallet) {
		w, err = wallet.Create(context.Background(), cfg, h.net.Genesis, "")
	}
	if err != nil {
		h.t.Fatalf("open wallet: %v", err)
	}
	h.t.Cleanup(func() { w.Close() })
	return w
}

// own adds the key of root chain i to w and follows the chain.
func (h *harness) own(w *wallet.Wallet, i int) ids.ChainID {
	h.t.Helper()
	if _, err := w.AddKey(h.net.Key(i)); err != nil {
		h.t.Fatalf("add key: %v", err)
	}
	c, err := w.Follow(context.Background(), h.net.Genesis.ChainID(i), nil)
	if err != nil {
		h.t.Fatalf("follow root chain %d: %v", i, err)
	}
	if c.Owner != h.net.Key(i).Owner() {
		h.t.Fatalf("root chain %d tracked with owner %s, want %s", i, c.Owner.Short(), h.net.Key(i).Owner().Short())
	}
	return c.ID
}

// validatorBalance returns validator 0's balance of a chain account.
func (h *harness) validatorBalance(id ids.ChainID) amount.Amount {
	return chain.Open(context.Background(), h.net.Validators[0].Store, id).System.Balance()
}

func wantBalance(t *testing.T, w *wallet.Wallet, id ids.ChainID, want string) {
	t.Helper()
	got, err := w.Balance(context.Background(), ids.Account{Chain: id})
	if err != nil || got.String() != want {
		t.Errorf("Balance(%s) = %v, %v; want %s", id.Short(), got, err, want)
	}
}

func tokens(s string) amount.Amount { return amount.MustParse(s) }

func single(o ids.Owner) manager.Ownership { return manager.Single(o) }
