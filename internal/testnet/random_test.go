package testnet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// TestRandomWorkload runs seeded random workloads: transfers (to chain
// and owner accounts) among 4–6 root chains and the child chains they
// open, child chains closing, deliveries and inbox processing at random
// moments, and one validator at a time misbehaving (sometimes offline,
// then back and lagging). At the end, with everyone honest and every
// message delivered and processed, all validators and wallets agree on
// every chain, every credit was taken exactly once (accepted or bounced
// back), every account holds what the model says, and no token was made
// or lost. Replay a failure with -testnet.seed.
func TestRandomWorkload(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4}
	if testing.Short() {
		seeds = seeds[:1]
	}
	if *seedFlag != 0 {
		seeds = []uint64{*seedFlag}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := newWorkload(t, seed)
			defer func() {
				if t.Failed() {
					t.Logf("steps:\n%s", strings.Join(w.trace, "\n"))
					t.Logf("replay with: go test ./internal/testnet -run 'TestRandomWorkload' -testnet.seed=%d", seed)
				}
			}()
			for step := range 60 {
				w.step(step)
				if t.Failed() {
					return
				}
			}
			w.settle()
			w.check()
		})
	}
}

// credit is a tracked credit sent to another chain, identified by the
// bundle that carries it.
type credit struct {
	from   ids.ChainID
	cursor block.Cursor
	to     ids.Account
	source ids.Owner
	amount amount.Amount
}

type wallet struct {
	*client.Client
	closed bool
	child  bool
}

type workload struct {
	t       *testing.T
	ctx     context.Context
	rng     *rand.Rand
	n       *Network
	wallets []*wallet
	// unopened are child chains opened but without a wallet yet.
	unopened map[ids.ChainID]*keys.PrivateKey
	// in and out are what each account received and paid, as far as the
	// model knows (credits to other chains count once they are taken);
	// inflight are the credits sent to other chains.
	in, out  map[ids.Account]amount.Amount
	inflight []credit
	supply   amount.Amount
	trace    []string
}

func newWorkload(t *testing.T, seed uint64) *workload {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	roots := 4 + rng.IntN(3)
	var bals []amount.Amount
	for range roots {
		bals = append(bals, tokens(uint64(20+rng.IntN(100))))
	}
	w := &workload{t: t, ctx: context.Background(), rng: rng, unopened: map[ids.ChainID]*keys.PrivateKey{},
		n:  New(Config{Validators: 4, Seed: seed, Chains: bals}),
		in: map[ids.Account]amount.Amount{}, out: map[ids.Account]amount.Amount{}}
	for i, b := range bals {
		w.wallets = append(w.wallets, &wallet{Client: w.n.Wallet(i)})
		w.in[to(w.n.Genesis.ChainID(i))] = b
		w.supply = add(w.supply, b)
	}
	w.logf("%d root chains, balances %v", roots, bals)
	return w
}

func add(a, b amount.Amount) amount.Amount {
	s, err := a.Add(b)
	if err != nil {
		panic(err)
	}
	return s
}

func (w *workload) pay(a ids.Account, x amount.Amount)     { w.out[a] = add(w.out[a], x) }
func (w *workload) receive(a ids.Account, x amount.Amount) { w.in[a] = add(w.in[a], x) }

func (w *workload) logf(format string, args ...any) {
	w.trace = append(w.trace, fmt.Sprintf(format, args...))
}

func (w *workload) fail(format string, args ...any) {
	w.t.Helper()
	w.logf("FAILED: "+format, args...)
	w.t.Errorf(format, args...)
}

func (w *workload) pick() *wallet { return w.wallets[w.rng.IntN(len(w.wallets))] }

func (w *workload) step(i int) {
	switch r := w.rng.IntN(100); {
	case r < 40:
		w.transfer()
	case r < 55:
		w.deliver()
	case r < 72:
		w.process(w.pick())
	case r < 78:
		w.open()
	case r < 81:
		w.close()
	case r < 93:
		w.toggleFault()
	default:
		d := uint64(w.rng.IntN(2_000_000))
		w.n.Advance(d)
		w.logf("advance %dµs", d)
	}
	w.adopt()
}

