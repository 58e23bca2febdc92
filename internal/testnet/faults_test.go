package testnet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	client "github.com/myriadchain/myriad/node-client"
)

var faultNames = map[Fault]string{
	Honest: "honest", Offline: "offline", RefuseVotes: "refuse-votes", WrongVote: "wrong-vote",
	WrongStateHash: "wrong-state-hash", Equivocate: "equivocate", Slow: "slow",
}

func (f Fault) String() string { return faultNames[f] }

// recorder is a client.Node that keeps the certificates a client sends,
// to check the validated certificates too.
type recorder struct {
	*Validator
	certs *[]*block.Certificate
}

func (r recorder) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	*r.certs = append(*r.certs, c)
	return r.Validator.HandleCertificate(ctx, c)
}

// recordingWallet returns wallet i whose certificates sent to validators
// are kept in certs.
func recordingWallet(n *Network, i int, certs *[]*block.Certificate) *client.Client {
	w := n.Wallet(i)
	for j, v := range n.Validators {
		w.Validators[j] = recorder{v, certs}
	}
	return w
}

func signers(c *block.Certificate) []int {
	var out []int
	for _, s := range c.Signatures {
		out = append(out, int(s.Index))
	}
	return out
}

// goodVote reports whether a validator in fault f signs the value the
// honest validators sign, in the phase of proposals.
func goodVote(f Fault) bool { return f == Honest || f == Equivocate || f == Slow }

// runFaultScenario runs a transfer from chain 1 to chain 2 and chain 2's
// inbox with validator bad in fault f and returns the two confirmed
// certificates and every certificate the wallets sent.
func runFaultScenario(t *testing.T, cfg Config, bad int, f Fault) (*Network, []*block.Certificate, []*block.Certificate) {
	t.Helper()
	n := New(cfg)
	var sent []*block.Certificate
	a, b := recordingWallet(n, 1, &sent), recordingWallet(n, 2, &sent)
	n.Validators[bad].Fault = f
	c1 := mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(30)))
	mustDeliver(t, n)
	c2 := mustProcess(t, b)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(70), a)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(30), b)
	sameStateHashes(t, n, a, b)
	return n, []*block.Certificate{c1, c2}, sent
}

// TestOneFaultyValidator: with one validator of four offline, refusing,
// voting for a wrong block or state hash, or voting for everything, blocks
// are still certified, no certificate holds a vote for another value, and
// every certified block is the one an all-honest network certifies.
func TestOneFaultyValidator(t *testing.T) {
	for _, fast := range []bool{false, true} {
		cfg := Config{Validators: 4, Seed: 7, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}, SuperOwners: fast}
		_, honest, _ := runFaultScenario(t, cfg, 0, Honest)
		for _, f := range []Fault{Offline, RefuseVotes, WrongVote, WrongStateHash, Equivocate, Slow} {
			for _, bad := range []int{0, 3} {
				t.Run(fmt.Sprintf("fast=%v/%s/validator-%d", fast, f, bad), func(t *testing.T) {
					n, certs, sent := runFaultScenario(t, cfg, bad, f)
					com := n.Genesis.Committee
					for i, c := range certs {
						if err := c.Verify(com); err != nil {
							t.Errorf("block %d: certificate does not verify: %v", i, err)
						}
						if c.Hash() != honest[i].Hash() {
							t.Errorf("block %d: certified %s, an honest network certifies %s", i, c.Hash().Short(), honest[i].Hash().Short())
						}
						if f == Offline || f == RefuseVotes {
							if slices.Contains(signers(c), bad) {
								t.Errorf("block %d: confirmed certificate signed by %d, which is %s", i, bad, f)
							}
						}
					}
					for _, c := range sent {
						if c.Value.Kind == block.Validated && !goodVote(f) && slices.Contains(signers(c), bad) {
							t.Errorf("validated certificate %s signed by validator %d (%s)", c.Hash().Short(), bad, f)
						}
						if err := c.Verify(com); err != nil {
							t.Errorf("%s certificate sent does not verify: %v", c.Value.Kind, err)
						}
					}
					if fast && slices.ContainsFunc(sent, func(c *block.Certificate) bool { return c.Value.Kind == block.Validated }) {
						t.Errorf("fast round sent a validated certificate")
					}
				})
			}
		}
	}
}

