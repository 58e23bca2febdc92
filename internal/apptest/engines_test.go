package apptest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	wasmrt "github.com/myriadchain/myriad/runtime"
)

// TestEnginesAgreeOnRandomWorkload runs the same seeded random sequence of
// application operations on two networks, one whose validators and
// wallets use wazero's compiler, one its interpreter (as the browser
// wallet does), and requires every block to execute to the same outcome:
// messages, results, fuel and state hash.
func TestEnginesAgreeOnRandomWorkload(t *testing.T) {
	counterC, counterS := appstest.Build(t, "counter")
	fungC, fungS := appstest.Build(t, "fungible")
	type side struct {
		net     *testnet.Network
		w1, w2  *client.Client
		counter ids.ApplicationID
		token   ids.ApplicationID
	}
	setup := func(interpreter bool) *side {
		vm, err := wasmrt.New(wasmrt.Config{Interpreter: interpreter})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { vm.Close() })
		p := committee.NoFees()
		p.MaxFuelPerBlock = fuelCap
		net := testnet.New(testnet.Config{Validators: 4, Seed: 11, VM: vm, Policy: p,
			Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100)}})
		s := &side{net: net, w1: net.Wallet(1), w2: net.Wallet(2)}
		s.counter = create(t, s.w1, counterC, counterS, "", "1")
		s.token = create(t, s.w1, fungC, fungS, `{"ticker":"DET"}`, fmt.Sprintf(`{"accounts":{"%s":"1000"}}`, s.w1.Key.Owner()))
		return s
	}
	sides := []*side{setup(false), setup(true)}
	if sides[0].counter != sides[1].counter || sides[0].token != sides[1].token {
		t.Fatal("the two networks created different application ids")
	}
	rng := rand.New(rand.NewPCG(42, 42))
	steps := 12
	if testing.Short() {
		steps = 4
	}
	ctx := context.Background()
	for i := range steps {
		var ops []block.Operation
		onSecond := false
		switch rng.IntN(4) {
		case 0:
			ops = append(ops, block.Operation{App: sides[0].counter, Bytes: fmt.Appendf(nil, `{"increment":%d}`, rng.IntN(1000))})
		case 1:
			o2 := sides[0].w2.Key.Owner()
			ops = append(ops, block.Operation{App: sides[0].token, Bytes: fmt.Appendf(nil,
				`{"transfer":{"owner":"%s","amount":"%d.%d","target":{"chain":"%s","owner":"%s"}}}`,
				sides[0].w1.Key.Owner(), 1+rng.IntN(5), rng.IntN(10), sides[0].w2.Chain, o2)})
		case 2:
			for range 1 + rng.IntN(3) {
				ops = append(ops, block.Operation{App: sides[0].counter, Bytes: []byte(`{"increment":1}`)})
			}
		case 3:
			onSecond = true
		}
		var hashes []ids.Hash
		var fuel []uint64
		for _, s := range sides {
			var cert *block.Certificate
			var err error
			if onSecond {
				if err := s.net.Deliver(ctx); err != nil {
					t.Fatal(err)
				}
				cert, err = s.w2.ProcessInbox(ctx)
				if cert == nil && err == nil {
					cert, err = s.w2.Execute(ctx, block.Operation{App: s.counter, Bytes: []byte(`{"increment":7}`)})
				}
			} else {
				cert, err = s.w1.Execute(ctx, ops...)
			}
			if err != nil {
				t.Fatalf("step %d: %q", i, err.Error())
			}
			hashes = append(hashes, cert.Value.Block.Hash())
			fuel = append(fuel, cert.Value.Block.Outcome.Fuel)
			s.net.Advance(1000)
		}
		if hashes[0] != hashes[1] {
			t.Fatalf("step %d: compiler block %s (fuel %d), interpreter block %s (fuel %d)",
				i, hashes[0].Short(), fuel[0], hashes[1].Short(), fuel[1])
		}
		if fuel[0] == 0 {
			t.Fatalf("step %d used no fuel", i)
		}
	}
}
