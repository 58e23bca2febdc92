package gqlapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// TestDryRun previews mutations: the blocks they would sign, described,
// with nothing signed; the approved mutation then signs the previewed
// block, and a mutation that changed since its preview signs nothing.
func TestDryRun(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	bobKey := f.net.Key(2).Owner()
	transfer := gqlapi.Request{Query: `mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "7.5") }`,
		Variables: map[string]any{"c": f.alice.String(), "to": fmt.Sprintf("%s:%s", f.bob, bobKey)}}
	p, err := f.api.DryRun(ctx, transfer)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocks) != 1 {
		t.Fatalf("preview of one transfer: %d blocks", len(p.Blocks))
	}
	b := p.Blocks[0]
	if b.ChainID != f.alice.String() || b.Height != 0 || len(b.Operations) != 1 || b.Operations[0].Kind != "transfer" ||
		!strings.Contains(b.Operations[0].Summary, "transfer 7.5 from the chain's account to "+f.bob.String()+":"+bobKey.String()) {
		t.Errorf("previewed block: %+v", b)
	}
	if len(b.Balances) != 1 || b.Balances[0] != (gqlapi.PreviewBalance{Owner: "", Before: "100", After: "92.5", Change: "-7.5"}) {
		t.Errorf("balance changes: %+v, want the chain's account 100 → 92.5", b.Balances)
	}
	if len(b.Messages) != 1 || b.Messages[0].Destination != f.bob.String() || b.Messages[0].Application != "" ||
		b.Messages[0].Summary != "credit 7.5 to the account of "+bobKey.String() {
		t.Errorf("messages: %+v, want a credit to bob's owner", b.Messages)
	}
	if b.Fees != "0" || b.PendingFirst || len(b.Applications) != 0 {
		t.Errorf("fees %s (the test policy has none), pending %v, applications %v", b.Fees, b.PendingFirst, b.Applications)
	}
	if d := f.must(`{ chain(chainId: "%s") { balance height } }`, f.alice); str(d, "chain", "balance") != "100" || num(d, "chain", "height") != 0 {
		t.Fatalf("the preview changed alice's chain: %v", d)
	}
	js, _ := json.Marshal(p)
	if !strings.Contains(string(js), `"blocks":[{"chainId":"`) || strings.Contains(string(js), "runs") {
		t.Errorf("JSON form: %s", js)
	}

	// Approved: the block signed is the block previewed.
	resp := f.api.Exec(p.Approve(ctx), transfer)
	if len(resp.Errors) != 0 {
		t.Fatalf("approved transfer: %v", resp.Errors)
	}
	var out struct{ Transfer string }
	if err := json.Unmarshal(resp.Data, &out); err != nil {
		t.Fatal(err)
	}
	if d := f.must(`{ block(hash: "%s") { height timestamp } }`, out.Transfer); num(d, "block", "height") != 0 {
		t.Errorf("approved block: %v", d)
	}
	// A second preview now builds on the new tip; a mutation that changed
	// since its preview is refused.
	p2, err := f.api.DryRun(ctx, transfer)
	if err != nil || p2.Blocks[0].Height != 1 || p2.Blocks[0].Balances[0].Before != "92.5" {
		t.Fatalf("second preview: %+v, %v", p2, err)
	}
	other := gqlapi.Request{Query: strings.Replace(transfer.Query, "7.5", "8", 1), Variables: transfer.Variables}
	if resp := f.api.Exec(p2.Approve(ctx), other); len(resp.Errors) == 0 || !strings.Contains(resp.Errors[0].Message, "changed since it was approved") {
		t.Errorf("another mutation than approved: %v", resp.Errors)
	}
	if d := f.must(`{ chain(chainId: "%s") { balance } }`, f.alice); str(d, "chain", "balance") != "92.5" {
		t.Errorf("balance after the refused mutation: %v", d)
	}

	// A query previews to nothing; a failing mutation says why.
	if p, err := f.api.DryRun(ctx, gqlapi.Request{Query: `{ chains { id } }`}); err != nil || len(p.Blocks) != 0 {
		t.Errorf("preview of a query: %+v, %v", p, err)
	}
	over := gqlapi.Request{Query: strings.Replace(transfer.Query, "7.5", "1000", 1), Variables: transfer.Variables}
	if _, err := f.api.DryRun(ctx, over); err == nil || !strings.Contains(err.Error(), "insufficient") {
		t.Errorf("preview of an overdraft: %v, want insufficient funds", err)
	}
	// Two blocks on one chain cannot be previewed truly: refused.
	two := fmt.Sprintf(`mutation { a: transfer(chainId: "%s", recipient: "%s", amount: "1") b: transfer(chainId: "%s", recipient: "%s", amount: "2") }`,
		f.alice, f.bob, f.alice, f.bob)
	if _, err := f.api.DryRun(ctx, gqlapi.Request{Query: two}); err == nil || !strings.Contains(err.Error(), "one block per chain") {
		t.Errorf("preview of two blocks on one chain: %v, want refused", err)
	}
	// followChain signs nothing: its preview names the chain, and only the
	// approved mutation tracks it.
	admin := f.net.Genesis.ChainID(0).String()
	follow := gqlapi.Request{Query: `mutation ($c: String!) { followChain(chainId: $c) { id owner height } }`, Variables: map[string]any{"c": admin}}
	if p, err := f.api.DryRun(ctx, follow); err != nil || len(p.Blocks) != 0 || len(p.Follows) != 1 || p.Follows[0] != admin {
		t.Errorf("preview of followChain: %+v, %v; want no block and the admin chain followed", p, err)
	}
	if d := f.must(`{ chains { id } }`); length(d, "chains") != 2 {
		t.Errorf("the preview of followChain tracked a chain: %v", d)
	}
	resp = f.api.Exec(ctx, follow)
	if len(resp.Errors) != 0 || !strings.Contains(string(resp.Data), `"owner":null`) {
		t.Errorf("followChain of the admin chain: %s %v; want it followed without a key", resp.Data, resp.Errors)
	}
	if d := f.must(`{ chains { id } }`); length(d, "chains") != 3 || str(d, "chains", 2, "id") != admin {
		t.Errorf("chains after followChain: %v", d)
	}
	// processInbox with nothing waiting makes no block.
	if p, err := f.api.DryRun(ctx, gqlapi.Request{Query: fmt.Sprintf(`mutation { processInbox(chainId: "%s") }`, f.bob)}); err != nil || len(p.Blocks) != 0 {
		t.Errorf("preview of an empty inbox: %+v, %v", p, err)
	}
}