// adopt makes wallets for opened child chains once validators have them.
func (w *workload) adopt() {
	for id, k := range w.unopened {
		if !state(w.n, firstOnline(w.n), id).Active() {
			continue
		}
		delete(w.unopened, id)
		w.wallets = append(w.wallets, &wallet{Client: childWallet(w.t, w.n, id, k), child: true})
		w.logf("wallet for child %s", id.Short())
	}
}

func firstOnline(n *Network) int {
	for i, v := range n.Validators {
		if v.Fault != Offline {
			return i
		}
	}
	return 0
}

func (w *workload) transfer() {
	from := w.pick()
	if from.closed {
		return
	}
	owner := from.Key.Owner()
	st := localState(from.Client)
	source := ids.Owner{}
	bal := st.System.Balance()
	if ob := st.System.OwnerBalance(owner); !ob.IsZero() && w.rng.IntN(3) == 0 {
		source, bal = owner, ob
	}
	if bal.IsZero() {
		return
	}
	amt := amount.Min(bal, tokens(uint64(1+w.rng.IntN(20))))
	dest := w.pick()
	acct := to(dest.Chain)
	if w.rng.IntN(4) == 0 {
		acct.Owner = dest.Key.Owner()
	}
	w.logf("transfer %s from %s:%s to %s:%s", amt, from.Chain.Short(), source.Short(), acct.Chain.Short(), acct.Owner.Short())
	cert, err := from.Transfer(w.ctx, transfer(source, acct, amt))
	if err != nil {
		w.fail("transfer %s from %s: %v", amt, from.Chain.Short(), err)
		return
	}
	w.pay(ids.Account{Chain: from.Chain, Owner: source}, amt)
	if acct.Chain == from.Chain {
		w.receive(acct, amt)
		return
	}
	w.inflight = append(w.inflight, credit{from: from.Chain, cursor: block.Cursor{Height: cert.Value.Height()},
		to: acct, source: source, amount: amt})
}

func (w *workload) deliver() {
	if err := w.n.Deliver(w.ctx); err != nil {
		w.fail("deliver: %v", err)
	}
	w.logf("deliver (%d left for offline validators)", w.n.Pending())
}

func (w *workload) process(x *wallet) {
	cert, err := x.ProcessInbox(w.ctx)
	if err != nil {
		w.fail("process inbox of %s: %v", x.Chain.Short(), err)
		return
	}
	if cert != nil {
		w.logf("process inbox of %s: block %d took %d bundles", x.Chain.Short(), cert.Value.Height(), len(cert.Value.Block.Block.Transactions))
	}
}

func (w *workload) open() {
	parent := w.pick()
	if parent.closed {
		return
	}
	bal := localState(parent.Client).System.Balance()
	amt := amount.Min(bal, tokens(uint64(w.rng.IntN(10))))
	k := w.n.NewKey()
	op := system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(k.Owner()), Amount: amt}
	cert, err := parent.Execute(w.ctx, op.AsBlockOperation())
	if err != nil {
		w.fail("open chain from %s: %v", parent.Chain.Short(), err)
		return
	}
	id := ids.ChildDescription(parent.Chain, cert.Value.Height(), 0).ID()
	w.logf("%s opens %s with %s", parent.Chain.Short(), id.Short(), amt)
	w.unopened[id] = k
	w.pay(to(parent.Chain), amt)
	w.receive(to(id), amt)
}

func (w *workload) close() {
	x := w.pick()
	if !x.child || x.closed {
		return
	}
	if _, err := x.Execute(w.ctx, system.Operation{Kind: system.OpCloseChain}.AsBlockOperation()); err != nil {
		w.fail("close %s: %v", x.Chain.Short(), err)
		return
	}
	x.closed = true
	w.logf("close %s", x.Chain.Short())
}

var randomFaults = []Fault{Offline, Offline, RefuseVotes, WrongVote, WrongStateHash, Equivocate, Slow}

