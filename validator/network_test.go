package validator_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/validator"
)

func tokens(n uint64) amount.Amount { return amount.Tokens(n) }

// TestTransfersOverTheWire runs transfers both ways between two chains on
// four validators with two shards each, over WebSocket, and checks that
// every validator ends with the same chains.
func TestTransfersOverTheWire(t *testing.T) {
	ctx := t.Context()
	n := newNet(t, netConfig{validators: 4, shards: 2, balances: []amount.Amount{tokens(0), tokens(100), tokens(50)}})
	alice, bob := n.wallet(1), n.wallet(2)
	toBob := subscribe(t, n.remotes(), bob.Chain)
	toAlice := subscribe(t, n.remotes(), alice.Chain)

	if _, err := alice.Transfer(ctx, transfer(bob.Chain, tokens(30))); err != nil {
		t.Fatalf("alice → bob: %v", err)
	}
	waitFor(t, toBob, chain.NewBundle)
	if _, err := bob.ProcessInbox(ctx); err != nil {
		t.Fatalf("bob processes his inbox: %v", err)
	}
	if _, err := bob.Transfer(ctx, transfer(alice.Chain, tokens(5))); err != nil {
		t.Fatalf("bob → alice: %v", err)
	}
	waitFor(t, toAlice, chain.NewBundle)
	if _, err := alice.ProcessInbox(ctx); err != nil {
		t.Fatalf("alice processes her inbox: %v", err)
	}

	for id, want := range map[ids.ChainID]amount.Amount{alice.Chain: tokens(75), bob.Chain: tokens(75)} {
		for i := range n.servers {
			if got := n.balance(i, id); got != want {
				t.Errorf("validator %d: balance of %s = %s, want %s", i, id.Short(), got, want)
			}
			if got, want := n.tip(i, id), n.tip(0, id); got != want {
				t.Errorf("validator %d: tip of %s = %+v, validator 0 has %+v", i, id.Short(), got, want)
			}
		}
	}
	if got, _ := bob.Balance(ctx); got != "75" {
		t.Errorf("bob's wallet balance = %s, want 75", got)
	}
}

// TestRestartCatchesUp stops one validator of four (pebble storage),
// makes transfers without it, restarts it, and shows that it catches up:
// the clients bring it the blocks it missed, it re-executes them and
// delivers their cross-chain bundles, and it votes again.
func TestRestartCatchesUp(t *testing.T) {
	ctx := t.Context()
	n := newNet(t, netConfig{validators: 4, shards: 2, pebble: true, balances: []amount.Amount{tokens(0), tokens(100), tokens(0)}})
	alice, bob := n.wallet(1), n.wallet(2)

	n.stop(3)
	toBob := subscribeLive(t, n, bob.Chain)
	if _, err := alice.Transfer(ctx, transfer(bob.Chain, tokens(10))); err != nil {
		t.Fatalf("transfer with one validator down: %v", err)
	}
	waitFor(t, toBob, chain.NewBundle)
	if _, err := bob.ProcessInbox(ctx); err != nil {
		t.Fatalf("bob processes his inbox with one validator down: %v", err)
	}

	n.start(3, 2)
	if got := n.tip(3, alice.Chain).NextHeight; got != 0 {
		t.Fatalf("restarted validator: alice's next height = %d, want 0 (it missed her block)", got)
	}
	toBob = subscribeLive(t, n, bob.Chain)
	if _, err := alice.Transfer(ctx, transfer(bob.Chain, tokens(5))); err != nil {
		t.Fatalf("transfer after the restart: %v", err)
	}
	waitFor(t, toBob, chain.NewBundle)
	if _, err := bob.ProcessInbox(ctx); err != nil {
		t.Fatalf("bob processes his inbox after the restart: %v", err)
	}
	for i := range 4 {
		if got := n.balance(i, bob.Chain); got != tokens(15) {
			t.Errorf("validator %d: bob's balance = %s, want 15", i, got)
		}
		if got := n.balance(i, alice.Chain); got != tokens(85) {
			t.Errorf("validator %d: alice's balance = %s, want 85", i, got)
		}
		if got, want := n.tip(i, bob.Chain), n.tip(0, bob.Chain); got != want || got.NextHeight != 2 {
			t.Errorf("validator %d: bob's tip %+v, validator 0 has %+v", i, got, want)
		}
	}
}

// subscribeLive subscribes to chain id at every running validator.
func subscribeLive(t *testing.T, n *testnet, id ids.ChainID) []<-chan chain.Notification {
	var rs []*client.Remote
	for i, s := range n.servers {
		if s != nil {
			rs = append(rs, n.remote(i))
		}
	}
	return subscribe(t, rs, id)
}

