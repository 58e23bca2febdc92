//go:build !js

package faucet_test

import (
	"context"
	"encoding/json"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/faucet"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/validator"
	"github.com/myriadchain/myriad/wallet"
)

// parseGenesis reads the validators' genesis file format, as cmd/myriad does.
func parseGenesis(b []byte) (*chain.Genesis, error) {
	f, err := validator.ParseGenesis(b)
	if err != nil {
		return nil, err
	}
	return f.Genesis()
}

// TestOverWebSocket runs the faucet against four validator servers on
// 127.0.0.1, reached over WebSocket, with the genesis in the validators'
// file format: the way `myriad net up` runs it.
func TestOverWebSocket(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var gf validator.GenesisFile
	gf.Committee.Policy = "no-fees"
	gf.Timestamp = uint64(time.Now().UnixMicro())
	var lns []net.Listener
	for i := range 4 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		gf.Committee.Validators = append(gf.Committee.Validators, validator.GenesisValidator{
			PublicKey: keyAt(100 + uint64(i)).Public(), Weight: 1, Address: "ws://" + ln.Addr().String()})
	}
	faucetKey := keyAt(200)
	gf.Chains = []validator.GenesisChain{{Owner: keyAt(201).Owner()}, {Owner: faucetKey.Owner(), Balance: amount.Tokens(1000)}}
	raw, err := json.Marshal(gf)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gf.Genesis()
	if err != nil {
		t.Fatal(err)
	}
	for i, ln := range lns {
		srv, err := validator.New(validator.Config{Store: kv.NewMemory(), Key: keyAt(100 + uint64(i)), Genesis: g})
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(ln) //nolint:errcheck // ends with Close
		defer srv.Close()
	}

	fln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- faucet.Run(ctx, faucet.Config{Listener: fln, Genesis: g, GenesisJSON: raw, Chain: g.ChainID(1),
			Seed: faucetKey.Seed(), Options: faucet.Options{Amount: amount.Tokens(10), RateLimit: faucet.RateLimit{Burst: 30}}})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	url := "http://" + fln.Addr().String()
	fc := &wallet.GraphQLFaucet{URL: url, ParseGenesis: parseGenesis}

	const claims = 20
	descs := make([]ids.Description, claims)
	errs := make([]error, claims)
	var wg sync.WaitGroup
	for i := range claims {
		wg.Go(func() { descs[i], errs[i] = fc.Claim(ctx, keyAt(300+uint64(i)).Owner()) })
	}
	wg.Wait()
	seen := map[ids.ChainID]bool{}
	heights := map[uint64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
		if seen[descs[i].ID()] || descs[i].Parent != g.ChainID(1) {
			t.Errorf("claim %d: %v given twice or not by the faucet chain", i, descs[i])
		}
		seen[descs[i].ID()], heights[descs[i].Height] = true, true
	}
	t.Logf("%d claims in %d blocks", claims, len(heights))
	if len(heights) >= claims {
		t.Errorf("%d parallel claims took %d blocks; want them batched", claims, len(heights))
	}
	sameBlocks(ctx, t, g, g.ChainID(1))

	// A wallet joins through the faucet as `myriad wallet init --faucet` does.
	genesis, err := fc.Genesis(ctx)
	if err != nil {
		t.Fatalf("Genesis: %v", err)
	}
	w, err := wallet.Create(ctx, wallet.Config{File: new(wallet.MemFile), Store: kv.NewMemory(),
		Dialer: wallet.DialFunc(remote)}, genesis, url)
	if err != nil {
		t.Fatalf("wallet.Create: %v", err)
	}
	defer w.Close()
	if _, err := w.RequestChain(ctx, fc); err != nil {
		t.Fatalf("RequestChain: %v", err)
	}
}

func remote(ctx context.Context, v committee.Validator) (client.Node, error) {
	return client.Dial(ctx, v.Address, client.DialOptions{PublicKey: v.PublicKey, Lazy: true})
}

// sameBlocks checks that every validator holds the same block at every
// height of chain id.
func sameBlocks(ctx context.Context, t *testing.T, g *chain.Genesis, id ids.ChainID) {
	t.Helper()
	rs, err := client.DialCommittee(ctx, g.Committee, client.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var tip chain.Tip
	for i, r := range rs {
		defer r.Close()
		info, err := r.ChainInfo(ctx, id)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		if i > 0 && info.Tip != tip {
			t.Errorf("validator %d: tip of the faucet chain at height %d, validator 0 at %d", i, info.Tip.NextHeight, tip.NextHeight)
		}
		tip = info.Tip
	}
	for h := range tip.NextHeight {
		var first *block.Certificate
		for i, r := range rs {
			c, err := r.Certificate(ctx, id, h)
			if err != nil {
				t.Fatalf("validator %d: block %d: %v", i, h, err)
			}
			if first == nil {
				first = c
			} else if c.Hash() != first.Hash() {
				t.Errorf("validator %d: block %d differs from validator 0's", i, h)
			}
		}
	}
}
