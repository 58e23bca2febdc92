package gqlapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

const chainFields = `id owner height tip balance closed inbox
	ownerBalances { owner balance }
	pendingInbox { origin height timestamp blockHash messages tokens }
	recentBlocks(limit: 5) { hash chainId height timestamp previous signer operations incomingBundles outgoingMessages }
	applications { id }`

func TestChains(t *testing.T) {
	f := newFixture(t, nil)
	d := f.must(`{ chains { %s } }`, chainFields)
	if n := length(d, "chains"); n != 2 {
		t.Fatalf("chains: %d, want 2: %v", n, d)
	}
	c := at(d, "chains", 0)
	want := map[string]any{"id": f.alice.String(), "owner": f.net.Key(1).Owner().String(), "height": 0.0,
		"tip": nil, "balance": "100", "closed": false, "inbox": 0.0}
	for k, v := range want {
		if got := at(c, k); got != v {
			t.Errorf("chains[0].%s = %v, want %v", k, got, v)
		}
	}
	for _, k := range []string{"ownerBalances", "pendingInbox", "recentBlocks", "applications"} {
		if n := length(c, k); n != 0 {
			t.Errorf("chains[0].%s has %d entries, want none", k, n)
		}
	}
	if got := str(d, "chains", 1, "id"); got != f.bob.String() {
		t.Errorf("chains[1].id = %s, want bob's chain %s", got, f.bob)
	}
	// A genesis chain the wallet does not track is in the local node.
	admin := f.net.Genesis.ChainID(0)
	if d := f.must(`{ chain(chainId: "%s") { id owner } }`, admin); at(d, "chain", "owner") != nil {
		t.Errorf("untracked chain has owner %v, want null", at(d, "chain", "owner"))
	}
}

// TestTransferAndInbox follows a transfer from alice to bob through
// every field it changes: balances, tip, recent blocks, the block by
// hash, bob's pending inbox before and after processInbox.
func TestTransferAndInbox(t *testing.T) {
	f := newFixture(t, nil)
	bobKey := f.net.Key(2).Owner()
	hash := str(f.must(`mutation { transfer(chainId: "%s", recipient: "%s", amount: "7.5") }`, f.alice, f.bob), "transfer")
	f.must(`mutation { transfer(chainId: "%s", recipient: "%s:%s", amount: "2") }`, f.alice, f.bob, bobKey)
	d := f.must(`{ chain(chainId: "%s") { %s } }`, f.alice, chainFields)
	c := at(d, "chain")
	if str(c, "balance") != "90.5" || num(c, "height") != 2 || length(c, "recentBlocks") != 2 {
		t.Errorf("alice after two transfers: %v", c)
	}
	first := at(c, "recentBlocks", 1)
	if str(first, "hash") != hash || num(first, "height") != 0 || num(first, "operations") != 1 ||
		num(first, "outgoingMessages") != 1 || at(first, "previous") != nil || str(first, "signer") != f.net.Key(1).Owner().String() {
		t.Errorf("recentBlocks[1] = %v, want the first transfer %s", first, hash)
	}
	if str(c, "tip") != str(c, "recentBlocks", 0, "hash") || str(c, "recentBlocks", 0, "previous") != hash {
		t.Errorf("tip %s, recentBlocks[0] %v: want the second transfer, after %s", str(c, "tip"), at(c, "recentBlocks", 0), hash)
	}
	b := f.must(`{ block(hash: "%s") { hash chainId height timestamp } }`, hash)
	if str(b, "block", "hash") != hash || str(b, "block", "chainId") != f.alice.String() || str(b, "block", "timestamp") == "" {
		t.Errorf("block(%s) = %v", hash, b)
	}

	f.deliver()
	f.must(`mutation { sync(chainId: "%s") }`, f.bob)
	c = at(f.must(`{ chain(chainId: "%s") { %s } }`, f.bob, chainFields), "chain")
	if num(c, "inbox") != 2 || length(c, "pendingInbox") != 2 {
		t.Fatalf("bob's inbox before processInbox: %v", c)
	}
	bundle := at(c, "pendingInbox", 0)
	if str(bundle, "origin") != f.alice.String() || num(bundle, "height") != 0 || str(bundle, "blockHash") != hash ||
		num(bundle, "messages") != 1 || str(bundle, "tokens") != "7.5" {
		t.Errorf("pendingInbox[0] = %v, want alice's 7.5 tokens from block %s", bundle, hash)
	}
	in := str(f.must(`mutation { processInbox(chainId: "%s") }`, f.bob), "processInbox")
	c = at(f.must(`{ chain(chainId: "%s") { %s } }`, f.bob, chainFields), "chain")
	if length(c, "pendingInbox") != 0 || str(c, "balance") != "12.5" || str(c, "tip") != in ||
		num(c, "recentBlocks", 0, "incomingBundles") != 2 {
		t.Errorf("bob after processInbox %s: %v", in, c)
	}
	if str(c, "ownerBalances", 0, "owner") != bobKey.String() || str(c, "ownerBalances", 0, "balance") != "2" {
		t.Errorf("bob's ownerBalances = %v, want 2 tokens for %s", at(c, "ownerBalances"), bobKey)
	}
	d = f.must(`{ chain(chainId: "%s") { balance(owner: "%s") } }`, f.bob, bobKey)
	if got := str(d, "chain", "balance"); got != "2" {
		t.Errorf("balance(owner) = %s, want 2", got)
	}
	if d := f.must(`mutation { processInbox(chainId: "%s") }`, f.bob); at(d, "processInbox") != nil {
		t.Errorf("processInbox with nothing waiting = %v, want null", d)
	}
}

