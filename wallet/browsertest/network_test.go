//go:build js && wasm

package browsertest

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
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

// errCut is what every request gets once the wallet's connection is cut.
var errCut = errors.New("test: the connection to the validators is cut")

// network is the in-process network as the wallet reaches it (a
// wallet.Dialer). It outlives the wallets that use it, as the real network
// outlives a tab: it records every proposal its validators receive, and it
// interrupts a proposal after a given number of proposals reached
// validators, by cutting the connection (every request fails) or by hanging
// (requests wait for their context, which the network cancels itself, as
// when the user closes the tab mid-request).
type network struct {
	t *testing.T
	*testnet.Network
	// proposals maps a chain and height to the hashes of the blocks
	// proposed there.
	proposals map[string]map[ids.Hash]bool
	// sent counts the proposals that reached validators.
	sent int
	// cutAfter and hangAfter, if positive, cut the connection or make it
	// hang once that many more proposals reached validators.
	cutAfter, hangAfter int
	cut, hung           bool
	// cancel ends the context of the command under way (for hangAfter).
	cancel context.CancelFunc
}

// newNetwork starts four validators and root chains 0 (admin), 1 and 2
// (100 tokens each); fast makes root chains use the fast round.
func newNetwork(t *testing.T, fast bool) *network {
	net := testnet.New(testnet.Config{Validators: 4, Seed: 1, SuperOwners: fast,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100)}})
	return &network{t: t, Network: net, proposals: map[string]map[ids.Hash]bool{}}
}

// Dial implements wallet.Dialer.
func (n *network) Dial(_ context.Context, v committee.Validator) (client.Node, error) {
	for _, val := range n.Validators {
		if val.PublicKey() == v.PublicKey {
			return node{val, n}, nil
		}
	}
	return nil, fmt.Errorf("test: no validator %s", v.Address)
}

// heal ends a cut or a hang and brings every validator back.
func (n *network) heal() {
	n.cut, n.hung, n.cutAfter, n.hangAfter = false, false, 0, 0
	for _, v := range n.Validators {
		v.Fault = testnet.Honest
	}
}

// check fails a request while the connection is cut or hangs.
func (n *network) check(ctx context.Context) error {
	if n.cut {
		return errCut
	}
	if n.hung {
		<-ctx.Done()
		return fmt.Errorf("test: validator hangs: %w", ctx.Err())
	}
	return nil
}

// received records proposal p and counts it towards cutAfter and hangAfter.
func (n *network) received(p *block.Proposal) {
	k := heightKey(p.Block.Chain, p.Block.Height)
	if n.proposals[k] == nil {
		n.proposals[k] = map[ids.Hash]bool{}
	}
	n.proposals[k][p.Block.Hash()] = true
	n.sent++
	if n.cutAfter > 0 {
		n.cutAfter--
		n.cut = n.cutAfter == 0
	}
	if n.hangAfter > 0 {
		if n.hangAfter--; n.hangAfter == 0 {
			n.hung = true
			n.cancel()
		}
	}
}

func heightKey(id ids.ChainID, h uint64) string { return fmt.Sprintf("%s@%d", id.Short(), h) }

// checkOneBlockPerHeight fails if validators were ever asked to vote for
// two different blocks at one height of one chain.
func (n *network) checkOneBlockPerHeight() {
	n.t.Helper()
	for k, hashes := range n.proposals {
		if len(hashes) > 1 {
			n.t.Errorf("%d different blocks proposed at %s", len(hashes), k)
		}
	}
}

// confirmed returns the hash of the block validator 0 confirmed at height
// h of chain id.
func (n *network) confirmed(id ids.ChainID, h uint64) (ids.Hash, bool) {
	c, ok := chain.Open(context.Background(), n.Validators[0].Store, id).Certificate(h)
	if !ok {
		return ids.Hash{}, false
	}
	return c.Value.Block.Block.Hash(), true
}

// balance returns validator 0's balance of a chain account.
func (n *network) balance(id ids.ChainID) amount.Amount {
	return chain.Open(context.Background(), n.Validators[0].Store, id).System.Balance()
}

// node is a validator as the wallet reaches it through the network.
type node struct {
	*testnet.Validator
	n *network
}

func (v node) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	if err := v.n.check(ctx); err != nil {
		return block.Vote{}, err
	}
	vote, err := v.Validator.HandleProposal(ctx, p)
	v.n.received(p)
	return vote, err
}

// HandleCertificate also delivers the cross-chain messages the block sent.
func (v node) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	if err := v.n.check(ctx); err != nil {
		return nil, err
	}
	vote, err := v.Validator.HandleCertificate(ctx, c)
	if derr := v.n.Deliver(ctx); derr != nil {
		v.n.t.Errorf("deliver: %v", derr)
	}
	return vote, err
}

func (v node) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	if err := v.n.check(ctx); err != nil {
		return nil, err
	}
	return v.Validator.ChainInfo(ctx, id)
}

func (v node) Certificate(ctx context.Context, id ids.ChainID, h uint64) (*block.Certificate, error) {
	if err := v.n.check(ctx); err != nil {
		return nil, err
	}
	return v.Validator.Certificate(ctx, id, h)
}

func (v node) RequestTimeout(ctx context.Context, id ids.ChainID, h uint64) (block.Vote, error) {
	if err := v.n.check(ctx); err != nil {
		return block.Vote{}, err
	}
	return v.Validator.RequestTimeout(ctx, id, h)
}
