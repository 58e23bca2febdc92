package testnet

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	client "github.com/myriadchain/myriad/node-client"
)

// shared is a chain of two owners opened by root chain 1, with a wallet
// for each owner.
type shared struct {
	n      *Network
	id     ids.ChainID
	own    manager.Ownership
	keys   [2]*keys.PrivateKey
	owners [2]*client.Client
	parent *client.Client
}

func newShared(t *testing.T, seed uint64) *shared {
	t.Helper()
	n := New(Config{Validators: 4, Seed: seed, Chains: []amount.Amount{amount.Zero, tokens(100)}})
	s := &shared{n: n, parent: n.Wallet(1), keys: [2]*keys.PrivateKey{n.NewKey(), n.NewKey()}}
	// One multi-leader round, which times out into single-leader rounds.
	s.own = manager.Multi([]ids.Owner{s.keys[0].Owner(), s.keys[1].Owner()}, 1)
	s.id = openChild(t, s.parent, s.own, tokens(50))
	mustDeliver(t, n)
	for i, k := range s.keys {
		s.owners[i] = childWallet(t, n, s.id, k)
	}
	return s
}

// block returns owner i's block paying amt to the parent, at the chain's
// next height as its wallet sees it.
func (s *shared) block(i int, amt uint64) block.Block {
	w := s.owners[i]
	tip := localState(w).Tip()
	op := transfer(ids.Owner{}, to(s.parent.Chain), tokens(amt)).AsBlockOperation()
	return block.Block{Chain: s.id, Height: tip.NextHeight, Timestamp: max(s.n.Clock, tip.Timestamp),
		Previous: tip.Hash, Signer: w.Key.Owner(), Transactions: []block.Transaction{{Operation: &op}}}
}

// executed is b as owner i's local node executes it.
func (s *shared) executed(t *testing.T, i int, b block.Block) *block.Executed {
	t.Helper()
	st := localState(s.owners[i])
	out, err := st.Execute(&b, chain.ExecOptions{})
	st.Tx.Rollback()
	if err != nil {
		t.Fatalf("execute locally: %v", err)
	}
	return &block.Executed{Block: b, Outcome: *out}
}

// leader returns the index of the owner leading round r at height h.
func (s *shared) leader(t *testing.T, h uint64, r block.Round) int {
	t.Helper()
	l, ok := manager.New(s.own, s.id, h, 0).Leader(r)
	if !ok {
		t.Fatalf("round %s has no leader", r)
	}
	if l == s.keys[0].Owner() {
		return 0
	}
	return 1
}

// timeout collects timeout votes for the chain's height h from every
// validator that gives one and returns the certificate, or nil.
func (s *shared) timeout(t *testing.T, h uint64, r block.Round) *block.Certificate {
	t.Helper()
	ctx := context.Background()
	v := block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: s.id, Height: h, Epoch: 0}}
	b := block.NewBuilder(v, r, s.n.Genesis.Committee)
	for i, val := range s.n.Validators {
		vote, err := val.RequestTimeout(ctx, s.id, h)
		if err != nil {
			t.Logf("validator %d: no timeout vote: %v", i, err)
			continue
		}
		if _, err := b.Add(vote); err != nil {
			t.Fatalf("validator %d: timeout vote: %v", i, err)
		}
	}
	return b.Certificate()
}

// certAt returns every validator's confirmed certificate at height h.
func certsAt(n *Network, id ids.ChainID, h uint64) map[ids.Hash][]int {
	out := map[ids.Hash][]int{}
	for v := range n.Validators {
		if c, ok := state(n, v, id).Certificate(h); ok {
			out[c.Hash()] = append(out[c.Hash()], v)
		}
	}
	return out
}