func TestOpenAndCloseChain(t *testing.T) {
	f := newFixture(t, nil)
	id := str(f.must(`mutation { openChain(chainId: "%s", initialBalance: "10") }`, f.alice), "openChain")
	d := f.must(`{ chains { id owner } chain(chainId: "%s") { balance closed } }`, id)
	if length(d, "chains") != 3 || str(d, "chains", 2, "id") != id || str(d, "chains", 2, "owner") != f.net.Key(1).Owner().String() {
		t.Errorf("chains after openChain: %v, want the new chain %s tracked with alice's key", at(d, "chains"), id)
	}
	if str(d, "chain", "balance") != "10" || at(d, "chain", "closed") != false {
		t.Errorf("new chain = %v, want 10 tokens, open", at(d, "chain"))
	}
	if got := str(f.must(`{ chain(chainId: "%s") { balance } }`, f.alice), "chain", "balance"); got != "90" {
		t.Errorf("alice after paying the initial balance: %s, want 90", got)
	}
	hash := str(f.must(`mutation { closeChain(chainId: "%s") }`, id), "closeChain")
	d = f.must(`{ chain(chainId: "%s") { closed tip } }`, id)
	if at(d, "chain", "closed") != true || str(d, "chain", "tip") != hash {
		t.Errorf("after closeChain: %v, want closed at block %s", at(d, "chain"), hash)
	}
	f.fails("closed", `mutation { transfer(chainId: "%s", recipient: "%s", amount: "1") }`, id, f.alice)

	// Owned by a key the wallet does not hold: tracked, not owned.
	other := f.net.NewKey().Owner()
	id = str(f.must(`mutation { openChain(chainId: "%s", owner: "%s") }`, f.bob, other), "openChain")
	d = f.must(`{ chains { id owner } }`)
	if str(d, "chains", 3, "id") != id || at(d, "chains", 3, "owner") != nil {
		t.Errorf("chains after opening one for another owner: %v", at(d, "chains"))
	}
}

