package apptest

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	wasmrt "github.com/myriadchain/myriad/runtime"
)

// fuelCap keeps a runaway operation's block short in tests.
const fuelCap = 200_000_000

func newNet(t *testing.T) *testnet.Network {
	t.Helper()
	vm, err := wasmrt.New(wasmrt.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	p := committee.NoFees()
	p.MaxFuelPerBlock = fuelCap
	return testnet.New(testnet.Config{Validators: 4, Seed: 7, VM: vm, Policy: p,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100)}})
}

func mustExec(t *testing.T, c *client.Client, ops ...block.Operation) *block.Certificate {
	t.Helper()
	cert, err := c.Execute(context.Background(), ops...)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// create publishes a module from c's chain and creates an application.
func create(t *testing.T, c *client.Client, contract, service []byte, params, arg string) ids.ApplicationID {
	t.Helper()
	ctx := context.Background()
	cb, sb := app.Blob{Kind: app.BlobContract, Bytes: contract}, app.Blob{Kind: app.BlobService, Bytes: service}
	if _, err := c.PublishBlobs(ctx, []app.Blob{cb, sb}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	req := app.CreateRequest{Module: app.ModuleID{Contract: cb.ID(), Service: sb.ID()}}
	if params != "" {
		req.Parameters = []byte(params)
	}
	if arg != "" {
		req.Argument = []byte(arg)
	}
	cert := mustExec(t, c, system.CreateApplication(req))
	var id ids.ApplicationID
	copy(id[:], cert.Value.Block.Outcome.Results[0])
	return id
}

func query(t *testing.T, c *client.Client, a ids.ApplicationID, q string) (map[string]any, [][]byte) {
	t.Helper()
	s := c.Local.OpenState(context.Background(), c.Chain)
	body, _ := json.Marshal(map[string]string{"query": q})
	res, err := s.Query(a, body, 2_000_000)
	if err != nil {
		t.Fatalf("query %s: %v", q, err)
	}
	var out map[string]any
	if err := json.Unmarshal(res.Response, &out); err != nil {
		t.Fatalf("query %s: %s: %v", q, res.Response, err)
	}
	return out, res.Operations
}

func TestCounterOnCommittee(t *testing.T) {
	net := newNet(t)
	contract, service := appstest.Build(t, "counter")
	w := net.Wallet(1)
	a := create(t, w, contract, service, "", "40")
	got, _ := query(t, w, a, "query { value }")
	if v := got["data"].(map[string]any)["value"]; v != 40.0 {
		t.Fatalf("value after instantiate = %v", got)
	}
	_, ops := query(t, w, a, "mutation { increment(value: 2) }")
	if len(ops) != 1 {
		t.Fatalf("the mutation scheduled %d operations", len(ops))
	}
	cert := mustExec(t, w, block.Operation{App: a, Bytes: ops[0]})
	if r := string(cert.Value.Block.Outcome.Results[0]); r != "42" {
		t.Errorf("operation result %q, want 42", r)
	}
	got, _ = query(t, w, a, "query { value }")
	if v := got["data"].(map[string]any)["value"]; v != 42.0 {
		t.Fatalf("value after increment = %v", got)
	}
	// Another chain meets the application through an operation: it loads
	// the description and bytecode from the blobs and starts with a fresh
	// state (instantiation ran only on the creator chain).
	w2 := net.Wallet(2)
	mustExec(t, w2, block.Operation{App: a, Bytes: []byte(`{"increment":5}`)})
	got, _ = query(t, w2, a, "query { value }")
	if v := got["data"].(map[string]any)["value"]; v != 5.0 {
		t.Fatalf("value on the second chain = %v", got)
	}
	// Every validator holds the same state as the wallets.
	for _, v := range net.Validators {
		s := chain.Open(context.Background(), v.Store, w.Chain)
		if s.Tip().StateHash != w.Local.OpenState(context.Background(), w.Chain).Tip().StateHash {
			t.Errorf("validator %d has another state hash", v.Index())
		}
	}
}

// runawayGuest builds the runtime's raw-ABI test contract, whose
// operation 'l' loops forever.
func runawayGuest(t *testing.T) []byte {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	out := filepath.Join(t.TempDir(), "guest.wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", out, "../../runtime/testdata/guest")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build guest: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOutOfFuelOnEveryValidator(t *testing.T) {
	net := newNet(t)
	_, service := appstest.Build(t, "counter")
	w := net.Wallet(1)
	a := create(t, w, runawayGuest(t), service, "", "")
	ctx := context.Background()
	loop := block.Operation{App: a, Bytes: binary.BigEndian.AppendUint64([]byte{'l'}, 0)}

	// The wallet's own execution stops it first.
	if _, err := w.Execute(ctx, loop); !errors.Is(err, app.ErrOutOfFuel) {
		t.Fatalf("wallet: %v, want out of fuel", err)
	}
	// Proposed anyway, every validator refuses it the same way, within
	// the policy's fuel cap.
	tip := w.Local.OpenState(ctx, w.Chain).Tip()
	b := block.Block{Chain: w.Chain, Height: tip.NextHeight, Previous: tip.Hash, Timestamp: net.Clock,
		Signer: w.Key.Owner(), Transactions: []block.Transaction{{Operation: &loop}}}
	p := block.NewProposal(b, block.Round{Kind: block.MultiLeader}, w.Key, nil)
	for _, v := range net.Validators {
		if _, err := v.HandleProposal(ctx, p); !errors.Is(err, app.ErrOutOfFuel) {
			t.Errorf("validator %d: %v, want out of fuel", v.Index(), err)
		}
	}
	// The chain goes on.
	cert := mustExec(t, w, block.Operation{App: a, Bytes: binary.BigEndian.AppendUint64([]byte{'i'}, 3)})
	if cert.Value.Height() != tip.NextHeight {
		t.Errorf("next block at height %d, want %d", cert.Value.Height(), tip.NextHeight)
	}
}

func TestDataBlob(t *testing.T) {
	net := newNet(t)
	_, service := appstest.Build(t, "counter")
	w := net.Wallet(1)
	a := create(t, w, runawayGuest(t), service, "", "")
	ctx := context.Background()
	data := app.Blob{Kind: app.BlobData, Bytes: []byte("a published document")}
	if _, err := w.PublishBlobs(ctx, []app.Blob{data}); err != nil {
		t.Fatal(err)
	}
	id := data.ID()
	cert := mustExec(t, w, block.Operation{App: a, Bytes: append([]byte{'d'}, id[:]...)})
	if got := string(cert.Value.Block.Outcome.Results[0]); got != string(data.Bytes) {
		t.Fatalf("the contract read %q", got)
	}
	// A blob nobody published cannot be read: the block fails everywhere.
	missing := app.Blob{Kind: app.BlobData, Bytes: []byte("never published")}.ID()
	if _, err := w.Execute(ctx, block.Operation{App: a, Bytes: append([]byte{'d'}, missing[:]...)}); !errors.Is(err, app.ErrBlobsNotFound) {
		t.Fatalf("reading an unknown blob: %v", err)
	}
}