// TestMultiOwnerConflictingClients: two owners propose different blocks
// at the same height through their clients; the first is confirmed, the
// second refused, and after syncing the second owner proposes next.
func TestMultiOwnerConflictingClients(t *testing.T) {
	ctx := context.Background()
	s := newShared(t, 20)
	a, b := s.owners[0], s.owners[1]
	ca := mustTransfer(t, a, transfer(ids.Owner{}, to(s.parent.Chain), tokens(10)))
	if _, err := b.Transfer(ctx, transfer(ids.Owner{}, to(s.parent.Chain), tokens(20))); !errors.Is(err, client.ErrNoQuorum) {
		t.Fatalf("conflicting block at height 0: err = %v, want ErrNoQuorum", err)
	}
	if got := certsAt(s.n, s.id, 0); len(got) != 1 || len(got[ca.Hash()]) != 4 {
		t.Errorf("certificates at height 0 = %v, want owner a's on all four validators", got)
	}
	if err := b.Sync(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
	mustTransfer(t, b, transfer(ids.Owner{}, to(s.parent.Chain), tokens(20)))
	if err := a.Sync(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
	wantBalance(t, s.n, s.id, ids.Owner{}, tokens(20), a, b)
	sameStateHashes(t, s.n, a, b)
}

// TestMultiOwnerSplitVoteTimeout: owners a and b each reach part of the
// committee in multi-leader round 0, so neither block gets a quorum. Once
// the round has timed out, a timeout certificate moves every validator to
// single-leader round 0, whose leader then gets its block confirmed.
func TestMultiOwnerSplitVoteTimeout(t *testing.T) {
	ctx := context.Background()
	s := newShared(t, 21)
	n := s.n
	round0 := block.Round{Kind: block.MultiLeader}
	pa := block.NewProposal(s.block(0, 10), round0, s.keys[0], nil)
	pb := block.NewProposal(s.block(1, 20), round0, s.keys[1], nil)
	for v, p := range []*block.Proposal{pa, pa, pb, pb} {
		if _, err := n.Validators[v].HandleProposal(ctx, p); err != nil {
			t.Fatalf("validator %d: %v", v, err)
		}
	}
	// Each validator keeps its vote: the other block is refused.
	if _, err := n.Validators[0].HandleProposal(ctx, pb); !errors.Is(err, manager.ErrConflictingProposal) {
		t.Errorf("validator 0 on b's block: err = %v, want ErrConflictingProposal", err)
	}

	if c := s.timeout(t, 0, round0); c != nil {
		t.Fatalf("timeout certificate before the round timed out")
	}
	n.Advance(manager.DefaultBaseTimeout + 1)
	tc := s.timeout(t, 0, round0)
	if tc == nil {
		t.Fatalf("no timeout certificate after the round timed out")
	}
	for v, val := range n.Validators {
		if _, err := val.HandleCertificate(ctx, tc); err != nil {
			t.Fatalf("validator %d: timeout certificate: %v", v, err)
		}
	}
	single0 := block.Round{Kind: block.SingleLeader}
	for v, val := range n.Validators {
		info, err := val.ChainInfo(ctx, s.id)
		if err != nil || info.Round != single0 {
			t.Errorf("validator %d: round = %v (%v), want %s", v, info.Round, err, single0)
		}
	}
	l := s.leader(t, 0, single0)
	other := s.owners[1-l]
	if _, err := other.Transfer(ctx, transfer(ids.Owner{}, to(s.parent.Chain), tokens(1))); !errors.Is(err, client.ErrNoQuorum) {
		t.Errorf("non-leader in single-leader round: err = %v, want ErrNoQuorum", err)
	}
	c := mustTransfer(t, s.owners[l], transfer(ids.Owner{}, to(s.parent.Chain), tokens(5)))
	if c.Round != single0 || c.Value.Height() != 0 {
		t.Errorf("leader's block: height %d in %s, want height 0 in %s", c.Value.Height(), c.Round, single0)
	}
	if got := certsAt(n, s.id, 0); len(got) != 1 || len(got[c.Hash()]) != 4 {
		t.Errorf("certificates at height 0 = %v, want the leader's on all four validators", got)
	}
	wantBalance(t, n, s.id, ids.Owner{}, tokens(45), s.owners[l])
}

// TestMultiOwnerLockedBlockReproposed: owner a's block gets a validated
// certificate, which reaches one validator only (that validator locks on
// it) before a disappears. After a timeout certificate, the leader of the
// next round must finish a's block first: Propose re-proposes it with its
// certificate, returns ErrLockedBlock, and the leader's own block follows.
func TestMultiOwnerLockedBlockReproposed(t *testing.T) {
	ctx := context.Background()
	s := newShared(t, 22)
	n := s.n
	round0 := block.Round{Kind: block.MultiLeader}
	ba := s.block(0, 10)
	pa := block.NewProposal(ba, round0, s.keys[0], nil)
	bld := block.NewBuilder(block.Value{Kind: block.Validated, Block: s.executed(t, 0, ba)}, round0, n.Genesis.Committee)
	for v := range 3 {
		vote, err := n.Validators[v].HandleProposal(ctx, pa)
		if err != nil {
			t.Fatalf("validator %d: %v", v, err)
		}
		if _, err := bld.Add(vote); err != nil {
			t.Fatalf("validator %d: vote: %v", v, err)
		}
	}
	validated := bld.Certificate()
	if validated == nil {
		t.Fatalf("no validated certificate from three votes")
	}
	if _, err := n.Validators[3].HandleProposal(ctx, block.NewProposal(s.block(1, 20), round0, s.keys[1], nil)); err != nil {
		t.Fatalf("validator 3 on b's block: %v", err)
	}
	if vote, err := n.Validators[0].HandleCertificate(ctx, validated); err != nil || vote == nil {
		t.Fatalf("validator 0: validated certificate: vote %v, err %v", vote, err)
	}

	n.Advance(manager.DefaultBaseTimeout + 1)
	tc := s.timeout(t, 0, round0)
	if tc == nil {
		t.Fatalf("no timeout certificate")
	}
	for _, val := range n.Validators {
		if _, err := val.HandleCertificate(ctx, tc); err != nil {
			t.Fatalf("timeout certificate: %v", err)
		}
	}
	l := s.leader(t, 0, block.Round{Kind: block.SingleLeader})
	w := s.owners[l]
	op := transfer(ids.Owner{}, to(s.parent.Chain), tokens(3))
	if _, err := w.Transfer(ctx, op); !errors.Is(err, client.ErrLockedBlock) {
		t.Fatalf("leader's proposal with a locked block: err = %v, want ErrLockedBlock", err)
	}
	got := certsAt(n, s.id, 0)
	if len(got) != 1 {
		t.Fatalf("certificates at height 0 = %v, want one", got)
	}
	for h, vs := range got {
		c, _ := state(n, vs[0], s.id).Certificate(0)
		if c.Value.Block.Block.Hash() != ba.Hash() || len(vs) != 4 {
			t.Errorf("confirmed at height 0: %s on %v, want a's block on all four", h.Short(), vs)
		}
	}
	mustTransfer(t, w, op)
	if err := s.owners[1-l].Sync(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
	wantBalance(t, n, s.id, ids.Owner{}, tokens(37), s.owners[0], s.owners[1])
	sameStateHashes(t, n, s.owners[0], s.owners[1])
	mustDeliver(t, n)
	mustProcess(t, s.parent)
	wantBalance(t, n, s.parent.Chain, ids.Owner{}, tokens(63), s.parent)
}
