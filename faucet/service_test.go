package faucet_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/internal/testnet"
)

func TestClaimedChainCanTransfer(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	ctx := context.Background()
	k := f.net.NewKey()
	res := f.mustClaim(k.Owner())
	f.checkResult(res)
	f.deliver()

	c := f.child(res, k)
	s := chain.Open(ctx, c.Local.Store, res.Chain)
	if got, want := s.System.Ownership(), manager.Single(k.Owner()); !got.IsOwner(k.Owner()) || len(got.Owners) != 1 {
		t.Errorf("ownership of the claimed chain = %+v, want %+v", got, want)
	}
	if got := s.System.Balance(); got != amount.Tokens(10) {
		t.Errorf("balance of the claimed chain = %s, want 10", got)
	}
	to := ids.Account{Chain: f.net.Genesis.ChainID(userIndex)}
	if _, err := c.Transfer(ctx, system.Operation{Kind: system.OpTransfer, Recipient: to, Amount: amount.Tokens(3)}); err != nil {
		t.Fatalf("transfer from the claimed chain: %v", err)
	}
	f.deliver()
	user := f.net.Wallet(userIndex)
	if _, err := user.ProcessInbox(ctx); err != nil {
		t.Fatalf("ProcessInbox: %v", err)
	}
	if got, _ := user.Balance(ctx); got != "103" {
		t.Errorf("recipient balance = %s, want 103", got)
	}
}

// TestParallelClaimsAreBatched holds the first block in flight until the
// other 19 claims wait behind it: they must all go into the next block.
func TestParallelClaimsAreBatched(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, setup{balance: amount.Tokens(1000), opts: faucet.Options{RateLimit: faucet.RateLimit{Burst: 20}}})
		g := newGate(f.c.Validators[0])
		f.c.Validators[0] = g
		start := f.tip(0).NextHeight

		const claims = 20
		results := make([]faucet.ClaimResult, claims)
		errs := make([]error, claims)
		var wg sync.WaitGroup
		claim := func(i int) {
			wg.Go(func() { results[i], errs[i] = f.claim(keyAt(uint64(i)).Owner(), "198.51.100.7") })
		}
		claim(0)
		<-g.entered
		for i := 1; i < claims; i++ {
			claim(i)
		}
		synctest.Wait() // every claim is queued behind the block in flight
		close(g.open)
		wg.Wait()

		seen := map[ids.ChainID]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("claim %d: %v", i, err)
			}
			f.checkResult(results[i])
			if seen[results[i].Chain] {
				t.Errorf("claim %d: chain %s given twice", i, results[i].Chain.Short())
			}
			seen[results[i].Chain] = true
		}
		if blocks := f.tip(0).NextHeight - start; blocks != 2 {
			t.Errorf("20 claims took %d blocks, want 2 (one held, then one batch of 19)", blocks)
		}
		f.sameChain()
		f.deliver()
		for i, res := range results {
			s := chain.Open(context.Background(), f.net.Validators[3].Store, res.Chain)
			if !s.Active() || !s.System.Ownership().IsOwner(keyAt(uint64(i)).Owner()) {
				t.Errorf("claim %d: chain %s not created for its owner", i, res.Chain.Short())
			}
		}
	})
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000),
		opts: faucet.Options{RateLimit: faucet.RateLimit{Every: time.Minute, Burst: 2}}})
	owner := func() ids.Owner { return f.net.NewKey().Owner() }
	for i := range 2 {
		if _, err := f.claim(owner(), "203.0.113.9"); err != nil {
			t.Fatalf("claim %d within the burst: %v", i, err)
		}
	}
	_, err := f.claim(owner(), "203.0.113.9")
	var rl *faucet.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, faucet.ErrRateLimited) || rl.RetryAfter != time.Minute {
		t.Fatalf("claim over the burst = %v, want a RateLimitError with RetryAfter 1m", err)
	}
	if _, err := f.claim(owner(), "203.0.113.10"); err != nil {
		t.Errorf("claim from another address: %v", err)
	}
	f.now = f.now.Add(time.Minute)
	if _, err := f.claim(owner(), "203.0.113.9"); err != nil {
		t.Errorf("claim a minute later: %v", err)
	}
	_, err = f.claim(owner(), "203.0.113.9")
	wantErr(t, "second claim a minute later", err, faucet.ErrRateLimited)
}

