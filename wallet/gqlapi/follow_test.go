package gqlapi_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// TestFollow: Follow asks every validator about the admin chain (for
// committee changes) and the tracked chains, and
// about a chain openChain opens; a block made elsewhere is synchronised
// when its notification arrives, then announced once, however many
// validators send it.
func TestFollow(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		f.api.Follow(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	for i, fd := range f.feeds.wait(t, 4) {
		if admin := f.net.Genesis.Admin(); !slices.Equal(fd.chains, []ids.ChainID{admin, f.alice, f.bob}) {
			t.Errorf("validator subscription %d is about %v, want the admin chain, alice and bob", i, fd.chains)
		}
	}
	id := str(f.must(`mutation { openChain(chainId: "%s") }`, f.alice), "openChain")
	for i, fd := range f.feeds.wait(t, 8)[4:] {
		if len(fd.chains) != 1 || fd.chains[0].String() != id {
			t.Errorf("validator subscription %d is about %v, want the new chain %s", 4+i, fd.chains, id)
		}
	}

	ch, err := f.api.Subscribe(ctx, gqlapi.Request{Query: `subscription($c: [String!]) { notifications(chainIds: $c) { kind height hash origin } }`,
		Variables: map[string]any{"c": []any{f.bob.String()}}})
	if err != nil {
		t.Fatal(err)
	}
	// Another client of bob's chain (the same key elsewhere) makes a block.
	other := f.net.Wallet(2)
	cert, err := other.Execute(ctx, system.Transfer(ids.Owner{}, ids.Account{Chain: f.alice}, amount.Tokens(1)))
	if err != nil {
		t.Fatal(err)
	}
	n := chain.Notification{Chain: f.bob, Kind: chain.NewBlock, Height: 0, Hash: cert.Hash()}
	for range 4 { // as every validator would
		f.feeds.send(0, n)
	}
	bundle := chain.Notification{Chain: f.bob, Kind: chain.NewBundle, Height: 1, Origin: f.alice}
	f.feeds.send(0, bundle)
	next := func() map[string]any {
		t.Helper()
		select {
		case resp := <-ch:
			var v map[string]any
			if len(resp.Errors) > 0 || unmarshal(resp.Data, &v) != nil {
				t.Fatalf("notification: %v", resp)
			}
			return v
		case <-time.After(10 * time.Second):
			t.Fatal("no notification arrived")
			return nil
		}
	}
	if v := next(); str(v, "notifications", "kind") != "NEW_BLOCK" || str(v, "notifications", "hash") != cert.Hash().String() {
		t.Errorf("first notification %v, want the other client's block %s", v, cert.Hash())
	}
	if d := f.must(`{ chain(chainId: "%s") { height tip } }`, f.bob); num(d, "chain", "height") != 1 || str(d, "chain", "tip") != cert.Hash().String() {
		t.Errorf("bob after the notification: %v, want the other client's block synchronised", d)
	}
	if v := next(); str(v, "notifications", "kind") != "NEW_BUNDLE" || str(v, "notifications", "origin") != f.alice.String() {
		t.Errorf("second notification %v, want the bundle (the block announced once)", v)
	}
}
