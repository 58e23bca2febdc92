package main

import (
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/fungible"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestService(t *testing.T) {
	net := sdktest.NewNetwork()
	a, b := net.NewChain("a"), net.NewChain("b")
	alice, bob := sdktest.Owner("alice"), sdktest.Owner("bob")
	id, err := a.CreateApplication(net.Publish(nil, Service), []byte(`{"ticker":"MYT"}`), nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	fungible.Accounts(a.Store(id)).Set(alice, amount.MustParse("12.5"))
	q := fmt.Sprintf(`query { ticker balance(owner: "%s") accounts { owner balance } }`, alice)
	resp, _, err := a.GraphQL(id, q, nil)
	want := fmt.Sprintf(`{"ticker":"MYT","balance":"12.5","accounts":[{"owner":"%s","balance":"12.5"}]}`, alice)
	if err != nil || resp.Err() != nil || string(resp.Data) != want {
		t.Fatalf("query = %s, %v, %v; want %s", resp.Data, resp.Err(), err, want)
	}
	m := fmt.Sprintf(`mutation { transfer(owner: "%s", amount: "2", targetChain: "%s", targetOwner: "%s") }`, alice, b.ID, bob)
	resp, ops, err := a.GraphQL(id, m, nil)
	if err != nil || resp.Err() != nil || len(ops) != 1 {
		t.Fatalf("transfer = %v, %v, %q", resp.Err(), err, ops)
	}
	op := sdk.FromJSON[fungible.Operation](ops[0])
	if tr := op.Transfer; tr == nil || tr.Owner != alice || tr.Amount.String() != "2" || tr.Target.Chain != b.ID || tr.Target.Owner != bob {
		t.Errorf("scheduled %s", ops[0])
	}
	m = fmt.Sprintf(`mutation { claim(owner: "%s", sourceChain: "%s", amount: "1", targetChain: "%s", targetOwner: "%s") }`, alice, b.ID, a.ID, alice)
	if _, ops, _ = a.GraphQL(id, m, nil); len(ops) != 1 || sdk.FromJSON[fungible.Operation](ops[0]).Claim.Source.Chain != b.ID {
		t.Errorf("claim scheduled %q", ops)
	}
	resp, ops, _ = a.GraphQL(id, `mutation { transfer(owner: "x", amount: "2", targetChain: "y", targetOwner: "z") }`, nil)
	if resp.Err() == nil || len(ops) != 0 {
		t.Errorf("transfer with bad ids: %v, %q; want an error", resp.Err(), ops)
	}
}