func TestOneChainPerOwner(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	k := f.net.NewKey()
	res := f.mustClaim(k.Owner())
	_, err := f.claim(k.Owner(), "192.0.2.2")
	wantErr(t, "second claim of one owner", err, faucet.ErrAlreadyClaimed)
	if !strings.Contains(err.Error(), res.Chain.String()) {
		t.Errorf("refusal %q does not name the owner's chain %s", err, res.Chain)
	}
	f.restart() // the count comes back from the faucet chain's blocks
	_, err = f.claim(k.Owner(), "192.0.2.2")
	wantErr(t, "claim of one owner after a restart", err, faucet.ErrAlreadyClaimed)
	f.mustClaim(f.net.NewKey().Owner())
}

func TestPerOwnerLimit(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000), opts: faucet.Options{PerOwner: 2}})
	o := f.net.NewKey().Owner()
	a, b := f.mustClaim(o), f.mustClaim(o)
	if a.Chain == b.Chain {
		t.Errorf("two claims gave the same chain %s", a.Chain.Short())
	}
	_, err := f.claim(o, "192.0.2.2")
	wantErr(t, "third claim with PerOwner 2", err, faucet.ErrAlreadyClaimed)
}

// TestChains checks Service.Chains: an owner's chains oldest first, none
// for an owner never served, and the same list after a restart (rebuilt
// from the faucet chain's blocks).
func TestChains(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000), opts: faucet.Options{PerOwner: 2}})
	o, other := f.net.NewKey().Owner(), f.net.NewKey().Owner()
	a := f.mustClaim(o)
	f.mustClaim(other)
	b := f.mustClaim(o)
	want := []ids.Description{a.Description, b.Description}
	if got := f.svc.Chains(o); !slices.Equal(got, want) {
		t.Errorf("Chains(o) = %v, want %v", got, want)
	}
	if got := f.svc.Chains(f.net.NewKey().Owner()); len(got) != 0 {
		t.Errorf("Chains of an owner never served = %v, want none", got)
	}
	f.restart()
	if got := f.svc.Chains(o); !slices.Equal(got, want) {
		t.Errorf("Chains(o) after a restart = %v, want %v", got, want)
	}
	if got := f.svc.Chains(ids.Owner{}); len(got) != 0 {
		t.Errorf("Chains of the zero owner = %v, want none", got)
	}
}

func TestInvalidOwner(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	_, err := f.claim(ids.Owner{}, "192.0.2.2")
	wantErr(t, "claim for the zero owner", err, faucet.ErrInvalidOwner)
}

func TestDryFaucet(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(25)})
	f.mustClaim(f.net.NewKey().Owner())
	f.mustClaim(f.net.NewKey().Owner())
	o := f.net.NewKey().Owner()
	_, err := f.claim(o, "192.0.2.3")
	wantErr(t, "claim from a faucet holding 5", err, faucet.ErrDry)
	if !strings.Contains(err.Error(), "holds 5") {
		t.Errorf("dry error %q does not say what the faucet holds", err)
	}

	// A transfer to the faucet chain refills it: the faucet takes it in.
	ctx := context.Background()
	user := f.net.Wallet(userIndex)
	to := ids.Account{Chain: f.faucetChain()}
	if _, err := user.Transfer(ctx, system.Operation{Kind: system.OpTransfer, Recipient: to, Amount: amount.Tokens(20)}); err != nil {
		t.Fatalf("refill: %v", err)
	}
	f.deliver()
	if _, err := f.claim(o, "192.0.2.3"); err != nil {
		t.Fatalf("claim after a refill: %v", err)
	}
	f.sameChain()
}

