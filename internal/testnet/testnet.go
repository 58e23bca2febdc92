// Package testnet is an in-process Myriad network for tests: a committee of
// validators with in-memory stores, any number of wallets (clients with
// their own local nodes), a manual clock and a seeded cross-chain delivery
// order, and per-validator fault modes.
//
// Everything runs in the calling goroutine: requests are handled at once,
// and cross-chain updates wait in a queue until Deliver runs them in an
// order drawn from the network's seed. A test is therefore reproducible
// from its seed.
//
//	net := testnet.New(testnet.Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Tokens(100), amount.Zero}})
//	alice, bob := net.Wallet(1), net.Wallet(2)
//	alice.Transfer(ctx, system.Operation{...})
//	net.Deliver(ctx)
//	bob.ProcessInbox(ctx)
package testnet

import (
	"context"
	"errors"
	"fmt"
	"github.com/myriadchain/myriad/core/app"
	"math/rand/v2"
	"slices"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	client "github.com/myriadchain/myriad/node-client"
)

// Fault is how a validator misbehaves.
type Fault int

// Fault modes.
const (
	Honest Fault = iota
	// Offline validators answer nothing and receive no cross-chain updates
	// until they are back (updates wait in the queue).
	Offline
	// RefuseVotes validators process certificates but vote for nothing.
	RefuseVotes
	// WrongVote validators sign votes for a different block hash.
	WrongVote
	// WrongStateHash validators vote for the block with a wrong state hash.
	WrongStateHash
	// Equivocate validators vote for every proposal they see, skipping the
	// consensus manager's safety checks.
	Equivocate
	// Slow validators answer requests but lag in cross-chain delivery:
	// a message for them waits one Deliver call more than the others, so
	// they see incoming bundles after the others (and refuse proposals
	// that take bundles they have not received yet).
	Slow
)

// ErrOffline is returned by an offline validator.
var ErrOffline = errors.New("testnet: validator offline")

// Config describes a network.
type Config struct {
	Validators int
	Seed       uint64
	// Chains are the balances of the root chains; chain 0 is the admin
	// chain. Each root chain gets its own owner key (see Key).
	Chains []amount.Amount
	Policy committee.Policy
	// SuperOwners makes root chains use the fast round.
	SuperOwners bool
	// VM runs applications on every validator and wallet (nil: none).
	VM app.VM
}

// Network is an in-process network.
type Network struct {
	Genesis    *chain.Genesis
	Validators []*Validator
	Clock      uint64
	rng        *rand.Rand
	queue      []message
	calls      int
	keys       []*keys.PrivateKey
	Delivered  int
	vm         app.VM
}

type message struct {
	to     int
	call   int // the Deliver call during or before which it was queued
	update *chain.Update
	ack    *chain.Ack
}

// Validator is one validator of the network.
type Validator struct {
	net    *Network
	index  int
	Worker *chain.Worker
	Store  *kv.Memory
	Fault  Fault
}

// New starts a network at clock 1_000_000 µs.
func New(cfg Config) *Network {
	n := &Network{Clock: 1_000_000, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), vm: cfg.VM}
	var vals []committee.Validator
	vkeys := make([]*keys.PrivateKey, cfg.Validators)
	for i := range vkeys {
		vkeys[i] = key(n.rng)
		vals = append(vals, committee.Validator{PublicKey: vkeys[i].Public(), Weight: 1, Address: fmt.Sprintf("mem://%d", i)})
	}
	if cfg.Policy == (committee.Policy{}) {
		cfg.Policy = committee.NoFees()
	}
	com, err := committee.New(vals, cfg.Policy)
	if err != nil {
		panic(err)
	}
	g := &chain.Genesis{Committee: com, Timestamp: n.Clock}
	for _, bal := range cfg.Chains {
		k := key(n.rng)
		n.keys = append(n.keys, k)
		own := manager.Single(k.Owner())
		if cfg.SuperOwners {
			own = manager.SingleSuper(k.Owner())
		}
		g.Chains = append(g.Chains, chain.GenesisChain{Ownership: own, Balance: bal})
	}
	n.Genesis = g
	for i, k := range vkeys {
		v := &Validator{net: n, index: i, Store: kv.NewMemory()}
		v.Worker = &chain.Worker{Store: v.Store, Key: k, VM: cfg.VM}
		if i%2 == 0 {
			// Even validators apply confirmed blocks from their stored
			// executions, odd ones execute them: tests that compare
			// validators' state compare both paths.
			v.Worker.Executions = &chain.Executions{}
		}
		if err := g.Initialize(context.Background(), v.Store); err != nil {
			panic(err)
		}
		n.Validators = append(n.Validators, v)
	}
	return n
}

