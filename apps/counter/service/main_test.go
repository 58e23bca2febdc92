package main

import (
	"testing"

	"github.com/myriadchain/myriad/apps/counter"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestService(t *testing.T) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	id, err := a.CreateApplication(net.Publish(nil, Service), nil, nil, sdktest.Owner("alice"))
	if err != nil {
		t.Fatal(err)
	}
	counter.Value(a.Store(id)).Set(8)
	resp, ops, err := a.GraphQL(id, `query { value }`, nil)
	if err != nil || resp.Err() != nil || string(resp.Data) != `{"value":8}` || len(ops) != 0 {
		t.Fatalf("query { value } = %s, %v, %v, %v; want {\"value\":8}", resp.Data, resp.Err(), ops, err)
	}
	resp, ops, err = a.GraphQL(id, `mutation { increment(value: 4) }`, nil)
	if err != nil || string(resp.Data) != `{"increment":true}` {
		t.Fatalf("increment = %s, %v", resp.Data, err)
	}
	if len(ops) != 1 || sdk.FromJSON[counter.Operation](ops[0]).Increment != 4 {
		t.Errorf("scheduled %q, want one increment of 4", ops)
	}
	resp, ops, _ = a.GraphQL(id, `mutation($n: U64!) { increment(value: $n) }`, map[string]any{"n": "12"})
	if len(ops) != 1 || string(ops[0]) != `{"increment":12}` {
		t.Errorf("increment with a variable scheduled %q (%v)", ops, resp.Err())
	}
	for _, q := range []string{`{ nope }`, `mutation { increment(value: -1) }`} {
		resp, ops, err := a.GraphQL(id, q, nil)
		if err != nil || resp.Err() == nil || len(ops) != 0 {
			t.Errorf("%s = %v, %q, %v; want a GraphQL error and no operation", q, resp.Err(), ops, err)
		}
	}
	out, _, err := a.Query(id, []byte("not json"))
	if err != nil || string(out) == "" {
		t.Errorf("malformed request = %q, %v; want an error response", out, err)
	}
}

// BenchmarkQuery measures one GraphQL query natively, the figure recorded
// in docs/sdk.md.
func BenchmarkQuery(b *testing.B) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	id, err := a.CreateApplication(net.Publish(nil, Service), nil, nil, sdktest.Owner("alice"))
	if err != nil {
		b.Fatal(err)
	}
	counter.Value(a.Store(id)).Set(8)
	req := []byte(`{"query":"query { value }"}`)
	for b.Loop() {
		if _, _, err := a.Query(id, req); err != nil {
			b.Fatal(err)
		}
	}
}
