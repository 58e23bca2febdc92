package chain

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// fixture is a committee of four validators (each a Worker over its own
// memory store) and root chains, driven by hand: the tests build blocks,
// proposals and certificates themselves and call the Workers directly.
type fixture struct {
	tb      testing.TB
	ctx     context.Context
	vkeys   []*keys.PrivateKey
	com     *committee.Committee
	g       *Genesis
	owners  []*keys.PrivateKey
	workers []*Worker
	now     uint64
}

const fixtureStart = 1_000_000

// testKey returns a key drawn from name.
func testKey(name string) *keys.PrivateKey {
	var seed [keys.SeedSize]byte
	copy(seed[:], fmt.Sprintf("%-32s", name))
	return keys.NewPrivateKey(seed)
}

// newFixture starts four validators with root chains of the given
// balances (chain 0 is the admin chain), each owned by its own key.
func newFixture(tb testing.TB, policy committee.Policy, balances ...amount.Amount) *fixture {
	tb.Helper()
	f := &fixture{tb: tb, ctx: context.Background(), now: fixtureStart}
	var vals []committee.Validator
	for i := range 4 {
		k := testKey(fmt.Sprintf("validator %d", i))
		f.vkeys = append(f.vkeys, k)
		vals = append(vals, committee.Validator{PublicKey: k.Public(), Weight: 1})
	}
	com, err := committee.New(vals, policy)
	if err != nil {
		tb.Fatal(err)
	}
	f.com = com
	f.g = &Genesis{Committee: com, Timestamp: f.now}
	for i, bal := range balances {
		k := testKey(fmt.Sprintf("owner %d", i))
		f.owners = append(f.owners, k)
		f.g.Chains = append(f.g.Chains, GenesisChain{Ownership: manager.Single(k.Owner()), Balance: bal})
	}
	for _, k := range f.vkeys {
		w := &Worker{Store: kv.NewMemory(), Key: k}
		if err := f.g.Initialize(f.ctx, w.Store); err != nil {
			tb.Fatal(err)
		}
		f.workers = append(f.workers, w)
	}
	return f
}

func (f *fixture) id(i int) ids.ChainID { return f.g.ChainID(i) }

// state opens validator v's state of chain id.
func (f *fixture) state(v int, id ids.ChainID) *State { return Open(f.ctx, f.workers[v].Store, id) }

// ops wraps system operations as transactions.
func ops(os ...system.Operation) []block.Transaction {
	txs := make([]block.Transaction, len(os))
	for i := range os {
		op := os[i].AsBlockOperation()
		txs[i] = block.Transaction{Operation: &op}
	}
	return txs
}

func pay(to ids.ChainID, a amount.Amount) system.Operation {
	return system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: to}, Amount: a}
}

// next returns the next block of root chain i as validator 0 sees it,
// signed by chain i's owner.
func (f *fixture) next(i int, txs []block.Transaction) block.Block {
	s := f.state(0, f.id(i))
	tip := s.Tip()
	return block.Block{Chain: f.id(i), Epoch: s.System.Epoch(), Height: tip.NextHeight,
		Timestamp: max(f.now, tip.Timestamp), Previous: tip.Hash, Signer: f.owners[i].Owner(), Transactions: txs}
}

// inbox returns validator 0's pending bundles of chain i, accepted.
func (f *fixture) inbox(i int) []block.Transaction {
	pending := f.state(0, f.id(i)).PendingBundles()
	txs := make([]block.Transaction, len(pending))
	for j := range pending {
		txs[j] = block.Transaction{Bundle: &pending[j]}
	}
	return txs
}

// propose signs b by owner i in the chain's first round.
func (f *fixture) propose(i int, b block.Block) *block.Proposal {
	return block.NewProposal(b, f.g.Chains[i].Ownership.FirstRound(), f.owners[i], nil)
}

// certify executes b on validator 0 and returns a certificate of kind k
// for it signed by every validator, in round r.
func (f *fixture) certify(b block.Block, k block.Kind, r block.Round) *block.Certificate {
	f.tb.Helper()
	s := f.state(0, b.Chain)
	out, err := s.Execute(&b, ExecOptions{})
	s.Tx.Rollback()
	if err != nil {
		f.tb.Fatalf("certify: execute block %d of %s: %v", b.Height, b.Chain.Short(), err)
	}
	return f.sign(block.Value{Kind: k, Block: &block.Executed{Block: b, Outcome: *out}}, r)
}

// sign returns a certificate for v in round r signed by every validator.
func (f *fixture) sign(v block.Value, r block.Round) *block.Certificate {
	f.tb.Helper()
	bld := block.NewBuilder(v, r, f.com)
	for _, k := range f.vkeys {
		if _, err := bld.Add(block.NewVote(v, r, k)); err != nil {
			f.tb.Fatalf("sign: %v", err)
		}
	}
	return bld.Certificate()
}

// commit confirms b on every validator and delivers its messages.
func (f *fixture) commit(b block.Block) *block.Certificate {
	f.tb.Helper()
	c := f.certify(b, block.Confirmed, block.Round{Kind: block.MultiLeader})
	for v := range f.workers {
		f.handle(v, c)
	}
	return c
}

// handle gives validator v a confirmed certificate and runs the effects:
// updates and acknowledgements go to v's own store at once.
func (f *fixture) handle(v int, c *block.Certificate) {
	f.tb.Helper()
	_, e, err := f.workers[v].HandleCertificate(f.ctx, c, f.now)
	if err != nil {
		f.tb.Fatalf("validator %d: handle certificate %d of %s: %v", v, c.Value.Height(), c.Value.Chain().Short(), err)
	}
	f.run(v, e)
}

// run applies effects on validator v and, in turn, the updates and acks
// they carry.
func (f *fixture) run(v int, e *Effects) {
	f.tb.Helper()
	if err := f.workers[v].Store.Apply(f.ctx, &e.Batch); err != nil {
		f.tb.Fatal(err)
	}
	for i := range e.Updates {
		e2, err := f.workers[v].HandleUpdate(f.ctx, &e.Updates[i])
		if err != nil {
			f.tb.Fatalf("validator %d: update: %v", v, err)
		}
		f.run(v, e2)
	}
	for i := range e.Acks {
		e2, err := f.workers[v].HandleAck(f.ctx, &e.Acks[i])
		if err != nil {
			f.tb.Fatalf("validator %d: ack: %v", v, err)
		}
		f.run(v, e2)
	}
}

// dump returns every key and value of validator v's store.
func (f *fixture) dump(v int) string {
	var buf bytes.Buffer
	err := f.workers[v].Store.Scan(f.ctx, nil, func(k, val []byte) error {
		fmt.Fprintf(&buf, "%x=%x\n", k, val)
		return nil
	})
	if err != nil {
		f.tb.Fatal(err)
	}
	return buf.String()
}
