package validator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/rpc"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/storage/crash"
)

// peer is an in-memory validator that records the proposals and
// certificates it is sent, so that the crash test can replay them to the
// validator under test. It delivers its own cross-chain updates at once.
type peer struct {
	w         chain.Worker
	proposals []*block.Proposal
	certs     []*block.Certificate
}

func (p *peer) PublicKey() keys.PublicKey { return p.w.Key.Public() }

func (p *peer) apply(ctx context.Context, e *chain.Effects) error {
	if e == nil {
		return nil
	}
	if err := p.w.Store.Apply(ctx, &e.Batch); err != nil {
		return err
	}
	for i := range e.Updates {
		ue, err := p.w.HandleUpdate(ctx, &e.Updates[i])
		if err != nil {
			return err
		}
		if err := p.apply(ctx, ue); err != nil {
			return err
		}
	}
	for i := range e.Acks {
		ae, err := p.w.HandleAck(ctx, &e.Acks[i])
		if err != nil {
			return err
		}
		if err := p.apply(ctx, ae); err != nil {
			return err
		}
	}
	return nil
}

func (p *peer) HandleProposal(ctx context.Context, prop *block.Proposal) (block.Vote, error) {
	p.proposals = append(p.proposals, prop)
	v, e, err := p.w.HandleProposal(ctx, prop, nowMicro())
	if err != nil {
		return v, err
	}
	return v, p.apply(ctx, e)
}

func (p *peer) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	p.certs = append(p.certs, c)
	v, e, err := p.w.HandleCertificate(ctx, c, nowMicro())
	if err != nil {
		return nil, err
	}
	return v, p.apply(ctx, e)
}

func (p *peer) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	return p.w.Info(ctx, id, nowMicro())
}

func (p *peer) Certificate(ctx context.Context, id ids.ChainID, h uint64) (*block.Certificate, error) {
	c, ok := chain.Open(ctx, p.w.Store, id).Certificate(h)
	if !ok {
		return nil, rpc.ErrNotFound
	}
	return c, nil
}

func (p *peer) RequestTimeout(ctx context.Context, id ids.ChainID, h uint64) (block.Vote, error) {
	return block.Vote{}, rpc.ErrNotFound
}

func nowMicro() uint64 { return uint64(time.Now().UnixMicro()) }

func key(r *rand.Rand) *keys.PrivateKey {
	var seed [keys.SeedSize]byte
	for i := range seed {
		seed[i] = byte(r.Uint32())
	}
	return keys.NewPrivateKey(seed)
}

// script is the requests the crash test sends to the validator under
// test, made by real clients against three in-memory peers (a quorum of
// the four): chain A (a super owner, fast round) sends two transfers to
// chain B (a regular owner, two phases), which takes them in one block;
// plus a conflicting proposal for each block, at the same height and
// round.
type script struct {
	genesis *chain.Genesis
	key     *keys.PrivateKey // of the validator under test
	a, b    ids.ChainID
	steps   [][]rpc.Frame // each step's frames; cross-chain delivery runs between steps
	final   map[ids.ChainID]chain.Tip
}