// toggleFault makes the faulty validator honest again, or, if there is
// none, one validator faulty. A validator back from offline lags until the
// clients bring it up to date as they need it (its own chains' blocks, the
// senders of the bundles a block takes, a new chain's parent), so a lagging
// validator and another faulty one must still leave a quorum; see
// TestLaggingValidatorAndOneFault.
func (w *workload) toggleFault() {
	for i, v := range w.n.Validators {
		if v.Fault != Honest {
			v.Fault = Honest
			w.logf("validator %d honest again", i)
			return
		}
	}
	i, f := w.rng.IntN(len(w.n.Validators)), randomFaults[w.rng.IntN(len(randomFaults))]
	w.n.Validators[i].Fault = f
	w.logf("validator %d %s", i, f)
}

// settle makes everyone honest, brings lagging validators up to date, and
// delivers and processes until nothing moves.
func (w *workload) settle() {
	for _, v := range w.n.Validators {
		v.Fault = Honest
	}
	w.logf("settle")
	for round := 0; ; round++ {
		if round == 10 {
			w.fail("still moving after 10 rounds of delivery and inbox processing")
			return
		}
		w.syncAll()
		w.adopt()
		moved := false
		for _, x := range w.wallets {
			if len(localPending(w, x)) > 0 {
				w.process(x)
				moved = true
			}
		}
		if !moved && w.n.Pending() == 0 && len(w.unopened) == 0 {
			return
		}
	}
}

// localPending returns what validators hold for x's inbox.
func localPending(w *workload, x *wallet) []block.IncomingBundle {
	p, err := x.PendingBundles(w.ctx)
	if err != nil {
		w.fail("pending bundles of %s: %v", x.Chain.Short(), err)
	}
	return p
}

// catchUp sends every validator the blocks of x's chain it lacks, from
// the wallet's local node, as a synchronising client does. A validator
// that does not have a child chain yet (it missed the parent's block)
// is skipped: it gets the chain once the parent's update is delivered.
// It reports whether every validator is now up to date on the chain.
func catchUp(t *testing.T, n *Network, x *client.Client) bool {
	t.Helper()
	ctx := context.Background()
	local := localState(x)
	done := true
	for i, v := range n.Validators {
		for h := state(n, i, x.Chain).Tip().NextHeight; h < local.Tip().NextHeight; h++ {
			c, ok := local.Certificate(h)
			if !ok {
				t.Fatalf("wallet of %s lacks its block %d", x.Chain.Short(), h)
			}
			_, err := v.HandleCertificate(ctx, c)
			if errors.Is(err, chain.ErrInactive) {
				done = false
				break
			}
			if err != nil {
				t.Fatalf("validator %d: catch up %s at %d: %v", i, x.Chain.Short(), h, err)
			}
		}
	}
	return done
}

// syncAll brings every validator up to date on every wallet's chain and
// delivers the resulting updates.
func (w *workload) syncAll() {
	for range 10 {
		w.deliver()
		done := true
		for _, x := range w.wallets {
			done = catchUp(w.t, w.n, x.Client) && done
		}
		w.deliver()
		if done {
			return
		}
	}
	w.fail("validators still not up to date after 10 rounds of sync")
}

// checkAccount checks that an account holds what it received less what
// it paid.
func (w *workload) checkAccount(a ids.Account, got amount.Amount) {
	w.t.Helper()
	if add(got, w.out[a]) != w.in[a] {
		w.fail("balance of %s:%s = %s, but it received %s and paid %s", a.Chain.Short(), a.Owner.Short(), got, w.in[a], w.out[a])
	}
}

// takenKey names a bundle by its sender, its cursor and its recipient.
type takenKey struct {
	origin, by ids.ChainID
	cursor     block.Cursor
}