func TestSubscription(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ch, err := f.api.Subscribe(ctx, gqlapi.Request{
		Query:     `subscription($c: [String!]) { notifications(chainIds: $c) { chainId kind height hash origin } }`,
		Variables: map[string]any{"c": []any{f.alice.String()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.must(`mutation { transfer(chainId: "%s", recipient: "%s", amount: "1") }`, f.bob, f.alice) // filtered out
	hash := str(f.must(`mutation { transfer(chainId: "%s", recipient: "%s", amount: "1") }`, f.alice, f.bob), "transfer")
	select {
	case resp := <-ch:
		n := map[string]any{}
		if len(resp.Errors) > 0 || unmarshal(resp.Data, &n) != nil {
			t.Fatalf("notification: %v", resp)
		}
		want := map[string]any{"chainId": f.alice.String(), "kind": "NEW_BLOCK", "height": 0.0, "hash": hash, "origin": nil}
		for k, v := range want {
			if got := at(n, "notifications", k); got != v {
				t.Errorf("notification %s = %v, want %v", k, got, v)
			}
		}
	case <-ctx.Done():
		t.Fatal("no notification arrived")
	}
	cancel()
	for range ch { // closed when the context ends
	}

	bad, err := f.api.Subscribe(context.Background(), gqlapi.Request{Query: `subscription { notifications(chainIds: ["zz"]) { kind } }`})
	if err != nil {
		t.Fatal(err)
	}
	if resp, ok := <-bad; !ok || len(resp.Errors) == 0 {
		t.Errorf("subscription with a malformed chain id answered %v, want an error", resp)
	}
	if _, ok := <-bad; ok {
		t.Error("a failed subscription stays open")
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, nil)
	unknown := ids.Hash{7}
	f.fails("not in the local node", `{ chain(chainId: "%s") { id } }`, unknown)
	f.fails("argument chainId: ", `{ chain(chainId: "zz") { id } }`)
	f.fails("no block with this hash", `{ block(hash: "%s") { height } }`, unknown)
	f.fails("argument hash: ", `{ block(hash: "12") { height } }`)
	f.fails("argument limit: ", `{ chain(chainId: "%s") { recentBlocks(limit: 0) { hash } } }`, f.alice)
	f.fails("argument owner: ", `{ chain(chainId: "%s") { balance(owner: "me") } }`, f.alice)
	f.fails("argument amount: ", `mutation { transfer(chainId: "%s", recipient: "%s", amount: "1.2.3") }`, f.alice, f.bob)
	f.fails("argument recipient: ", `mutation { transfer(chainId: "%s", recipient: "bob", amount: "1") }`, f.alice)
	f.fails("not tracked", `mutation { transfer(chainId: "%s", recipient: "%s", amount: "1") }`, unknown, f.bob)
	f.fails("insufficient", `mutation { transfer(chainId: "%s", recipient: "%s", amount: "1000") }`, f.alice, f.bob)
	f.fails("argument initialBalance: ", `mutation { openChain(chainId: "%s", initialBalance: "-1") }`, f.alice)
	f.fails("not tracked", `mutation { closeChain(chainId: "%s") }`, unknown)
	f.fails("not tracked", `mutation { processInbox(chainId: "%s") }`, unknown)
	f.fails("Cannot query field", `{ nothing }`)
	// Nothing moved.
	if got := str(f.must(`{ chain(chainId: "%s") { balance } }`, f.alice), "chain", "balance"); got != "100" {
		t.Errorf("alice after rejected mutations: %s, want 100", got)
	}

	ctx := context.Background()
	for _, c := range []struct{ chain, app, body string }{
		{"zz", unknown.String(), `{"query":"{ value }"}`},
		{f.alice.String(), "app", `{"query":"{ value }"}`},
		{f.alice.String(), unknown.String(), `{"query":`},
	} {
		if _, err := f.api.ExecApplication(ctx, c.chain, c.app, []byte(c.body)); !errors.Is(err, gqlapi.ErrRequest) {
			t.Errorf("ExecApplication(%q, %q, %s) error = %v, want ErrRequest", c.chain, c.app, c.body, err)
		}
	}
	_, err := f.api.ExecApplication(ctx, f.alice.String(), unknown.String(), []byte(`{"query":"{ value }"}`))
	if err == nil || errors.Is(err, gqlapi.ErrRequest) || !strings.Contains(err.Error(), "query application "+unknown.Short()) {
		t.Errorf("ExecApplication(unknown application) error = %v, want a failure", err)
	}
}

// TestQueriesDuringSync: a query answers while a synchronisation waits on
// the validators; the synchronisation then finishes.
func TestQueriesDuringSync(t *testing.T) {
	f := newFixture(t, nil)
	entered, open := f.gate.shut()
	done := make(chan string)
	go func() {
		_, errs := f.exec(`mutation { sync(chainId: "%s") }`, f.alice)
		done <- errs
	}()
	<-entered
	answered := make(chan map[string]any)
	go func() { answered <- f.must(`{ chains { id balance height } }`) }()
	select {
	case d := <-answered:
		if str(d, "chains", 0, "balance") != "100" {
			t.Errorf("chains during a sync: %v", d)
		}
	case <-time.After(10 * time.Second):
		t.Error("a query waited for the sync")
	}
	open()
	if errs := <-done; errs != "" {
		t.Errorf("sync: %s", errs)
	}
}

func TestWithWallet(t *testing.T) {
	f := newFixture(t, nil)
	var n int
	err := f.api.WithWallet(func(w *wallet.Wallet) error {
		n = len(w.Chains())
		return errors.New("done")
	})
	if n != 2 || err == nil || err.Error() != "done" {
		t.Errorf("WithWallet saw %d chains and returned %v; want 2 and fn's error", n, err)
	}
}
