package main

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/apps/counter"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestCounter(t *testing.T) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	alice := sdktest.Owner("alice")
	id, err := a.CreateApplication(net.Publish(Counter{}, nil), nil, []byte("5"), alice)
	if err != nil {
		t.Fatal(err)
	}
	out, err := a.Operation(id, alice, []byte(`{"increment":3}`))
	if err != nil || string(out) != "8" {
		t.Fatalf("increment 3 = %q, %v; want 8", out, err)
	}
	if got := counter.Value(a.Store(id)).Get(); got != 8 {
		t.Errorf("value = %d, want 8", got)
	}
	// Refusals leave the state as it was.
	for _, op := range []string{`{"increment":-1}`, `{"incr":1}`, `nonsense`, `{"increment":18446744073709551615}`} {
		if _, err := a.Operation(id, alice, []byte(op)); !errors.Is(err, app.ErrAborted) {
			t.Errorf("operation %s: err = %v, want an abort", op, err)
		}
	}
	if got := counter.Value(a.Store(id)).Get(); got != 8 {
		t.Errorf("value after refusals = %d, want 8", got)
	}
}

func TestCounterEmptyArgument(t *testing.T) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	id, err := a.CreateApplication(net.Publish(Counter{}, nil), nil, nil, sdktest.Owner("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Value(a.Store(id)).Get(); got != 0 {
		t.Errorf("value = %d, want 0", got)
	}
	if _, err := a.CreateApplication(net.Publish(Counter{}, nil), nil, []byte(`"x"`), sdktest.Owner("alice")); err == nil {
		t.Error("instantiate with a string: no error, want one")
	}
}