func (w *workload) check() {
	clients := make([]*client.Client, len(w.wallets))
	for i, x := range w.wallets {
		clients[i] = x.Client
	}
	sameStateHashes(w.t, w.n, clients...)

	taken := map[takenKey][]block.Action{}
	sent := map[takenKey]bool{}
	// bounces names the bounce of each rejected bundle.
	bounces := map[takenKey]takenKey{}
	for _, x := range w.wallets {
		st := localState(x.Client)
		for h := range st.Tip().NextHeight {
			c, _ := st.Certificate(h)
			for i, tx := range c.Value.Block.Block.Transactions {
				if tx.Bundle != nil {
					k := takenKey{origin: tx.Bundle.Origin, by: x.Chain, cursor: tx.Bundle.Bundle.Cursor()}
					taken[k] = append(taken[k], tx.Bundle.Action)
					if tx.Bundle.Action == block.Reject {
						bounces[k] = takenKey{origin: x.Chain, by: tx.Bundle.Origin, cursor: block.Cursor{Height: h, Index: uint32(i)}}
					}
				}
			}
			for _, r := range c.Value.Block.Recipients() {
				for _, b := range c.Value.Block.Bundles(c.Hash(), r) {
					sent[takenKey{origin: x.Chain, by: r, cursor: b.Cursor()}] = true
				}
			}
		}
		for v := range w.n.Validators {
			if p := state(w.n, v, x.Chain).PendingBundles(); len(p) != 0 {
				w.fail("validator %d: %s still has %d bundles pending", v, x.Chain.Short(), len(p))
			}
			if p := state(w.n, v, x.Chain).PendingOutboxes(); len(p) != 0 {
				w.fail("validator %d: %s still has unacknowledged outboxes to %d chains", v, x.Chain.Short(), len(p))
			}
		}
	}
	for k, actions := range taken {
		if !sent[k] {
			w.fail("%s took bundle %s from %s, which was never sent", k.by.Short(), k.cursor, k.origin.Short())
		}
		if len(actions) != 1 {
			w.fail("%s took bundle %s from %s %d times", k.by.Short(), k.cursor, k.origin.Short(), len(actions))
		}
	}
	for k := range sent {
		if len(taken[k]) == 0 {
			w.fail("bundle %s from %s to %s never taken", k.cursor, k.origin.Short(), k.by.Short())
		}
	}

	// Where each credit went: its recipient accepted it, or rejected it
	// and it bounced back to its source, which accepts it even if it closed
	// meanwhile (nothing bounces a bounce, and nothing is burned).
	for _, c := range w.inflight {
		k := takenKey{origin: c.from, by: c.to.Chain, cursor: c.cursor}
		actions := taken[k]
		if len(actions) == 0 {
			continue // reported above
		}
		if actions[0] == block.Accept {
			w.receive(c.to, c.amount)
			continue
		}
		back := taken[bounces[k]]
		switch {
		case len(back) == 0:
			w.fail("the bounce of bundle %s from %s to %s was never taken", c.cursor, c.from.Short(), c.to.Chain.Short())
		case back[0] == block.Accept:
			w.receive(ids.Account{Chain: c.from, Owner: c.source}, c.amount)
		default:
			w.fail("the bounce of bundle %s from %s to %s was rejected: tokens burned", c.cursor, c.from.Short(), c.to.Chain.Short())
		}
	}
	var total amount.Amount
	for _, x := range w.wallets {
		s := state(w.n, 0, x.Chain)
		w.checkAccount(to(x.Chain), s.System.Balance())
		seen := map[ids.Owner]bool{}
		s.System.OwnerBalances(func(o ids.Owner, a amount.Amount) bool {
			seen[o] = true
			w.checkAccount(ids.Account{Chain: x.Chain, Owner: o}, a)
			return true
		})
		for a := range w.in {
			if a.Chain == x.Chain && !a.Owner.IsZero() && !seen[a.Owner] {
				w.checkAccount(a, amount.Zero)
			}
		}
		tb, err := s.System.TotalBalance()
		if err != nil {
			w.fail("total balance of %s: %v", x.Chain.Short(), err)
		}
		total = add(total, tb)
	}
	if total != w.supply {
		w.fail("supply = %s, started with %s", total, w.supply)
	}
	w.t.Logf("%d chains, %d credits sent across chains, %d bundles taken, %d messages delivered",
		len(w.wallets), len(w.inflight), len(taken), w.n.Delivered)
}
