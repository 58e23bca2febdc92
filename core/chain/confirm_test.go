package chain

import (
	"errors"
	"slices"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// confirmOn gives a confirmed certificate to validator v only.
func (f *fixture) confirmOn(v int, c *block.Certificate) { f.handle(v, c) }

func TestHandleCertificateConfirms(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	c := f.certify(f.next(1, ops(pay(f.id(2), amount.Tokens(30)))), block.Confirmed, block.Round{Kind: block.MultiLeader})
	vote, e, err := f.workers[0].HandleCertificate(f.ctx, c, f.now)
	if err != nil || vote != nil {
		t.Fatalf("HandleCertificate = vote %v, err %v; want no vote, no error", vote, err)
	}
	if want := []Notification{{Chain: f.id(1), Kind: NewBlock, Height: 0, Hash: c.Hash()}}; !slices.Equal(e.Notifications, want) {
		t.Errorf("notifications = %+v, want %+v", e.Notifications, want)
	}
	if len(e.Updates) != 1 || e.Updates[0].Recipient != f.id(2) || len(e.Updates[0].Bundles) != 1 {
		t.Fatalf("updates = %+v, want one bundle for chain 2", e.Updates)
	}
	f.run(0, e)
	s := f.state(0, f.id(1))
	if tip := s.Tip(); tip.NextHeight != 1 || tip.Hash != c.Hash() || tip.StateHash != c.Value.Block.Outcome.StateHash {
		t.Errorf("tip = %+v, want height 1, hash %s", tip, c.Hash().Short())
	}
	if got, ok := s.Certificate(0); !ok || got.Hash() != c.Hash() {
		t.Errorf("stored certificate 0 = %v, %v", got.Hash().Short(), ok)
	}
	// Delivered and acknowledged: the outbox is empty.
	if got := f.state(0, f.id(1)).PendingOutboxes(); len(got) != 0 {
		t.Errorf("pending outboxes after the ack = %v", got)
	}
	if got := f.state(0, f.id(2)).PendingBundles(); len(got) != 1 {
		t.Errorf("chain 2 has %d pending bundles, want 1", len(got))
	}

	// Again: accepted, no effect.
	before := f.dump(0)
	_, e, err = f.workers[0].HandleCertificate(f.ctx, c, f.now)
	if err != nil || e.Batch.Len() != 0 || len(e.Updates) != 0 || len(e.Notifications) != 0 {
		t.Errorf("repeated certificate: effects %+v, err %v; want none", e, err)
	}
	if f.dump(0) != before {
		t.Errorf("repeated certificate changed the store")
	}
}

func TestHandleCertificateRefuses(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	multi := block.Round{Kind: block.MultiLeader}
	b0 := f.next(1, ops(pay(f.id(2), amount.Tokens(30))))
	c0 := f.certify(b0, block.Confirmed, multi)
	f.now++
	b1 := b0
	b1.Height, b1.Previous = 1, c0.Hash()
	f.confirmOn(1, c0)
	c1 := f.certify2(1, b1)

	tooFew := *c0
	tooFew.Signatures = tooFew.Signatures[:2]
	forged := *c0
	forged.Signatures = slices.Clone(forged.Signatures)
	forged.Signatures[1].Signature = forged.Signatures[0].Signature
	lie := *c0.Value.Block
	lie.Outcome.StateHash[0] ^= 1
	wrongOutcome := f.sign(block.Value{Kind: block.Confirmed, Block: &lie}, multi)
	otherEpoch := f.sign(block.Value{Kind: block.Confirmed, Block: &block.Executed{Block: func() block.Block {
		b := b0
		b.Epoch = 7
		return b
	}(), Outcome: c0.Value.Block.Outcome}}, multi)
	inactive := b0
	inactive.Chain = ids.RootDescription(42).ID()
	inactiveCert := f.sign(block.Value{Kind: block.Confirmed, Block: &block.Executed{Block: inactive, Outcome: c0.Value.Block.Outcome}}, multi)

	tests := []struct {
		name string
		cert *block.Certificate
		want error
	}{
		{"missing earlier blocks", c1, ErrMissingBlocks},
		{"signatures of two validators of four", &tooFew, block.ErrNoQuorum},
		{"a signature that does not verify", &forged, nil},
		{"outcome not the executed one", wrongOutcome, ErrOutcomeMismatch},
		{"untrusted epoch", otherEpoch, ErrUntrusted},
		{"inactive chain", inactiveCert, ErrInactive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.dump(0)
			_, e, err := f.workers[0].HandleCertificate(f.ctx, tt.cert, f.now)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("HandleCertificate = %v, want %v", err, tt.want)
			}
			if e != nil {
				t.Errorf("refused certificate returned effects")
			}
			if f.dump(0) != before {
				t.Errorf("refused certificate changed the store")
			}
		})
	}
}

