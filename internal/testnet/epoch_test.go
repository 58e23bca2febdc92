package testnet

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

func epochs(n *Network, v int, id ids.ChainID) (uint32, []uint32) {
	s := state(n, v, id)
	var es []uint32
	for _, c := range s.System.Committees() {
		es = append(es, c.Epoch)
	}
	return s.System.Epoch(), es
}

// wantEpochs checks a chain's epoch and trusted epochs on every validator.
func wantEpochs(t *testing.T, n *Network, id ids.ChainID, epoch uint32, trusted ...uint32) {
	t.Helper()
	for v := range n.Validators {
		if e, es := epochs(n, v, id); e != epoch || !slices.Equal(es, trusted) {
			t.Errorf("validator %d: chain %s in epoch %d trusting %v, want %d trusting %v", v, id.Short(), e, es, epoch, trusted)
		}
	}
}

func adminOp(t *testing.T, admin *client.Client, op system.Operation) *block.Certificate {
	t.Helper()
	c, err := admin.Execute(context.Background(), op.AsBlockOperation())
	if err != nil {
		t.Fatalf("admin %s: %v", op.Kind, err)
	}
	return c
}

// TestEpochChange: the admin chain creates epoch 1 (same validators) and
// then removes epoch 0. Subscribers (root chains, and a child chain that
// subscribed when it was opened) follow once they process their inboxes;
// then they propose in epoch 1, and a certificate of epoch 0 is no longer
// trusted.
func TestEpochChange(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 30, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(5)}})
	admin, a, b := n.Wallet(0), n.Wallet(1), n.Wallet(2)
	key := n.NewKey()
	childID := openChild(t, a, manager.Single(key.Owner()), tokens(10))
	mustDeliver(t, n)
	child := childWallet(t, n, childID, key)
	mustProcess(t, admin) // the child's Subscribe
	mustDeliver(t, n)
	mustProcess(t, child) // its OpenChain and the admin's SetCommittees
	old, ok := state(n, 0, a.Chain).Certificate(0)
	if !ok || old.Value.Epoch() != 0 {
		t.Fatalf("chain a's block 0 missing or not in epoch 0")
	}

	// Only the admin chain manages committees, one epoch at a time.
	if _, err := a.Execute(ctx, system.Operation{Kind: system.OpCreateCommittee, Epoch: 1, Committee: n.Genesis.Committee}.AsBlockOperation()); !errors.Is(err, system.ErrNotAdmin) {
		t.Errorf("create committee on chain a: err = %v, want ErrNotAdmin", err)
	}
	if _, err := admin.Execute(ctx, system.Operation{Kind: system.OpCreateCommittee, Epoch: 2, Committee: n.Genesis.Committee}.AsBlockOperation()); !errors.Is(err, system.ErrBadEpoch) {
		t.Errorf("create epoch 2 after 0: err = %v, want ErrBadEpoch", err)
	}

	c := adminOp(t, admin, system.Operation{Kind: system.OpCreateCommittee, Epoch: 1, Committee: n.Genesis.Committee})
	if got := c.Value.Block.Recipients(); len(got) != 3 {
		t.Errorf("create committee sent to %d chains, want 3 subscribers", len(got))
	}
	wantEpochs(t, n, admin.Chain, 1, 0, 1)
	wantEpochs(t, n, a.Chain, 0, 0)
	mustDeliver(t, n)
	wantEpochs(t, n, a.Chain, 0, 0) // delivered is not yet processed
	mustProcess(t, a)
	mustProcess(t, child)
	wantEpochs(t, n, a.Chain, 1, 0, 1)
	wantEpochs(t, n, childID, 1, 0, 1)

	if _, err := admin.Execute(ctx, system.Operation{Kind: system.OpRemoveCommittee, Epoch: 1}.AsBlockOperation()); !errors.Is(err, system.ErrBadEpoch) {
		t.Errorf("remove the current epoch: err = %v, want ErrBadEpoch", err)
	}
	rc := adminOp(t, admin, system.Operation{Kind: system.OpRemoveCommittee, Epoch: 0})
	if rc.Value.Epoch() != 1 {
		t.Errorf("admin's block after the change in epoch %d, want 1", rc.Value.Epoch())
	}
	wantEpochs(t, n, admin.Chain, 1, 1)
	mustDeliver(t, n)
	mustProcess(t, a)
	wantEpochs(t, n, a.Chain, 1, 1)

	// Chain a proposes in epoch 1, and its epoch-0 block is untrusted now.
	tc := mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(7)))
	if tc.Value.Epoch() != 1 {
		t.Errorf("chain a's block in epoch %d, want 1", tc.Value.Epoch())
	}
	for _, v := range n.Validators {
		if _, err := v.HandleCertificate(ctx, old); !errors.Is(err, chain.ErrUntrusted) {
			t.Errorf("validator %d: certificate of epoch 0: err = %v, want ErrUntrusted", v.Index(), err)
		}
	}
	stale := block.NewProposal(block.Block{Chain: a.Chain, Epoch: 0, Height: tc.Value.Height() + 1, Timestamp: n.Clock,
		Previous: tc.Hash(), Signer: a.Key.Owner(), Transactions: tc.Value.Block.Block.Transactions}, block.Round{Kind: block.MultiLeader}, a.Key, nil)
	if _, err := n.Validators[0].HandleProposal(ctx, stale); !errors.Is(err, chain.ErrWrongEpoch) {
		t.Errorf("proposal in the removed epoch: err = %v, want ErrWrongEpoch", err)
	}

	// Chain b processed nothing yet: it still works in epoch 0, then takes
	// both committee changes (and a's credit) in one block.
	bc := mustTransfer(t, b, transfer(ids.Owner{}, to(a.Chain), tokens(1)))
	if bc.Value.Epoch() != 0 {
		t.Errorf("chain b's block in epoch %d, want 0", bc.Value.Epoch())
	}
	mustDeliver(t, n)
	mustProcess(t, b)
	wantEpochs(t, n, b.Chain, 1, 1)
	mustProcess(t, a)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(84), a)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(11), b)

	// A fresh wallet replays chain a from genesis across the change.
	fresh := n.Wallet(1)
	if err := fresh.Sync(ctx); err != nil {
		t.Fatalf("fresh wallet sync: %v", err)
	}
	sameStateHashes(t, n, fresh, a, b, admin, child)
}

// TestEpochChangeLaggingValidator: a validator offline during the epoch
// change is brought up to date across it by the client.
func TestEpochChangeLaggingValidator(t *testing.T) {
	n := New(Config{Validators: 4, Seed: 31, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(5)}})
	admin, a, b := n.Wallet(0), n.Wallet(1), n.Wallet(2)
	n.Validators[2].Fault = Offline
	adminOp(t, admin, system.Operation{Kind: system.OpCreateCommittee, Epoch: 1, Committee: n.Genesis.Committee})
	mustDeliver(t, n)
	mustProcess(t, a)
	adminOp(t, admin, system.Operation{Kind: system.OpRemoveCommittee, Epoch: 0})
	mustDeliver(t, n)
	mustProcess(t, a)
	n.Validators[2].Fault = Honest
	mustDeliver(t, n)
	if e, _ := epochs(n, 2, a.Chain); e != 0 {
		t.Fatalf("validator 2 follows chain a in epoch %d before catching up, want 0", e)
	}
	c := mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(1)))
	if !slices.Contains(signers(c), 2) {
		t.Errorf("lagging validator 2 did not sign: %v", signers(c))
	}
	wantEpochs(t, n, a.Chain, 1, 1)
	sameStateHashes(t, n, a)
}