// TestShardProcessesDeliverAfterRestart runs one validator as three
// Servers — a proxy and two shard processes with their own pebble stores —
// and shows that a cross-chain update to a shard that is down stays
// pending, survives a restart of the sending shard, and is delivered
// once both are back; the pending index is then empty.
func TestShardProcessesDeliverAfterRestart(t *testing.T) {
	ctx := t.Context()
	v := newShardedValidator(t)
	alice, bob := v.wallet(v.alice), v.wallet(v.bob)
	viaProxy := subscribe(t, []*client.Remote{dial(t, v.proxyAddr)}, bob.Chain)

	if _, err := alice.Transfer(ctx, transfer(bob.Chain, tokens(10))); err != nil {
		t.Fatalf("transfer across shards: %v", err)
	}
	waitFor(t, viaProxy, chain.NewBundle) // forwarded by the proxy from shard 1

	v.stopShard(1)
	if _, err := alice.Transfer(ctx, transfer(bob.Chain, tokens(7))); err != nil {
		t.Fatalf("transfer while the recipient's shard is down: %v", err)
	}
	v.stopShard(0)
	v.startShard(1)
	direct := subscribe(t, []*client.Remote{dial(t, v.shardAddrs[1])}, bob.Chain)
	v.startShard(0) // finds alice in its pending index and retries
	waitFor(t, direct, chain.NewBundle)

	if _, err := bob.ProcessInbox(ctx); err != nil {
		t.Fatalf("bob processes his inbox: %v", err)
	}
	if got, _ := bob.Balance(ctx); got != "117" {
		t.Errorf("bob's balance = %s, want 117", got)
	}
	// Shard 1 sends its acknowledgement, and shard 0 applies it, before
	// shard 1 publishes the notification.
	if keys := scanKeys(t, v.stores[0], []byte("v/pending/")); len(keys) != 0 {
		t.Errorf("shard 0 still has %d chains with pending outboxes", len(keys))
	}
}

func scanKeys(t *testing.T, s kv.Store, prefix []byte) [][]byte {
	var out [][]byte
	if err := s.Scan(context.Background(), prefix, func(k, _ []byte) error {
		out = append(out, bytes.Clone(k))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// shardedValidator is one validator run as a proxy and two shard
// processes (Servers in this test process, talking over 127.0.0.1).
type shardedValidator struct {
	t          *testing.T
	genesis    *chain.Genesis
	key        *keys.PrivateKey
	owners     []*keys.PrivateKey
	proxyAddr  string
	shardAddrs []string
	dirs       []string
	stores     []kv.Store
	shards     []*validator.Server
	alice, bob int // root chains on shard 0 and on shard 1
}

func newShardedValidator(t *testing.T) *shardedValidator {
	v := &shardedValidator{t: t, dirs: []string{t.TempDir(), t.TempDir()}, stores: make([]kv.Store, 2),
		shards: make([]*validator.Server, 2)}
	proxyLn := listen(t, "127.0.0.1:0")
	v.proxyAddr = "ws://" + proxyLn.Addr().String()
	for range 2 {
		ln := listen(t, "127.0.0.1:0")
		v.shardAddrs = append(v.shardAddrs, "ws://"+ln.Addr().String())
		ln.Close() // startShard listens again on the same port
	}
	balances := make([]amount.Amount, 8)
	for i := range balances {
		balances[i] = tokens(100)
	}
	g, vkeys, owners := makeGenesis(t, []string{proxyLn.Addr().String()}, balances)
	v.genesis, v.key, v.owners = g, vkeys[0], owners
	v.alice, v.bob = -1, -1
	for i := 1; i < len(balances); i++ {
		switch s := validator.ShardOf(g.ChainID(i), 2); {
		case s == 0 && v.alice < 0:
			v.alice = i
		case s == 1 && v.bob < 0:
			v.bob = i
		}
	}
	if v.alice < 0 || v.bob < 0 {
		t.Fatal("no root chains on both shards")
	}
	for i := range 2 {
		v.startShard(i)
	}
	proxy := mustNew(t, validator.Config{Shards: 2, Peers: v.shardAddrs, Logger: logger()})
	go proxy.Serve(proxyLn) //nolint:errcheck // nil after Close
	t.Cleanup(func() {
		proxy.Close()
		for i := range v.shards {
			v.stopShard(i)
		}
	})
	return v
}

func (v *shardedValidator) startShard(i int) {
	v.t.Helper()
	ln := listen(v.t, strings.TrimPrefix(v.shardAddrs[i], "ws://"))
	v.stores[i] = openPebble(v.t, v.dirs[i])
	v.shards[i] = mustNew(v.t, validator.Config{Store: v.stores[i], Key: v.key, Genesis: v.genesis,
		Shards: 2, Local: []int{i}, Peers: v.shardAddrs, Internal: true, Logger: logger(),
		RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond})
	go v.shards[i].Serve(ln) //nolint:errcheck // nil after Close
}

func (v *shardedValidator) stopShard(i int) {
	if v.shards[i] != nil {
		if err := v.shards[i].Close(); err != nil {
			v.t.Errorf("close shard %d: %v", i, err)
		}
		v.shards[i] = nil
	}
}

// wallet returns a client of root chain i that reaches the validator
// through its proxy.
func (v *shardedValidator) wallet(i int) *client.Client {
	return newWallet(v.t, v.genesis, i, v.owners[i], []*client.Remote{dial(v.t, v.proxyAddr)})
}
