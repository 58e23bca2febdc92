package testnet

import (
	"context"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// TestTransfersFourValidators moves tokens back and forth between three
// root chains and checks every balance on every validator and wallet right
// after each recipient has processed its inbox, and that the supply never
// changes.
func TestTransfersFourValidators(t *testing.T) {
	n := New(Config{Validators: 4, Seed: 2, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(5), tokens(0)}})
	a, b, c := n.Wallet(1), n.Wallet(2), n.Wallet(3)
	chains := rootChains(n)
	start := supply(t, n, 0, chains)

	mustTransfer(t, a, transfer(ids.Owner{}, to(b.Chain), tokens(30)))
	mustTransfer(t, a, transfer(ids.Owner{}, to(c.Chain), tokens(20)))
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(50), a)
	// Credits in flight are nowhere yet: b and c are unchanged.
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(5), b)
	mustDeliver(t, n)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(5), b)
	mustProcess(t, b)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(35), b)
	mustProcess(t, c)
	wantBalance(t, n, c.Chain, ids.Owner{}, tokens(20), c)

	// c pays b, b pays a: two hops.
	mustTransfer(t, c, transfer(ids.Owner{}, to(b.Chain), tokens(15)))
	mustDeliver(t, n)
	mustProcess(t, b)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(50), b)
	mustTransfer(t, b, transfer(ids.Owner{}, to(a.Chain), tokens(49)))
	mustDeliver(t, n)
	mustProcess(t, a)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(99), a)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(1), b)
	wantBalance(t, n, c.Chain, ids.Owner{}, tokens(5), c)
	sameStateHashes(t, n, a, b, c)
	if got := supply(t, n, 0, chains); got != start {
		t.Errorf("supply = %s, want %s", got, start)
	}
	if got := n.Pending(); got != 0 {
		t.Errorf("%d cross-chain messages still queued, want 0", got)
	}
}

// TestTransferInOneBlockToSelfAndOthers puts several transfers in one
// block, one of them to the chain itself, and takes two bundles from one
// sender in one block.
func TestTransferInOneBlockToSelfAndOthers(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 3, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(0)}})
	a, b := n.Wallet(1), n.Wallet(2)
	owner := n.Key(1).Owner()
	_, err := a.Execute(ctx,
		transfer(ids.Owner{}, to(b.Chain), tokens(1)).AsBlockOperation(),
		transfer(ids.Owner{}, ids.Account{Chain: a.Chain, Owner: owner}, tokens(2)).AsBlockOperation(),
		transfer(ids.Owner{}, to(b.Chain), tokens(3)).AsBlockOperation())
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	mustDeliver(t, n)
	cert := mustProcess(t, b)
	if got := len(cert.Value.Block.Block.Transactions); got != 2 {
		t.Errorf("b's block took %d bundles, want 2 (one per sending transaction)", got)
	}
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(94), a)
	wantBalance(t, n, a.Chain, owner, tokens(2), a)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(4), b)
	sameStateHashes(t, n, a, b)
}

// TestOwnerAccounts credits an owner's account on another chain, which the
// owner then spends from with Operation.Owner.
func TestOwnerAccounts(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 4, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(0)}})
	a, b := n.Wallet(1), n.Wallet(2)
	bob := n.Key(2).Owner()
	chains := rootChains(n)
	start := supply(t, n, 0, chains)

	mustTransfer(t, a, transfer(ids.Owner{}, ids.Account{Chain: b.Chain, Owner: bob}, tokens(40)))
	mustDeliver(t, n)
	mustProcess(t, b)
	wantBalance(t, n, b.Chain, bob, tokens(40), b)
	wantBalance(t, n, b.Chain, ids.Owner{}, amount.Zero, b)
	if got := supply(t, n, 0, chains); got != start {
		t.Errorf("supply with an owner account = %s, want %s", got, start)
	}

	// The chain account is empty: spending from it fails; from bob's
	// account it works.
	if _, err := b.Transfer(ctx, transfer(ids.Owner{}, to(a.Chain), tokens(1))); !errors.Is(err, system.ErrInsufficientFunds) {
		t.Errorf("transfer from the empty chain account: err = %v, want ErrInsufficientFunds", err)
	}
	mustTransfer(t, b, transfer(bob, to(a.Chain), tokens(15)))
	mustTransfer(t, b, transfer(bob, ids.Account{Chain: b.Chain}, tokens(5))) // local: owner → chain account
	wantBalance(t, n, b.Chain, bob, tokens(20), b)
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(5), b)
	if _, err := b.Transfer(ctx, transfer(bob, to(a.Chain), tokens(21))); !errors.Is(err, system.ErrInsufficientFunds) {
		t.Errorf("overdraw bob's account: err = %v, want ErrInsufficientFunds", err)
	}
	mustDeliver(t, n)
	mustProcess(t, a)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(75), a)

	// Emptying the account removes it; the chain account keeps the rest.
	mustTransfer(t, b, transfer(bob, to(a.Chain), tokens(20)))
	if got := countOwnerAccounts(n, 0, b.Chain); got != 0 {
		t.Errorf("owner accounts after emptying bob's = %d, want 0", got)
	}
	mustDeliver(t, n)
	mustProcess(t, a)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(95), a)
	sameStateHashes(t, n, a, b)
	if got := supply(t, n, 0, chains); got != start {
		t.Errorf("supply = %s, want %s", got, start)
	}
}

