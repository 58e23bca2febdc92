package apptest

import (
	"context"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
)

// TestDryRunOfApplication: a dry run of an application's operation names
// the application it runs and the messages it sends, burns the fuel the
// real block burns, and leaves the application's state as it was.
func TestDryRunOfApplication(t *testing.T) {
	ctx := context.Background()
	net := newNet(t)
	contract, service := appstest.Build(t, "fungible")
	w1, w2 := net.Wallet(1), net.Wallet(2)
	o1, o2 := w1.Key.Owner(), w2.Key.Owner()
	a := create(t, w1, contract, service, `{"ticker":"MYT"}`, fmt.Sprintf(`{"accounts":{"%s":"100"}}`, o1))
	op := block.Operation{App: a, Bytes: []byte(fmt.Sprintf(
		`{"transfer":{"owner":"%s","amount":"30","target":{"chain":"%s","owner":"%s"}}}`, o1, w2.Chain, o2))}

	d, err := w1.DryRun(ctx, []block.Transaction{{Operation: &op}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 || d.Runs[0].App != a || d.Runs[0].Entry != app.EntryOperation {
		t.Errorf("runs = %+v, want the fungible application's operation", d.Runs)
	}
	if msgs := d.Outcome.Messages[0]; len(msgs) != 1 || msgs[0].Destination != w2.Chain || msgs[0].Message.App != a {
		t.Errorf("messages = %+v, want one message of the application to the second chain", msgs)
	}
	if d.Outcome.Fuel == 0 {
		t.Errorf("the dry run burnt no fuel")
	}
	if b := balance(t, w1, a, o1); b != "100" {
		t.Fatalf("balance after the dry run = %s, want 100 (unchanged)", b)
	}
	cert := mustExec(t, w1, op)
	if got := cert.Value.Block.Outcome.Fuel; got != d.Outcome.Fuel {
		t.Errorf("the block burnt %d fuel, the dry run %d", got, d.Outcome.Fuel)
	}
	if b := balance(t, w1, a, o1); b != "70" {
		t.Fatalf("balance after the block = %s, want 70", b)
	}
}
