package validator_test

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
)

// testnet is a committee of validator Servers on 127.0.0.1 in this
// process, each with its own store, and wallets that reach them over the
// wire.
type testnet struct {
	t       testing.TB
	genesis *chain.Genesis
	vkeys   []*keys.PrivateKey
	owners  []*keys.PrivateKey
	addrs   []string // host:port of each validator
	lns     []net.Listener
	dirs    []string // pebble directories; nil for memory stores
	stores  []kv.Store
	servers []*validator.Server
	tweak   func(i int, cfg *validator.Config)
}

type netConfig struct {
	validators int
	shards     int
	pebble     bool
	balances   []amount.Amount // of root chains; chain 0 is the admin chain
	tweak      func(i int, cfg *validator.Config)
}

// testKey draws a key from r (nil: a fixed seed).
func testKey(r *rand.Rand) *keys.PrivateKey {
	if r == nil {
		r = rand.New(rand.NewPCG(5, 5))
	}
	var seed [keys.SeedSize]byte
	for i := range seed {
		seed[i] = byte(r.Uint32())
	}
	return keys.NewPrivateKey(seed)
}

func logger() *slog.Logger {
	if os.Getenv("MYRIAD_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func nowMicro() uint64 { return uint64(time.Now().UnixMicro()) }

func listen(t testing.TB, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	return ln
}

// makeGenesis returns a genesis whose committee has one validator of
// weight 1 per address, and root chains with the given balances, each
// owned by its own key; and the validator and owner keys.
func makeGenesis(t testing.TB, addrs []string, balances []amount.Amount) (g *chain.Genesis, vkeys, owners []*keys.PrivateKey) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var vals []committee.Validator
	for _, a := range addrs {
		k := testKey(rng)
		vkeys = append(vkeys, k)
		vals = append(vals, committee.Validator{PublicKey: k.Public(), Weight: 1, Address: "ws://" + a})
	}
	com, err := committee.New(vals, committee.NoFees())
	if err != nil {
		t.Fatal(err)
	}
	g = &chain.Genesis{Committee: com, Timestamp: nowMicro()}
	for _, b := range balances {
		k := testKey(rng)
		owners = append(owners, k)
		g.Chains = append(g.Chains, chain.GenesisChain{Ownership: manager.Single(k.Owner()), Balance: b})
	}
	return g, vkeys, owners
}

// newNet starts a network whose validators all run every shard.
func newNet(t testing.TB, nc netConfig) *testnet {
	t.Helper()
	n := &testnet{t: t, tweak: nc.tweak}
	for range nc.validators {
		ln := listen(t, "127.0.0.1:0")
		n.lns, n.addrs = append(n.lns, ln), append(n.addrs, ln.Addr().String())
	}
	n.genesis, n.vkeys, n.owners = makeGenesis(t, n.addrs, nc.balances)
	n.stores, n.servers = make([]kv.Store, nc.validators), make([]*validator.Server, nc.validators)
	if nc.pebble {
		for range nc.validators {
			n.dirs = append(n.dirs, t.TempDir())
		}
	}
	for i := range nc.validators {
		n.start(i, nc.shards)
	}
	t.Cleanup(func() {
		for i := range n.servers {
			n.stop(i)
		}
	})
	return n
}

func (n *testnet) openStore(i int) kv.Store {
	if n.dirs == nil {
		return kv.NewMemory()
	}
	return openPebble(n.t, n.dirs[i])
}

func openPebble(t testing.TB, dir string) kv.Store {
	t.Helper()
	s, err := pebblestore.New(pebblestore.Config{Dir: dir})
	if err != nil {
		t.Fatalf("open pebble in %s: %v", dir, err)
	}
	return s
}

func mustNew(t testing.TB, cfg validator.Config) *validator.Server {
	t.Helper()
	s, err := validator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// start starts validator i (again, on the same address and, with pebble,
// the same storage).
func (n *testnet) start(i, shards int) {
	n.t.Helper()
	if n.lns[i] == nil {
		n.lns[i] = listen(n.t, n.addrs[i])
	}
	n.stores[i] = n.openStore(i)
	cfg := validator.Config{Store: n.stores[i], Key: n.vkeys[i], Genesis: n.genesis, Shards: shards,
		Logger: logger(), RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond}
	if n.tweak != nil {
		n.tweak(i, &cfg)
	}
	srv, err := validator.New(cfg)
	if err != nil {
		n.t.Fatalf("start validator %d: %v", i, err)
	}
	ln := n.lns[i]
	go srv.Serve(ln) //nolint:errcheck // returns nil after Close
	n.servers[i] = srv
}

// stop closes validator i.
func (n *testnet) stop(i int) {
	if n.servers[i] == nil {
		return
	}
	if err := n.servers[i].Close(); err != nil {
		n.t.Errorf("close validator %d: %v", i, err)
	}
	n.servers[i], n.lns[i] = nil, nil
}

func dialOptions() client.DialOptions {
	return client.DialOptions{MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
}

// remotes dials every validator.
func (n *testnet) remotes() []*client.Remote {
	n.t.Helper()
	rs, err := client.DialCommittee(n.t.Context(), n.genesis.Committee, dialOptions())
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() {
		for _, r := range rs {
			r.Close()
		}
	})
	return rs
}

// remote dials validator i.
func (n *testnet) remote(i int) *client.Remote {
	return dial(n.t, "ws://"+n.addrs[i])
}

func dial(t testing.TB, addr string) *client.Remote {
	t.Helper()
	r, err := client.Dial(t.Context(), addr, dialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// wallet returns a client of root chain i reaching the validators over
// the wire, with a local node started from the genesis.
func (n *testnet) wallet(i int) *client.Client {
	n.t.Helper()
	return newWallet(n.t, n.genesis, i, n.owners[i], n.remotes())
}

func newWallet(t testing.TB, g *chain.Genesis, i int, k *keys.PrivateKey, rs []*client.Remote) *client.Client {
	t.Helper()
	store := kv.NewMemory()
	if err := g.Initialize(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	nodes := make([]client.Node, len(rs))
	for j, r := range rs {
		nodes[j] = r
	}
	return &client.Client{Chain: g.ChainID(i), Key: k, Local: &chain.Worker{Store: store}, Validators: nodes, Now: nowMicro}
}

func transfer(to ids.ChainID, a amount.Amount) system.Operation {
	return system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: to}, Amount: a}
}

// subscribe subscribes to chain id at each remote.
func subscribe(t testing.TB, rs []*client.Remote, id ids.ChainID) []<-chan chain.Notification {
	t.Helper()
	var out []<-chan chain.Notification
	for _, r := range rs {
		ch, err := r.Subscribe(t.Context(), []ids.ChainID{id})
		if err != nil {
			t.Fatalf("subscribe at %s: %v", r.Address(), err)
		}
		out = append(out, ch)
	}
	return out
}

// waitFor waits, up to a deadline, for a notification of kind k from
// each channel.
func waitFor(t testing.TB, chans []<-chan chain.Notification, k chain.NotificationKind) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for i, ch := range chans {
		for {
			select {
			case n, ok := <-ch:
				if !ok {
					t.Fatalf("subscription %d closed", i)
				}
				if n.Kind != k {
					continue
				}
			case <-deadline:
				t.Fatalf("no notification of kind %d from subscription %d in 30 s", k, i)
			}
			break
		}
	}
}

// balance reads chain id's balance in validator i's store.
func (n *testnet) balance(i int, id ids.ChainID) amount.Amount {
	s := chain.Open(context.Background(), n.stores[i], id)
	b := s.System.Balance()
	if err := s.Tx.Err(); err != nil {
		n.t.Fatalf("validator %d: read balance: %v", i, err)
	}
	return b
}

func (n *testnet) tip(i int, id ids.ChainID) chain.Tip {
	return chain.Open(context.Background(), n.stores[i], id).Tip()
}