// TestOwnerAccountNeedsItsOwner: only the owner signs for its account. A
// chain owner cannot spend another owner's account.
func TestOwnerAccountNeedsItsOwner(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 5, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(0)}})
	a, b := n.Wallet(1), n.Wallet(2)
	stranger := n.NewKey().Owner()
	mustTransfer(t, a, transfer(ids.Owner{}, ids.Account{Chain: b.Chain, Owner: stranger}, tokens(10)))
	mustDeliver(t, n)
	mustProcess(t, b)
	wantBalance(t, n, b.Chain, stranger, tokens(10), b)
	if _, err := b.Transfer(ctx, transfer(stranger, to(a.Chain), tokens(1))); !errors.Is(err, system.ErrUnauthorized) {
		t.Errorf("chain owner spends another owner's account: err = %v, want ErrUnauthorized", err)
	}
	wantBalance(t, n, b.Chain, stranger, tokens(10), b)
}

func countOwnerAccounts(n *Network, v int, id ids.ChainID) int {
	count := 0
	state(n, v, id).System.OwnerBalances(func(ids.Owner, amount.Amount) bool {
		count++
		return true
	})
	return count
}

// TestBounceFromClosedChain opens a child chain, closes it, and sends it
// tracked credits (to its chain account and to an owner's account): the
// closed chain rejects them, and they bounce back to the sender's
// accounts they came from.
func TestBounceFromClosedChain(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 6, Chains: []amount.Amount{amount.Zero, tokens(100), tokens(50)}})
	a, b := n.Wallet(1), n.Wallet(2)
	alice := n.Key(1).Owner()
	key := n.NewKey()

	childID := openChild(t, a, manager.Single(key.Owner()), tokens(10))
	mustDeliver(t, n)
	child := childWallet(t, n, childID, key)
	chains := append(rootChains(n), childID)
	start := supply(t, n, 0, chains)
	if got, want := start, tokens(150); got != want {
		t.Fatalf("supply after opening the child = %s, want %s", got, want)
	}
	wantBalance(t, n, childID, ids.Owner{}, tokens(10), child)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(90), a)

	if _, err := child.Execute(ctx, system.Operation{Kind: system.OpCloseChain}.AsBlockOperation()); err != nil {
		t.Fatalf("close chain: %v", err)
	}
	for v := range n.Validators {
		if !state(n, v, childID).System.Closed() {
			t.Errorf("validator %d: child not closed", v)
		}
	}
	// A closed chain executes no more operations.
	if _, err := child.Transfer(ctx, transfer(ids.Owner{}, to(a.Chain), tokens(1))); !errors.Is(err, chain.ErrClosed) {
		t.Errorf("transfer from a closed chain: err = %v, want ErrClosed", err)
	}

	// Fund alice's owner account on a, then send from it and from b's
	// chain account to the closed child.
	mustTransfer(t, a, transfer(ids.Owner{}, ids.Account{Chain: a.Chain, Owner: alice}, tokens(30)))
	mustTransfer(t, a, transfer(alice, to(childID), tokens(7)))
	mustTransfer(t, b, transfer(ids.Owner{}, to(childID), tokens(20)))
	mustDeliver(t, n)
	if got := supply(t, n, 0, chains); got != tokens(123) {
		t.Errorf("supply with 27 in flight = %s, want 123", got)
	}

	cert := mustProcess(t, child)
	for i, tx := range cert.Value.Block.Block.Transactions {
		if tx.Bundle == nil || tx.Bundle.Action != block.Reject {
			t.Errorf("closed chain's transaction %d = %+v, want a rejected bundle", i, tx)
		}
	}
	wantBalance(t, n, childID, ids.Owner{}, tokens(10), child)
	mustDeliver(t, n)
	// The bounces are in the senders' inboxes, not credited yet.
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(30), b)
	mustProcess(t, a)
	mustProcess(t, b)
	mustDeliver(t, n)
	wantBalance(t, n, a.Chain, ids.Owner{}, tokens(60), a)
	wantBalance(t, n, a.Chain, alice, tokens(30), a) // 7 came back to alice, not to the chain account
	wantBalance(t, n, b.Chain, ids.Owner{}, tokens(50), b)
	sameStateHashes(t, n, a, b, child)
	if got := supply(t, n, 0, chains); got != start {
		t.Errorf("supply = %s, want %s", got, start)
	}
	if got := n.Pending(); got != 0 {
		t.Errorf("%d cross-chain messages still queued, want 0", got)
	}
	// Nothing is left for the child to take.
	if cert := mustProcess(t, child); cert != nil {
		t.Errorf("child's inbox not empty: block %d", cert.Value.Height())
	}
}

