package apptest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

// TestMutationOnChainThatNeverMetTheApp: a chain that has not met an
// application yet can ask its service (over an empty state, once the
// description blob is fetched) for a mutation, and the durable proposal
// of the scheduled operation fetches the bytecode it needs, as a wallet
// does when a user bids or follows from a new chain.
func TestMutationOnChainThatNeverMetTheApp(t *testing.T) {
	net := newNet(t)
	contract, service := appstest.Build(t, "counter")
	w1, w2 := net.Wallet(1), net.Wallet(2)
	a := create(t, w1, contract, service, "", "40")
	ctx := context.Background()
	body, _ := json.Marshal(map[string]string{"query": "mutation { increment(value: 3) }"})
	_, err := w2.Local.OpenState(ctx, w2.Chain).Query(a, body, net.Clock)
	if missing := app.MissingBlobs(err); len(missing) != 1 || missing[0] != a {
		t.Fatalf("query before fetching: %v, want the description blob missing", err)
	}
	// The description, then the service's bytecode.
	for range 3 {
		_, err = w2.Local.OpenState(ctx, w2.Chain).Query(a, body, net.Clock)
		missing := app.MissingBlobs(err)
		if missing == nil {
			break
		}
		if err := w2.FetchBlobs(ctx, missing); err != nil {
			t.Fatal(err)
		}
	}
	_, ops := query(t, w2, a, "mutation { increment(value: 3) }")
	if len(ops) != 1 {
		t.Fatalf("the mutation scheduled %d operations", len(ops))
	}
	// The contract blob is not in w2's node yet: NewBlock fetches it.
	cert, err := w2.ProposeDurably(ctx, []block.Transaction{{Operation: &block.Operation{App: a, Bytes: ops[0]}}})
	if err != nil {
		t.Fatalf("durable proposal of the first operation: %v", err)
	}
	if r := string(cert.Value.Block.Outcome.Results[0]); r != "3" {
		t.Errorf("operation result %q, want 3", r)
	}
}

// TestInboxTransactionsRejectFailingBundle: a durable inbox block (the
// wallet's process-inbox) on a chain that never met the token fetches
// its description and rejects the credit it cannot take, which bounces.
func TestInboxTransactionsRejectFailingBundle(t *testing.T) {
	net := newNet(t)
	contract, service := appstest.Build(t, "fungible")
	w1, w2 := net.Wallet(1), net.Wallet(2)
	o1 := w1.Key.Owner()
	a := create(t, w1, contract, service, `{"ticker":"MYT"}`, fmt.Sprintf(`{"accounts":{"%s":"10"}}`, o1))
	op := fmt.Sprintf(`{"transfer":{"owner":"%s","amount":"4","target":{"chain":"%s","owner":"%s"}}}`, o1, w2.Chain, ids.Owner{})
	mustExec(t, w1, block.Operation{App: a, Bytes: []byte(op)})
	ctx := context.Background()
	if err := net.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	txs, err := w2.InboxTransactions(ctx)
	if err != nil || len(txs) != 1 || txs[0].Bundle.Action != block.Reject {
		t.Fatalf("InboxTransactions = %+v, %v; want the bundle rejected", txs, err)
	}
	if _, err := w2.ProposeDurably(ctx, txs); err != nil {
		t.Fatal(err)
	}
	processInbox(t, net, w1)
	if b := balance(t, w1, a, o1); b != "10" {
		t.Errorf("sender after the bounce: %q, want 10", b)
	}
}
