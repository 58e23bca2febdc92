package gqlapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// fixture is a Service over a wallet that owns root chains 1 (alice, 100
// tokens) and 2 (bob, 5 tokens) of an in-process network.
type fixture struct {
	t          *testing.T
	net        *testnet.Network
	api        *gqlapi.Service
	alice, bob ids.ChainID
	gate       gate
	feeds      feeds
}

func newFixture(t *testing.T, vm app.VM) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, net: testnet.New(testnet.Config{Validators: 4, Seed: 5, VM: vm,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(5)}}),
		feeds: feeds{added: make(chan struct{}, 64)}}
	w, err := wallet.Create(ctx, wallet.Config{File: &wallet.MemFile{}, Store: kv.NewMemory(), Dialer: f, VM: vm,
		Now: func() uint64 { return f.net.Clock }}, f.net.Genesis, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for i, id := range []*ids.ChainID{&f.alice, &f.bob} {
		if _, err := w.AddKey(f.net.Key(i + 1)); err != nil {
			t.Fatal(err)
		}
		c, err := w.Follow(ctx, f.net.Genesis.ChainID(i+1), nil)
		if err != nil {
			t.Fatal(err)
		}
		*id = c.ID
	}
	if f.api, err = gqlapi.New(gqlapi.Config{Wallet: w}); err != nil {
		t.Fatal(err)
	}
	return f
}

// Dial implements wallet.Dialer over the network's validators.
func (f *fixture) Dial(_ context.Context, v committee.Validator) (client.Node, error) {
	for _, val := range f.net.Validators {
		if val.PublicKey() == v.PublicKey {
			return node{val, &f.gate, &f.feeds}, nil
		}
	}
	return nil, fmt.Errorf("test: no validator %s", v.Address)
}

// node is a validator whose ChainInfo waits at the gate and whose
// notifications the test sends through feeds.
type node struct {
	*testnet.Validator
	g  *gate
	fs *feeds
}

func (n node) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	n.g.pass()
	return n.Validator.ChainInfo(ctx, id)
}

func (n node) Subscribe(ctx context.Context, chains []ids.ChainID) (<-chan chain.Notification, error) {
	return n.fs.subscribe(ctx, chains), nil
}

// feeds are the subscriptions validators were asked for; the test sends
// their notifications.
type feeds struct {
	mu    sync.Mutex
	subs  []*feed
	added chan struct{}
}

type feed struct {
	chains []ids.ChainID
	ch     chan chain.Notification // nil once the subscription ended
}

func (fs *feeds) subscribe(ctx context.Context, chains []ids.ChainID) <-chan chain.Notification {
	ch := make(chan chain.Notification, 16)
	fd := &feed{chains: chains, ch: ch}
	fs.mu.Lock()
	fs.subs = append(fs.subs, fd)
	fs.mu.Unlock()
	fs.added <- struct{}{}
	go func() {
		<-ctx.Done()
		fs.mu.Lock()
		close(fd.ch)
		fd.ch = nil
		fs.mu.Unlock()
	}()
	return ch
}

// wait returns the subscriptions once there are n.
func (fs *feeds) wait(t *testing.T, n int) []*feed {
	t.Helper()
	for {
		fs.mu.Lock()
		subs := append([]*feed{}, fs.subs...)
		fs.mu.Unlock()
		if len(subs) >= n {
			return subs
		}
		select {
		case <-fs.added:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d subscriptions to validators, want %d", len(subs), n)
		}
	}
}

// send passes n to subscription i.
func (fs *feeds) send(i int, n chain.Notification) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if ch := fs.subs[i].ch; ch != nil {
		ch <- n
	}
}

// gate holds requests to validators while it is shut.
type gate struct {
	mu      sync.Mutex
	open    chan struct{} // nil: not shut
	entered chan struct{} // receives once a request waits
}

// shut makes the next requests wait until the returned function runs.
func (g *gate) shut() (entered <-chan struct{}, open func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open, g.entered = make(chan struct{}), make(chan struct{}, 1)
	o := g.open
	return g.entered, func() {
		g.mu.Lock()
		g.open = nil
		g.mu.Unlock()
		close(o)
	}
}

func (g *gate) pass() {
	g.mu.Lock()
	open, entered := g.open, g.entered
	g.mu.Unlock()
	if open == nil {
		return
	}
	select {
	case entered <- struct{}{}:
	default:
	}
	<-open
}

// exec runs a request and returns its data, and its errors joined in one
// string ("" if none).
func (f *fixture) exec(query string, args ...any) (map[string]any, string) {
	f.t.Helper()
	resp := f.api.Exec(context.Background(), gqlapi.Request{Query: fmt.Sprintf(query, args...)})
	b, err := json.Marshal(resp)
	if err != nil {
		f.t.Fatal(err)
	}
	var v struct {
		Data   map[string]any
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		f.t.Fatal(err)
	}
	var msgs []string
	for _, e := range v.Errors {
		msgs = append(msgs, e.Message)
	}
	return v.Data, strings.Join(msgs, "; ")
}

// must runs a request that must succeed and returns its data.
func (f *fixture) must(query string, args ...any) map[string]any {
	f.t.Helper()
	data, errs := f.exec(query, args...)
	if errs != "" {
		f.t.Fatalf("%s: %s", fmt.Sprintf(query, args...), errs)
	}
	return data
}

// fails runs a request that must fail with an error containing want.
func (f *fixture) fails(want, query string, args ...any) {
	f.t.Helper()
	if _, errs := f.exec(query, args...); !strings.Contains(errs, want) {
		f.t.Errorf("%s: errors %q, want one containing %q", fmt.Sprintf(query, args...), errs, want)
	}
}

// deliver runs the network's cross-chain messages.
func (f *fixture) deliver() {
	f.t.Helper()
	if err := f.net.Deliver(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// at follows a path of object keys and list indexes through JSON.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := at(v, path...).(string)
	return s
}

func num(v any, path ...any) int {
	n, _ := at(v, path...).(float64)
	return int(n)
}

func length(v any, path ...any) int {
	l, _ := at(v, path...).([]any)
	return len(l)
}

func unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