func key(r *rand.Rand) *keys.PrivateKey {
	var seed [keys.SeedSize]byte
	for i := range seed {
		seed[i] = byte(r.Uint32())
	}
	return keys.NewPrivateKey(seed)
}

// Key returns the owner key of root chain i.
func (n *Network) Key(i int) *keys.PrivateKey { return n.keys[i] }

// NewKey returns a fresh key drawn from the network's seed.
func (n *Network) NewKey() *keys.PrivateKey { return key(n.rng) }

// Advance moves the clock forward by d microseconds.
func (n *Network) Advance(d uint64) { n.Clock += d }

// Nodes returns the validators as client nodes.
func (n *Network) Nodes() []client.Node {
	out := make([]client.Node, len(n.Validators))
	for i, v := range n.Validators {
		out[i] = v
	}
	return out
}

// Wallet returns a client for root chain i with its owner key and a fresh
// local node initialised from genesis.
func (n *Network) Wallet(i int) *client.Client {
	return n.WalletFor(n.Genesis.ChainID(i), n.keys[i])
}

// WalletFor returns a client of chain id with key k. Its local node starts
// from genesis; a chain opened later is synchronised with Follow.
func (n *Network) WalletFor(id ids.ChainID, k *keys.PrivateKey) *client.Client {
	store := kv.NewMemory()
	if err := n.Genesis.Initialize(context.Background(), store); err != nil {
		panic(err)
	}
	return &client.Client{Chain: id, Key: k, Local: &chain.Worker{Store: store, VM: n.vm}, Validators: n.Nodes(),
		Now: func() uint64 { return n.Clock }}
}

// Pending returns the number of cross-chain messages waiting.
func (n *Network) Pending() int { return len(n.queue) }

func (n *Network) enqueue(from int, e *chain.Effects) {
	for i := range e.Updates {
		n.queue = append(n.queue, message{to: from, call: n.calls, update: &e.Updates[i]})
	}
	for i := range e.Acks {
		n.queue = append(n.queue, message{to: from, call: n.calls, ack: &e.Acks[i]})
	}
}

// Deliver runs queued cross-chain messages, in an order drawn from the
// seed, until none is deliverable; at most limit steps (0: 100,000).
// Messages for offline validators stay queued. It returns the first error
// a validator reported, after delivering everything else.
func (n *Network) Deliver(ctx context.Context) error {
	n.calls++
	var first error
	for steps := 0; steps < 100_000; steps++ {
		ready := n.readyIndexes()
		if len(ready) == 0 {
			return first
		}
		i := ready[n.rng.IntN(len(ready))]
		m := n.queue[i]
		n.queue = append(n.queue[:i], n.queue[i+1:]...)
		if err := n.deliver(ctx, m); err != nil && first == nil {
			first = err
		}
		n.Delivered++
	}
	return fmt.Errorf("testnet: delivery did not settle")
}

func (n *Network) readyIndexes() []int {
	var out []int
	for i, m := range n.queue {
		switch n.Validators[m.to].Fault {
		case Offline:
		case Slow:
			if m.call < n.calls-1 { // queued before the previous call
				out = append(out, i)
			}
		default:
			out = append(out, i)
		}
	}
	return out
}

func (n *Network) deliver(ctx context.Context, m message) error {
	v := n.Validators[m.to]
	var e *chain.Effects
	var err error
	if m.update != nil {
		e, err = v.Worker.HandleUpdate(ctx, m.update)
	} else {
		e, err = v.Worker.HandleAck(ctx, m.ack)
	}
	if err != nil {
		return fmt.Errorf("validator %d: %w", m.to, err)
	}
	return v.apply(ctx, e)
}

func (v *Validator) apply(ctx context.Context, e *chain.Effects) error {
	if e == nil {
		return nil
	}
	if err := v.Store.Apply(ctx, &e.Batch); err != nil {
		return err
	}
	v.net.enqueue(v.index, e)
	return nil
}