func newScript(t *testing.T) *script {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(7, 7))
	vkeys := []*keys.PrivateKey{key(rng), key(rng), key(rng), key(rng)}
	var vals []committee.Validator
	for _, k := range vkeys {
		vals = append(vals, committee.Validator{PublicKey: k.Public(), Weight: 1})
	}
	com, err := committee.New(vals, committee.NoFees())
	if err != nil {
		t.Fatal(err)
	}
	ka, kb := key(rng), key(rng)
	g := &chain.Genesis{Committee: com, Timestamp: nowMicro(), Chains: []chain.GenesisChain{
		{Ownership: manager.Single(key(rng).Owner())},
		{Ownership: manager.SingleSuper(ka.Owner()), Balance: amount.Tokens(100)},
		{Ownership: manager.Single(kb.Owner())},
	}}
	s := &script{genesis: g, key: vkeys[0], a: g.ChainID(1), b: g.ChainID(2), final: map[ids.ChainID]chain.Tip{}}
	var peers []*peer
	var nodes []client.Node
	for _, k := range vkeys[1:] {
		p := &peer{w: chain.Worker{Store: kv.NewMemory(), Key: k}}
		if err := g.Initialize(ctx, p.w.Store); err != nil {
			t.Fatal(err)
		}
		peers, nodes = append(peers, p), append(nodes, p)
	}
	wallet := func(i int, k *keys.PrivateKey) *client.Client {
		store := kv.NewMemory()
		if err := g.Initialize(ctx, store); err != nil {
			t.Fatal(err)
		}
		return &client.Client{Chain: g.ChainID(i), Key: k, Local: &chain.Worker{Store: store}, Validators: nodes, Now: nowMicro}
	}
	alice, bob := wallet(1, ka), wallet(2, kb)
	p := peers[0]
	for _, amt := range []uint64{10, 5} {
		from := [2]int{len(p.proposals), len(p.certs)}
		op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: s.b}, Amount: amount.Tokens(amt)}
		if _, err := alice.Transfer(ctx, op); err != nil {
			t.Fatal(err)
		}
		s.addStep(p, from, ka, func(b *block.Block) { b.Timestamp++ })
	}
	from := [2]int{len(p.proposals), len(p.certs)}
	if c, err := bob.ProcessInbox(ctx); err != nil || c == nil {
		t.Fatalf("bob processes his inbox: %v, %v", c, err)
	}
	s.addStep(p, from, kb, func(b *block.Block) { b.Timestamp++ })
	for _, id := range []ids.ChainID{s.a, s.b} {
		s.final[id] = chain.Open(ctx, p.w.Store, id).Tip()
	}
	return s
}

// addStep makes a step of the proposals and certificates peer p received
// since indexes from, with a conflicting proposal (alter, signed by k)
// after each proposal.
func (s *script) addStep(p *peer, from [2]int, k *keys.PrivateKey, alter func(*block.Block)) {
	var step []rpc.Frame
	for _, prop := range p.proposals[from[0]:] {
		other := prop.Block
		alter(&other)
		conflict := block.NewProposal(other, prop.Round, k, nil)
		step = append(step, rpc.NewRequest(rpc.Proposal, 0, prop), rpc.NewRequest(rpc.Proposal, 0, conflict))
	}
	for _, c := range p.certs[from[1]:] {
		step = append(step, rpc.NewRequest(rpc.Certificate, 0, c))
	}
	s.steps = append(s.steps, step)
}

// voteKey is what a validator must never vote twice for, with two
// different values.
type voteKey struct {
	chain  ids.ChainID
	height uint64
	round  block.Round
	kind   block.Kind
}

// crashRun records what the validator under test said.
type crashRun struct {
	votes     map[voteKey]ids.Hash
	confirmed []*block.Certificate // confirmed certificates it accepted
}

// play sends every step to srv, in order or with each step's frames
// reversed (conflicting proposals first), running cross-chain delivery
// after each step. It reports a vote for a second value as a failure.
func (r *crashRun) play(t *testing.T, srv *Server, s *script, reversed bool) {
	ctx := t.Context()
	for _, step := range s.steps {
		for i := range step {
			f := step[i]
			if reversed {
				f = step[len(step)-1-i]
			}
			rep := srv.handle(ctx, f, false)
			srv.after(rep)
			r.record(t, f, rep.frame)
		}
		drain(ctx, srv)
	}
}

func (r *crashRun) record(t *testing.T, req, rep rpc.Frame) {
	var v *block.Vote
	var h uint64
	var id ids.ChainID
	switch req.Kind {
	case rpc.Proposal:
		var p block.Proposal
		codec.Unmarshal(req.Body, &p)
		var vote block.Vote
		if rpc.DecodeReply(rep, &vote) == nil {
			v, h, id = &vote, p.Block.Height, p.Block.Chain
		}
	case rpc.Certificate:
		var c block.Certificate
		codec.Unmarshal(req.Body, &c)
		var o rpc.OptionalVote
		if rpc.DecodeReply(rep, &o) != nil {
			return
		}
		if c.Value.Kind == block.Confirmed {
			r.confirmed = append(r.confirmed, &c)
		}
		v, h, id = o.Vote, c.Value.Height(), c.Value.Chain()
	}
	if v == nil {
		return
	}
	k := voteKey{id, h, v.Round, v.Kind}
	if old, ok := r.votes[k]; ok && old != v.Hash {
		t.Errorf("the validator voted for two values at %s height %d round %s kind %d: %s and %s",
			id.Short(), h, v.Round, v.Kind, old.Short(), v.Hash.Short())
	}
	r.votes[k] = v.Hash
}