// TestBounceToClosedSender: a credit to a closed chain bounces back, but
// its sender has closed meanwhile. Nothing bounces a bounce, so the closed
// sender accepts bundles made only of bounces: the supply is conserved.
func TestBounceToClosedSender(t *testing.T) {
	ctx := context.Background()
	n := New(Config{Validators: 4, Seed: 10, Chains: []amount.Amount{amount.Zero, tokens(100)}})
	a := n.Wallet(1)
	k1, k2 := n.NewKey(), n.NewKey()
	id1 := openChild(t, a, manager.Single(k1.Owner()), tokens(10))
	id2 := openChild(t, a, manager.Single(k2.Owner()), tokens(10))
	mustDeliver(t, n)
	c1, c2 := childWallet(t, n, id1, k1), childWallet(t, n, id2, k2)
	chains := append(rootChains(n), id1, id2)
	start := supply(t, n, 0, chains)
	closeOp := system.Operation{Kind: system.OpCloseChain}.AsBlockOperation()
	if _, err := c2.Execute(ctx, closeOp); err != nil {
		t.Fatal(err)
	}
	mustTransfer(t, c1, transfer(ids.Owner{}, to(id2), tokens(4)))
	if _, err := c1.Execute(ctx, closeOp); err != nil {
		t.Fatal(err)
	}
	mustDeliver(t, n)
	mustProcess(t, c2) // rejects: the credit bounces to c1
	mustDeliver(t, n)
	mustProcess(t, c1) // closed: rejects the bounce
	mustDeliver(t, n)
	if got := supply(t, n, 0, chains); got != start {
		t.Errorf("supply = %s, want %s", got, start)
	}
}

// TestWalletOutboxStaysEmpty: a wallet's local node sends nothing, so it
// must not keep an outbox: were it never acknowledged, every block would
// re-derive every bundle the chain ever sent, and blocks would get slower
// without end.
func TestWalletOutboxStaysEmpty(t *testing.T) {
	n := New(Config{Validators: 4, Seed: 12, Chains: []amount.Amount{amount.Zero, tokens(100), amount.Zero}})
	a := n.Wallet(1)
	for range 3 {
		mustTransfer(t, a, transfer(ids.Owner{}, to(n.Genesis.ChainID(2)), tokens(1)))
	}
	if got := localState(a).PendingOutboxes(); len(got) != 0 {
		t.Errorf("wallet's local node has unacknowledged outboxes to %d chains, want none", len(got))
	}
	// The validators keep theirs until delivery is acknowledged.
	if got := state(n, 0, a.Chain).OutboxHeights(n.Genesis.ChainID(2)); len(got) != 3 {
		t.Errorf("validator's outbox heights = %v, want 3 blocks before delivery", got)
	}
	mustDeliver(t, n)
	if got := state(n, 0, a.Chain).PendingOutboxes(); len(got) != 0 {
		t.Errorf("validator's outboxes after delivery = %d, want none", len(got))
	}
}