// TestDryFaucetFees: the balance covers the amount but not the block's
// fees; the local check refuses the block before anything is sent.
func TestDryFaucetFees(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(10), policy: committee.Testnet()})
	start := f.tip(0).NextHeight
	_, err := f.claim(f.net.NewKey().Owner(), "192.0.2.4")
	wantErr(t, "claim of the whole balance under fees", err, faucet.ErrDry)
	if !strings.Contains(err.Error(), "fees") {
		t.Errorf("dry error %q does not mention fees", err)
	}
	if got := f.tip(0).NextHeight; got != start {
		t.Errorf("faucet chain moved from height %d to %d on a refused claim", start, got)
	}
	pending, err := f.c.Pending(context.Background())
	if err != nil || pending != nil {
		t.Errorf("pending block after a refused claim = %v, %v; want none", pending, err)
	}
}

func TestValidatorsUnreachable(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	f.net.Validators[2].Fault = testnet.Offline
	f.net.Validators[3].Fault = testnet.Offline
	a := f.net.NewKey().Owner()
	_, err := f.claim(a, "192.0.2.5")
	wantErr(t, "claim with 2 of 4 validators offline", err, faucet.ErrUnreachable)

	// Back online: the block left pending is finished first, so a's chain
	// exists after all and a second claim for a is refused.
	f.net.Validators[2].Fault = testnet.Honest
	f.net.Validators[3].Fault = testnet.Honest
	f.mustClaim(f.net.NewKey().Owner())
	_, err = f.claim(a, "192.0.2.5")
	wantErr(t, "claim for the owner of the finished pending block", err, faucet.ErrAlreadyClaimed)
	f.sameChain()
}

func TestClaimAfterClose(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	f.svc.Close()
	_, err := f.claim(f.net.NewKey().Owner(), "192.0.2.6")
	wantErr(t, "claim after Close", err, faucet.ErrClosed)
}

func TestNewRefusesForeignKey(t *testing.T) {
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Zero, amount.Tokens(10)}})
	c := n.WalletFor(n.Genesis.ChainID(1), n.Key(0))
	_, err := faucet.New(context.Background(), c, faucet.Options{Amount: amount.Tokens(1)})
	if err == nil || !strings.Contains(err.Error(), "not an owner") {
		t.Fatalf("New with a key that does not own the chain = %v, want a refusal", err)
	}
	_, err = faucet.New(context.Background(), n.Wallet(1), faucet.Options{})
	if err == nil {
		t.Fatal("New without an amount succeeded")
	}
}

func TestClaimCancelledWhileQueued(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, setup{balance: amount.Tokens(1000)})
		g := newGate(f.c.Validators[0])
		f.c.Validators[0] = g
		var wg sync.WaitGroup
		wg.Go(func() { f.mustClaim(keyAt(1).Owner()) })
		<-g.entered
		ctx, cancel := context.WithCancel(context.Background())
		var err error
		o := keyAt(2).Owner()
		wg.Go(func() { _, err = f.svc.Claim(ctx, o, "192.0.2.7") })
		synctest.Wait()
		cancel()
		synctest.Wait()
		close(g.open)
		wg.Wait()
		synctest.Wait() // the batcher has dropped the cancelled claim
		wantErr(t, "claim cancelled while queued", err, context.Canceled)
		// The cancelled claim was dropped before its block: o may claim.
		if _, err := f.claim(o, "192.0.2.7"); err != nil {
			t.Errorf("claim after a cancelled one: %v", err)
		}
		if got := fmt.Sprint(f.tip(0).NextHeight); got != "2" {
			t.Errorf("faucet chain height %s, want 2 (no block for the cancelled claim)", got)
		}
	})
}
