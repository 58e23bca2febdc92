package validator

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/rpc"
	client "github.com/myriadchain/myriad/node-client"
)

// oneValidator starts a Server of a one-validator committee on 127.0.0.1
// over store, with cfg's limits, and returns it with its address.
func oneValidator(t testing.TB, store kv.Store, cfg Config) (*Server, *chain.Genesis, string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 3))
	k := key(rng)
	com, err := committee.New([]committee.Validator{{PublicKey: k.Public(), Weight: 1}}, committee.NoFees())
	if err != nil {
		t.Fatal(err)
	}
	g := &chain.Genesis{Committee: com, Timestamp: nowMicro(), Chains: []chain.GenesisChain{
		{Ownership: manager.Single(key(rng).Owner())}, {Ownership: manager.Single(key(rng).Owner())}}}
	cfg.Store, cfg.Key, cfg.Genesis = store, k, g
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // nil after Close
	t.Cleanup(func() { srv.Close() })
	return srv, g, ln.Addr().String()
}

// TestInFlightLimit holds a chain's lock so that a request for it cannot
// finish, and shows that the connection's next request is refused with
// rpc.ErrTooManyFlight while the first is in flight, and served after.
func TestInFlightLimit(t *testing.T) {
	ctx := t.Context()
	srv, g, addr := oneValidator(t, kv.NewMemory(), Config{MaxInFlight: 1})
	id := g.ChainID(1)
	unlock, err := srv.shards[ShardOf(id, 1)].locks.lock(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	read := func() rpc.Frame {
		t.Helper()
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, b, err := c.Read(rctx)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		f, _ := rpc.ParseFrame(b)
		return f
	}
	for id2 := uint64(1); id2 <= 2; id2++ {
		if err := c.Write(ctx, websocket.MessageBinary, rpc.NewRequest(rpc.ChainInfo, id2, rpc.ChainID{ID: id}).Marshal()); err != nil {
			t.Fatal(err)
		}
	}
	if f := read(); f.ID != 2 || !errors.Is(rpc.DecodeReply(f, &rpc.Empty{}), rpc.ErrTooManyFlight) {
		t.Fatalf("second request: reply %s id %d, want rpc.ErrTooManyFlight for id 2", f.Kind, f.ID)
	}
	unlock()
	var in chain.Info
	if f := read(); f.ID != 1 || rpc.DecodeReply(f, &in) != nil || in.Chain != id {
		t.Fatalf("first request: reply %s id %d, want chain info for id 1", f.Kind, f.ID)
	}
}

// panicStore panics on reads while armed.
type panicStore struct {
	kv.Store
	armed atomic.Bool
}

func (p *panicStore) MultiGet(ctx context.Context, keys [][]byte) ([][]byte, error) {
	if p.armed.Load() {
		panic("panicStore: armed")
	}
	return p.Store.MultiGet(ctx, keys)
}

// TestPanicIsAnswered makes request handling panic: the request is
// answered with rpc.ErrInternal, the panic counted, and the server goes on.
func TestPanicIsAnswered(t *testing.T) {
	store := &panicStore{Store: kv.NewMemory()}
	srv, g, addr := oneValidator(t, store, Config{CacheBytes: -1})
	r, err := client.Dial(t.Context(), "ws://"+addr, client.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	store.armed.Store(true)
	if _, err := r.ChainInfo(t.Context(), g.ChainID(1)); !errors.Is(err, rpc.ErrInternal) {
		t.Fatalf("ChainInfo while handling panics = %v, want rpc.ErrInternal", err)
	}
	store.armed.Store(false)
	if _, err := r.ChainInfo(t.Context(), g.ChainID(1)); err != nil {
		t.Fatalf("ChainInfo after the panic = %v", err)
	}
	if got := srv.metrics.panics.Load(); got != 1 {
		t.Errorf("panics counted = %d, want 1", got)
	}
}

// TestGenesisMismatch refuses a store initialised with another genesis.
func TestGenesisMismatch(t *testing.T) {
	store := kv.NewMemory()
	srv, g, _ := oneValidator(t, store, Config{})
	srv.Close()
	store2 := kv.NewMemory()
	if err := initGenesis(t.Context(), store2, g); err != nil {
		t.Fatal(err)
	}
	other := *g
	other.Timestamp++
	if err := initGenesis(t.Context(), store2, &other); !errors.Is(err, ErrGenesisMismatch) {
		t.Fatalf("initGenesis with another genesis = %v, want ErrGenesisMismatch", err)
	}
}
