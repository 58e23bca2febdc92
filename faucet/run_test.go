package faucet_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

// dialer reaches the validators of an in-process network by public key.
func dialer(n *testnet.Network) func(context.Context, committee.Validator) (client.Node, error) {
	return func(_ context.Context, v committee.Validator) (client.Node, error) {
		for _, val := range n.Validators {
			if val.PublicKey() == v.PublicKey {
				return val, nil
			}
		}
		return nil, fmt.Errorf("no validator %s", v.PublicKey.Short())
	}
}

// TestRun starts the faucet as `myriad faucet` does, on a real listener,
// and has a wallet join the network and get a chain through it.
func TestRun(t *testing.T) {
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(1000), amount.Tokens(100)}})
	g, err := wallet.MarshalGenesis(n.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.UnixMicro(int64(n.Clock)) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- faucet.Run(ctx, faucet.Config{Listener: ln, Genesis: n.Genesis, GenesisJSON: g,
			Chain: n.Genesis.ChainID(1), Seed: n.Key(1).Seed(), Dial: dialer(n),
			Options: faucet.Options{Amount: amount.Tokens(7), Now: clock}})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	}()

	url := "http://" + ln.Addr().String()
	f := &wallet.GraphQLFaucet{URL: url}
	genesis, err := f.Genesis(ctx)
	if err != nil {
		t.Fatalf("Genesis: %v", err)
	}
	w, err := wallet.Create(ctx, wallet.Config{File: new(wallet.MemFile), Store: kv.NewMemory(),
		Dialer: wallet.DialFunc(dialer(n)), Now: func() uint64 { return n.Clock }}, genesis, url)
	if err != nil {
		t.Fatalf("wallet.Create: %v", err)
	}
	c, err := w.RequestChain(ctx, f)
	if err != nil {
		t.Fatalf("RequestChain: %v", err)
	}
	if c.Description.Parent != n.Genesis.ChainID(1) {
		t.Errorf("requested chain %v is not a child of the faucet chain", c.Description)
	}
	if err := n.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := w.Sync(ctx, c.ID)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if st.Balance != amount.Tokens(7) {
		t.Errorf("balance of the new chain = %s, want 7", st.Balance)
	}
	to := ids.Account{Chain: n.Genesis.ChainID(2)}
	if _, err := w.Transfer(ctx, ids.Account{Chain: c.ID}, to, amount.Tokens(2)); err != nil {
		t.Errorf("transfer from the new chain: %v", err)
	}
}

func TestRunConfig(t *testing.T) {
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Zero, amount.Tokens(10)}})
	ok := faucet.Config{Listen: "127.0.0.1:0", Genesis: n.Genesis, GenesisJSON: []byte("{}"),
		Chain: n.Genesis.ChainID(1), Seed: n.Key(1).Seed(), Dial: dialer(n), Options: faucet.Options{Amount: amount.Tokens(1)}}
	tests := []struct {
		name   string
		change func(*faucet.Config)
		want   string
	}{
		{"no amount", func(c *faucet.Config) { c.Amount = amount.Zero }, "amount"},
		{"no listen address", func(c *faucet.Config) { c.Listen = "" }, "listen"},
		{"no genesis", func(c *faucet.Config) { c.Genesis = nil }, "genesis"},
		{"not a root chain", func(c *faucet.Config) { c.Chain = ids.Hash{1} }, "not a root chain"},
		{"address count", func(c *faucet.Config) { c.Validators = []string{"ws://127.0.0.1:1"} }, "validator addresses"},
		{"foreign key", func(c *faucet.Config) { c.Seed = n.Key(0).Seed() }, "not an owner"},
		{"bad genesis JSON", func(c *faucet.Config) { c.GenesisJSON = []byte("{") }, "not valid JSON"},
		{"listen fails", func(c *faucet.Config) { c.Listen = "256.0.0.1:0" }, "listen"},
	}
	for _, tt := range tests {
		cfg := ok
		tt.change(&cfg)
		err := faucet.Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Run = %v, want an error about %q", tt.name, err, tt.want)
		}
	}
}