// certify2 certifies b as validator v sees it (v has applied the earlier
// blocks).
func (f *fixture) certify2(v int, b block.Block) *block.Certificate {
	f.tb.Helper()
	s := f.state(v, b.Chain)
	out, err := s.Execute(&b, ExecOptions{})
	s.Tx.Rollback()
	if err != nil {
		f.tb.Fatalf("execute: %v", err)
	}
	return f.sign(block.Value{Kind: block.Confirmed, Block: &block.Executed{Block: b, Outcome: *out}}, block.Round{Kind: block.MultiLeader})
}

// TestBundleTakenBeforeDelivery: a validator that has not seen the
// sender's block still applies the recipient's confirmed block, which
// takes the bundle by anticipation; the later delivery of that bundle
// matches, and the state ends as on the other validators.
func TestBundleTakenBeforeDelivery(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	c0 := f.certify(f.next(1, ops(pay(f.id(2), amount.Tokens(30)), pay(f.id(2), amount.Tokens(1)))), block.Confirmed, block.Round{Kind: block.MultiLeader})
	for v := range 3 {
		f.confirmOn(v, c0)
	}
	// Chain 2 takes only the first bundle.
	c2 := f.certify(f.next(2, f.inbox(2)[:1]), block.Confirmed, block.Round{Kind: block.MultiLeader})
	for v := range 4 {
		f.confirmOn(v, c2)
	}
	if got := f.state(3, f.id(2)).System.Balance(); got != amount.Tokens(35) {
		t.Errorf("validator 3: balance of chain 2 = %s, want 35", got)
	}
	// Validator 3 now gets chain 1's block; both bundles are delivered,
	// the first matching the anticipation.
	f.confirmOn(3, c0)
	for v := range 4 {
		pending := f.state(v, f.id(2)).PendingBundles()
		if len(pending) != 1 || pending[0].Bundle.TransactionIndex != 1 {
			t.Errorf("validator %d: pending = %+v, want the second bundle only", v, pending)
		}
		if f.state(v, f.id(2)).Tip() != f.state(0, f.id(2)).Tip() {
			t.Errorf("validator %d: tip of chain 2 differs from validator 0's", v)
		}
	}

	// A delivery that differs from what was taken is refused.
	g, u := differingDelivery(t)
	_, err := g.workers[3].HandleUpdate(g.ctx, u)
	if !errors.Is(err, ErrBundleMismatch) {
		t.Errorf("delivery differing from the anticipated bundle: err = %v, want ErrBundleMismatch", err)
	}
}