// drain runs the queued cross-chain deliveries of a manual Server.
func drain(ctx context.Context, srv *Server) {
	for range 100 {
		busy := false
		for _, sh := range srv.shards {
			for sh != nil && len(sh.jobs) > 0 {
				sh.run(ctx, <-sh.jobs)
				busy = true
			}
		}
		if !busy {
			return
		}
	}
}

// retryAll runs a retry of every pending chain, as the retry loop does
// after a restart.
func retryAll(ctx context.Context, srv *Server) {
	for _, sh := range srv.shards {
		for _, id := range sh.retry.due(time.Now().Add(time.Hour), time.Second, time.Second) {
			sh.run(ctx, job{resend: id})
		}
	}
	drain(ctx, srv)
}

func startCrashable(t *testing.T, s *script, store *crash.Store) *Server {
	t.Helper()
	srv, err := New(Config{Store: store, Key: s.key, Genesis: s.genesis, Shards: 2, manual: true})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return srv
}

// TestCrashAtEveryWrite crashes the validator at each write of a
// proposal/confirm sequence (votes, certificates, cross-chain deliveries
// and acknowledgements), restarts it on what was durable, and replays
// the sequence with the conflicting proposals first. The validator never
// votes for two values at one chain, height, round and kind; every
// confirmed certificate it accepted before the crash is still stored;
// and after the replay it holds the same chains as its peers, with every
// cross-chain bundle delivered and acknowledged.
func TestCrashAtEveryWrite(t *testing.T) {
	ctx := t.Context()
	s := newScript(t)
	crashes := 0
	for k := 1; ; k++ {
		store := crash.New()
		srv := startCrashable(t, s, store)
		store.CrashAfter(k)
		run := &crashRun{votes: map[voteKey]ids.Hash{}}
		run.play(t, srv, s, false)
		srv.Close() //nolint:errcheck // ErrCrashed after a crash
		if !store.Crashed() {
			break // k is past the last write
		}
		crashes++
		store = store.Restart()
		srv = startCrashable(t, s, store)
		for _, c := range run.confirmed {
			if _, ok := chain.Open(ctx, srv.store, c.Value.Chain()).Certificate(c.Value.Height()); !ok {
				t.Errorf("crash at write %d: accepted block %d of %s is lost", k, c.Value.Height(), c.Value.Chain().Short())
			}
		}
		retryAll(ctx, srv)
		run.play(t, srv, s, true)
		retryAll(ctx, srv)
		checkFinal(t, k, srv, s)
		srv.Close()
		if t.Failed() {
			t.Fatalf("failed with a crash at write %d", k)
		}
	}
	if crashes < 10 {
		t.Fatalf("only %d crash points; the sequence should write more", crashes)
	}
	t.Logf("crashed at each of %d writes", crashes)
}

func checkFinal(t *testing.T, k int, srv *Server, s *script) {
	ctx := t.Context()
	for id, want := range s.final {
		if got := chain.Open(ctx, srv.store, id).Tip(); got != want {
			t.Errorf("crash at write %d: tip of %s = %+v, peers have %+v", k, id.Short(), got, want)
		}
	}
	in, err := srv.shards[ShardOf(s.b, 2)].info(ctx, s.b)
	if err != nil || len(in.Pending) != 0 {
		t.Errorf("crash at write %d: B's inbox holds %d bundles (%v), want none", k, len(in.Pending), err)
	}
	for id := range s.final {
		if ups, err := srv.shards[ShardOf(id, 2)].worker.PendingUpdates(ctx, id); err != nil || len(ups) != 0 {
			t.Errorf("crash at write %d: %s still owes %d updates (%v)", k, id.Short(), len(ups), err)
		}
	}
	var pending []string
	srv.store.Scan(ctx, pendingPrefix, func(k, _ []byte) error { //nolint:errcheck
		pending = append(pending, fmt.Sprintf("%x", k[len(pendingPrefix):len(pendingPrefix)+4]))
		return nil
	})
	if len(pending) != 0 {
		t.Errorf("crash at write %d: chains %v still have unacknowledged outboxes", k, pending)
	}
}