// Settle delivers every queued cross-chain message addressed to this
// validator (and what they cause there), as a real validator's internal
// delivery would soon do. Clients call it after bringing the validator up
// to date, before asking it again.
func (v *Validator) Settle(ctx context.Context) {
	if v.Fault == Offline || v.Fault == Slow {
		return
	}
	for steps := 0; steps < 10_000; steps++ {
		i := slices.IndexFunc(v.net.queue, func(m message) bool { return m.to == v.index })
		if i < 0 {
			return
		}
		m := v.net.queue[i]
		v.net.queue = append(v.net.queue[:i], v.net.queue[i+1:]...)
		v.net.deliver(ctx, m) //nolint:errcheck // like Deliver, errors surface later
	}
}

// Index returns the validator's index.
func (v *Validator) Index() int { return v.index }

// PublicKey implements client.Node.
func (v *Validator) PublicKey() keys.PublicKey { return v.Worker.Key.Public() }

// HandleProposal implements client.Node.
func (v *Validator) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	switch v.Fault {
	case Offline:
		return block.Vote{}, ErrOffline
	case RefuseVotes:
		return block.Vote{}, errors.New("testnet: validator refuses to vote")
	case WrongVote, WrongStateHash, Equivocate:
		return v.byzantineVote(ctx, p)
	}
	vote, e, err := v.Worker.HandleProposal(ctx, p, v.net.Clock)
	if err != nil {
		return vote, err
	}
	return vote, v.apply(ctx, e)
}

// byzantineVote signs whatever its fault mode says, without persisting.
func (v *Validator) byzantineVote(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	s := chain.Open(ctx, v.Store, p.Block.Chain)
	out, err := s.Execute(&p.Block, chain.ExecOptions{})
	if err != nil {
		out = &block.Outcome{}
	}
	exec := &block.Executed{Block: p.Block, Outcome: *out}
	switch v.Fault {
	case WrongVote:
		exec.Block.Timestamp++
	case WrongStateHash:
		exec.Outcome.StateHash[0] ^= 1
	}
	kind := block.Validated
	if p.Round.Kind == block.Fast {
		kind = block.Confirmed
	}
	return block.NewVote(block.Value{Kind: kind, Block: exec}, p.Round, v.Worker.Key), nil
}

// HandleCertificate implements client.Node.
func (v *Validator) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	if v.Fault == Offline {
		return nil, ErrOffline
	}
	vote, e, err := v.Worker.HandleCertificate(ctx, c, v.net.Clock)
	if err != nil {
		return nil, err
	}
	if v.Fault == RefuseVotes {
		vote = nil
	}
	return vote, v.apply(ctx, e)
}

// UploadBlobs implements client.BlobNode.
func (v *Validator) UploadBlobs(ctx context.Context, blobs []app.Blob) error {
	if v.Fault == Offline {
		return ErrOffline
	}
	return v.Store.Apply(ctx, &v.Worker.PutBlobs(blobs).Batch)
}

// DownloadBlob implements client.BlobNode.
func (v *Validator) DownloadBlob(ctx context.Context, id ids.BlobID) (app.Blob, error) {
	if v.Fault == Offline {
		return app.Blob{}, ErrOffline
	}
	b, ok, err := chain.StoreBlobs{Store: v.Store, Ctx: ctx}.Blob(id)
	if err == nil && !ok {
		err = &app.BlobsNotFoundError{IDs: []ids.BlobID{id}}
	}
	return b, err
}

// ChainInfo implements client.Node.
func (v *Validator) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	if v.Fault == Offline {
		return nil, ErrOffline
	}
	return v.Worker.Info(ctx, id, v.net.Clock)
}

// Certificate implements client.Node.
func (v *Validator) Certificate(ctx context.Context, id ids.ChainID, h uint64) (*block.Certificate, error) {
	if v.Fault == Offline {
		return nil, ErrOffline
	}
	c, ok := chain.Open(ctx, v.Store, id).Certificate(h)
	if !ok {
		return nil, fmt.Errorf("testnet: no block %d of %s", h, id.Short())
	}
	return c, nil
}

// RequestTimeout implements client.Node.
func (v *Validator) RequestTimeout(ctx context.Context, id ids.ChainID, h uint64) (block.Vote, error) {
	if v.Fault == Offline {
		return block.Vote{}, ErrOffline
	}
	vote, e, err := v.Worker.RequestTimeout(ctx, id, h, v.net.Clock)
	if err != nil {
		return vote, err
	}
	return vote, v.apply(ctx, e)
}

// StateHash returns validator i's state hash of chain id.
func (n *Network) StateHash(ctx context.Context, i int, id ids.ChainID) ids.Hash {
	return chain.Open(ctx, n.Validators[i].Store, id).Tip().StateHash
}