// TestTwoOfFourOffline: without a quorum the client fails with
// ErrNoQuorum and honest validators keep their state; once one validator
// is back the same transfer goes through, and the client brings that
// validator, which missed a block, up to date first.
func TestTwoOfFourOffline(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 8, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a, b := n.Wallet(1), n.Wallet(2)

	n.Validators[3].Fault = Offline
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(10))) // validator 3 misses block 0
	n.Validators[2].Fault = Offline
	before := []chainTip{tipOf(n, 0, a.Chain), tipOf(n, 1, a.Chain)}
	_, err := a.Transfer(ctx, transfer(ids.Owner{}, to(b.Chain), tokens(20)))
	if !errors.Is(err, client.ErrNoQuorum) {
		t.Fatalf("transfer with 2 of 4 offline: err = %v, want ErrNoQuorum", err)
	}
	if !strings.Contains(err.Error(), "quorum missing") {
		t.Errorf("error %q does not say quorum missing", err)
	}
	var qe *client.QuorumError
	if !errors.As(err, &qe) || qe.Weight != 2 || qe.Quorum != 3 {
		t.Errorf("error = %#v, want a QuorumError with weight 2 of quorum 3", qe)
	}
	for i, v := range []int{0, 1} {
		if got := tipOf(n, v, a.Chain); got != before[i] {
			t.Errorf("validator %d: tip changed to %+v after a failed block", v, got)
		}
	}
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(90), a)
	if got := localState(a).Tip().NextHeight; got != 1 {
		t.Errorf("wallet's next height = %d after a failed block, want 1", got)
	}

	n.Validators[3].Fault = Honest
	cert := mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(20)))
	if !slices.Contains(signers(cert), 3) {
		t.Errorf("returning validator 3 did not sign block %d: signers %v", cert.Value.Height(), signers(cert))
	}
	if got := tipOf(n, 3, a.Chain).NextHeight; got != 2 {
		t.Errorf("validator 3: next height of a = %d, want 2", got)
	}
	// Validator 2 is back but lags until the chain's next block.
	n.Validators[2].Fault = Honest
	if got := tipOf(n, 2, a.Chain).NextHeight; got != 1 {
		t.Errorf("validator 2: next height of a = %d, want 1 (it missed block 1)", got)
	}
	mustDeliver(t, n)
	mustProcess(t, b)
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(1)))
	mustDeliver(t, n)
	mustProcess(t, b)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(69), a)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(31), b)
	sameStateHashes(t, n, a, b)
}

// TestNoQuorumThenOtherBlock: after a block failed for want of a quorum,
// honest validators have voted for it in the current round. The owner then
// proposes something else (later, so another block): the client must not
// be stuck on the first vote: like Linera's client, it may move to the
// next multi-leader round, which owners enter by proposing.
//
// Propose sees (chain.Info.Proposal) that the current round already has a
// proposal and opens the next multi-leader round.
func TestNoQuorumThenOtherBlock(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 9, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a, b := n.Wallet(1), n.Wallet(2)
	n.Validators[2].Fault = Offline
	n.Validators[3].Fault = Offline
	if _, err := a.Transfer(ctx, transfer(ids.Owner{}, to(b.Chain), tokens(20))); !errors.Is(err, client.ErrNoQuorum) {
		t.Fatalf("transfer with 2 of 4 offline: err = %v, want ErrNoQuorum", err)
	}
	n.Validators[3].Fault = Honest
	n.Advance(1_000_000)
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(5)))
	n.Validators[2].Fault = Honest
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(1)))
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(94), a)
	sameStateHashes(t, n, a)
}

// TestNoQuorumThenProposeDurably: with ProposeDurably, the block that
// failed for want of a quorum stays pending, and the next call finishes
// it (the validators that voted repeat their vote) before proposing the
// new block.
func TestNoQuorumThenProposeDurably(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 9, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a, b := n.Wallet(1), n.Wallet(2)
	pay := func(x uint64) []block.Transaction {
		op := transfer(ids.Owner{}, to(b.Chain), tokens(x)).AsBlockOperation()
		return []block.Transaction{{Operation: &op}}
	}
	n.Validators[2].Fault = Offline
	n.Validators[3].Fault = Offline
	if _, err := a.ProposeDurably(ctx, pay(20)); !errors.Is(err, client.ErrNoQuorum) {
		t.Fatalf("with 2 of 4 offline: err = %v, want ErrNoQuorum", err)
	}
	n.Validators[3].Fault = Honest
	n.Advance(1_000_000)
	c, err := a.ProposeDurably(ctx, pay(5))
	if err != nil {
		t.Fatalf("propose after one validator is back: %v", err)
	}
	if c.Value.Height() != 1 {
		t.Errorf("new block at height %d, want 1 (after the pending block)", c.Value.Height())
	}
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(75), a)
}