// TestPendingDeliveryToALightNode: a node that applied the recipient's
// confirmed block, which took a bundle before this node saw it delivered,
// later learns only of the bundles still waiting (as a wallet does from
// validators): Receive refuses them (the taken bundle was never
// delivered here), ReceivePending settles the taken bundle and takes them.
func TestPendingDeliveryToALightNode(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	c0 := f.certify(f.next(1, ops(pay(f.id(2), amount.Tokens(30)), pay(f.id(2), amount.Tokens(1)))), block.Confirmed, block.Round{Kind: block.MultiLeader})
	for v := range 3 {
		f.confirmOn(v, c0)
	}
	c2 := f.certify(f.next(2, f.inbox(2)[:1]), block.Confirmed, block.Round{Kind: block.MultiLeader})
	f.confirmOn(3, c2) // validator 3 plays the light node: it never gets chain 1's outbox
	waiting := c0.Value.Block.Bundles(c0.Hash(), f.id(2))[1:]
	u := &Update{Sender: f.id(1), Recipient: f.id(2), Bundles: waiting}
	if _, err := f.workers[3].HandleUpdate(f.ctx, u); !errors.Is(err, ErrBundleMismatch) {
		t.Fatalf("a partial delivery through HandleUpdate: err = %v, want ErrBundleMismatch", err)
	}
	e, err := f.workers[3].HandlePending(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	f.run(3, e)
	pending := f.state(3, f.id(2)).PendingBundles()
	if len(pending) != 1 || pending[0].Bundle.TransactionIndex != 1 {
		t.Errorf("pending after HandlePending = %+v, want the second bundle", pending)
	}
	// A bundle that differs from one the chain took is still refused.
	g, u2 := differingDelivery(t)
	if _, err := g.workers[3].HandlePending(g.ctx, u2); !errors.Is(err, ErrBundleMismatch) {
		t.Errorf("HandlePending of a bundle differing from the one taken: err = %v, want ErrBundleMismatch", err)
	}
}

// differingDelivery makes validator 3 apply chain 2's block that took
// chain 1's bundle before it was delivered there, and returns a delivery
// of that bundle altered (its timestamp): one that must be refused.
func differingDelivery(t *testing.T) (*fixture, *Update) {
	t.Helper()
	g := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	d0 := g.certify(g.next(1, ops(pay(g.id(2), amount.Tokens(30)))), block.Confirmed, block.Round{Kind: block.MultiLeader})
	g.confirmOn(0, d0)
	d2 := g.certify(g.next(2, g.inbox(2)), block.Confirmed, block.Round{Kind: block.MultiLeader})
	g.confirmOn(3, d2)
	bundles := d0.Value.Block.Bundles(d0.Hash(), g.id(2))
	bundles[0].Timestamp++
	return g, &Update{Sender: g.id(1), Recipient: g.id(2), Bundles: bundles}
}

// TestUpdatesAreIdempotent: a repeated or overlapping delivery adds
// nothing, every delivery is acknowledged, and the sender re-derives its
// unacknowledged bundles until then.
func TestUpdatesAreIdempotent(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	var updates []Update
	for i := range 3 {
		c := f.certify(f.next(1, ops(pay(f.id(2), amount.Tokens(uint64(i+1))))), block.Confirmed, block.Round{Kind: block.MultiLeader})
		_, e, err := f.workers[0].HandleCertificate(f.ctx, c, f.now)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.workers[0].Store.Apply(f.ctx, &e.Batch); err != nil {
			t.Fatal(err)
		}
		updates = append(updates, e.Updates...)
	}
	pend, err := f.workers[0].PendingUpdates(f.ctx, f.id(1))
	if err != nil || len(pend) != 1 || len(pend[0].Bundles) != 3 {
		t.Fatalf("pending updates = %+v, %v; want one update of 3 bundles", pend, err)
	}
	if got := len(updates[2].Bundles); got != 3 {
		t.Fatalf("third block's update has %d bundles, want all 3 unacknowledged", got)
	}
	deliver := func(u Update) *Effects {
		e, err := f.workers[0].HandleUpdate(f.ctx, &u)
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if err := f.workers[0].Store.Apply(f.ctx, &e.Batch); err != nil {
			t.Fatal(err)
		}
		return e
	}
	deliver(updates[0])
	e := deliver(updates[2])
	if want := []Ack{{Sender: f.id(1), Recipient: f.id(2), Height: 2}}; !slices.Equal(e.Acks, want) {
		t.Errorf("acks = %+v, want %+v", e.Acks, want)
	}
	before := f.dump(0)
	e = deliver(updates[1])
	if f.dump(0) != before || len(e.Notifications) != 0 || len(e.Acks) != 1 {
		t.Errorf("repeated delivery: changed the store or notified (%+v)", e)
	}
	if got := len(f.state(0, f.id(2)).PendingBundles()); got != 3 {
		t.Errorf("chain 2 has %d pending bundles, want 3", got)
	}
	// Acknowledging height 1 keeps block 2 in the outbox.
	ae, _ := f.workers[0].HandleAck(f.ctx, &Ack{Sender: f.id(1), Recipient: f.id(2), Height: 1})
	f.run(0, ae)
	if got := f.state(0, f.id(1)).OutboxHeights(f.id(2)); !slices.Equal(got, []uint64{2}) {
		t.Errorf("outbox after ack of 1 = %v, want [2]", got)
	}
	if ae.AllAcknowledged {
		t.Error("ack of 1: AllAcknowledged with block 2 still in the outbox")
	}
	ae, _ = f.workers[0].HandleAck(f.ctx, &Ack{Sender: f.id(1), Recipient: f.id(2), Height: 2})
	f.run(0, ae)
	if !ae.AllAcknowledged {
		t.Error("ack of 2: AllAcknowledged = false with every outbox empty")
	}
	if pend, _ := f.workers[0].PendingUpdates(f.ctx, f.id(1)); len(pend) != 0 {
		t.Errorf("pending updates after the last ack = %+v", pend)
	}
}

// TestClosedChainRejectsEverything: a closed chain may reject protected
// messages (its own OpenChain, committee changes), and bounces tracked
// credits; it may accept nothing.
func TestClosedChainRejectsEverything(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	// The admin chain receives a protected Subscribe (chain 1 opens a
	// child) and a tracked credit, then closes.
	f.commit(f.next(1, ops(system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(f.owners[0].Owner())})))
	f.commit(f.next(1, ops(pay(f.id(0), amount.Tokens(3)))))
	f.commit(f.next(0, ops(system.Operation{Kind: system.OpCloseChain})))
	accept := f.inbox(0)
	if len(accept) != 2 {
		t.Fatalf("admin chain has %d pending bundles, want 2", len(accept))
	}
	if _, _, err := f.workers[0].HandleProposal(f.ctx, f.propose(0, f.next(0, accept)), f.now); !errors.Is(err, ErrClosed) {
		t.Errorf("closed chain accepts bundles: err = %v, want ErrClosed", err)
	}
	reject := f.inbox(0)
	for _, tx := range reject {
		tx.Bundle.Action = block.Reject
	}
	c := f.commit(f.next(0, reject))
	bounces := c.Value.Block.Bundles(c.Hash(), f.id(1))
	if len(bounces) != 1 || bounces[0].Messages[0].Kind != block.Bouncing {
		t.Fatalf("bounces to chain 1 = %+v, want one bouncing credit (the protected Subscribe does not bounce)", bounces)
	}
	f.commit(f.next(1, f.inbox(1)))
	if got := f.state(0, f.id(1)).System.Balance(); got != amount.Tokens(100) {
		t.Errorf("chain 1 balance after the bounce = %s, want 100", got)
	}
}