// TestDryRunApplication previews an application's mutation: the
// operation, the application it runs; the state stays.
func TestDryRunApplication(t *testing.T) {
	f := newFixture(t, adder{})
	ctx := context.Background()
	a := f.createAdder(ctx)
	inc := []byte(`{"query": "mutation($n: U64!) { increment(value: $n) }", "variables": {"n": "3"}}`)
	p, err := f.api.DryRunApplication(ctx, f.alice.String(), a.String(), inc)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocks) != 1 || len(p.Blocks[0].Operations) != 1 || p.Blocks[0].Operations[0].Application != a.String() ||
		len(p.Blocks[0].Applications) != 1 || p.Blocks[0].Applications[0] != (gqlapi.PreviewRun{Application: a.String(), Entry: app.EntryOperation.String()}) {
		t.Fatalf("preview: %+v", p.Blocks)
	}
	value := func() string { return f.appValue(ctx, a) }
	if got := value(); got != `{"data":{"value":40}}` {
		t.Fatalf("after the preview: %s, want 40", got)
	}
	if _, err := f.api.ExecApplication(p.Approve(ctx), f.alice.String(), a.String(), inc); err != nil {
		t.Fatal(err)
	}
	if got := value(); got != `{"data":{"value":43}}` {
		t.Errorf("after the approved mutation: %s, want 43", got)
	}
	// A query of the application previews to nothing.
	if p, err := f.api.DryRunApplication(ctx, f.alice.String(), a.String(), []byte(`{"query": "{ value }"}`)); err != nil || len(p.Blocks) != 0 {
		t.Errorf("preview of a query: %+v, %v", p, err)
	}
}