type chainTip = struct {
	NextHeight uint64
	Hash       ids.Hash
	Timestamp  uint64
	StateHash  ids.Hash
}

func tipOf(n *Network, v int, id ids.ChainID) chainTip { return chainTip(state(n, v, id).Tip()) }

// TestLaggingValidatorAndOneFault: validator 1 was offline while chain a
// sent chain b a credit (and opened a child chain), so it lacks a's
// blocks; once back it cannot vote for b's block taking the credit
// (bundle not received) nor for any block of the child (inactive). With
// one more validator faulty, no quorum is left, although only one
// validator is faulty.
//
// The client brings the lagging validator up to date on the chains the
// block depends on (the origins of its bundles, the parent of a new chain)
// with certificates from the other validators, and asks it again.
func TestLaggingValidatorAndOneFault(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 11, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a, b := n.Wallet(1), n.Wallet(2)
	key := n.NewKey()
	n.Validators[1].Fault = Offline
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(10)))
	childID := openChild(t, a, manager.Single(key.Owner()), tokens(5))
	mustDeliver(t, n)
	child := childWallet(t, n, childID, key)
	n.Validators[1].Fault = Honest
	mustDeliver(t, n)
	n.Validators[3].Fault = WrongVote
	if _, err := b.ProcessInbox(ctx); err != nil {
		t.Errorf("b takes a's credit: %v", err)
	}
	if _, err := child.Transfer(ctx, transfer(ids.Owner{}, to(a.Chain), tokens(1))); err != nil {
		t.Errorf("child's first block: %v", err)
	}
}

// TestSlowValidator: a slow validator receives the bundle a block takes
// one delivery later than the others, so it refuses to vote for that block
// (the bundle has not reached it) while the other three validate it; it
// then confirms on the strength of their validated certificate, and when
// the late bundle arrives it matches what the block took: every validator
// ends with the same state and an empty inbox.
func TestSlowValidator(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 3, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a, b := n.Wallet(1), n.Wallet(2)
	n.Validators[0].Fault = Slow
	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(7)))
	mustDeliver(t, n)
	if got := len(state(n, 0, b.Chain).PendingBundles()); got != 0 {
		t.Fatalf("slow validator already has %d pending bundles after one delivery", got)
	}
	pending, err := b.PendingBundles(ctx)
	if err != nil || len(pending) != 1 {
		t.Fatalf("bob's pending bundles = %d, %v; want 1", len(pending), err)
	}
	blk, err := b.NewBlock(ctx, []block.Transaction{{Bundle: &pending[0]}})
	if err != nil {
		t.Fatal(err)
	}
	p := block.NewProposal(*blk, block.Round{Kind: block.MultiLeader}, b.Key, nil)
	if _, err := n.Validators[0].HandleProposal(ctx, p); !errors.Is(err, chain.ErrBundleNotReceived) {
		t.Fatalf("slow validator's answer to the proposal = %v, want ErrBundleNotReceived", err)
	}
	if cert := mustProcess(t, b); cert == nil {
		t.Fatal("bob took no bundle")
	}
	mustDeliver(t, n)
	mustDeliver(t, n)
	for v := range n.Validators {
		if n.StateHash(ctx, v, b.Chain) != n.StateHash(ctx, 1, b.Chain) {
			t.Errorf("validator %d: state of bob's chain differs after the slow delivery", v)
		}
		if p := state(n, v, b.Chain).PendingBundles(); len(p) != 0 {
			t.Errorf("validator %d: %d bundles still pending", v, len(p))
		}
	}
	if got := state(n, 0, b.Chain).System.Balance(); got != tokens(7) {
		t.Errorf("slow validator: bob's balance %s, want 7", got)
	}
}