// TestSuperOwnerProposes: a chain whose only owner is a super owner
// proposes in the fast round and spends from its chain account.
func TestSuperOwnerProposes(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	// Give chain 1 a super owner only, by hand in every store.
	own := manager.SingleSuper(f.owners[1].Owner())
	for v := range f.workers {
		s := f.state(v, f.id(1))
		s.System.SetOwnership(own)
		var e Effects
		if err := s.Commit(&e.Batch); err != nil {
			t.Fatal(err)
		}
		f.run(v, &e)
	}
	p := block.NewProposal(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))), block.Round{Kind: block.Fast}, f.owners[1], nil)
	vote, _, err := f.workers[0].HandleProposal(f.ctx, p, f.now)
	if err != nil {
		t.Fatalf("super owner's fast proposal: %v", err)
	}
	if vote.Kind != block.Confirmed {
		t.Errorf("fast-round vote kind = %s, want confirmed", vote.Kind)
	}
}

// TestFirstRoundTimesOut: a chain whose first round is single-leader
// must time out if its leader never proposes, on a validator that has
// seen no proposal at all: the round's timeout runs from the chain's
// creation, not from each request's now.
func TestFirstRoundTimesOut(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100))
	// Chain 1 opens a child owned by two owners, without multi-leader
	// rounds: single-leader round 0 comes first.
	own := manager.Multi([]ids.Owner{f.owners[1].Owner(), testKey("other").Owner()}, 0)
	c := f.commit(f.next(1, ops(system.Operation{Kind: system.OpOpenChain, Ownership: own})))
	child := ids.ChildDescription(f.id(1), c.Value.Height(), 0).ID()
	if !f.state(0, child).Active() {
		t.Fatalf("child chain not active")
	}
	f.now += manager.DefaultBaseTimeout + 1
	for v, w := range f.workers {
		if _, _, err := w.RequestTimeout(f.ctx, child, 0, f.now); err != nil {
			t.Errorf("validator %d: RequestTimeout after the base timeout: %v", v, err)
		}
	}
}
