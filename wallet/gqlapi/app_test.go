package gqlapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
)

// adder is an app.VM that runs one application in Go, without Wasm: a
// number, set at instantiation and increased by operations. Its service
// answers any query with {"data":{"value":N}} and a request whose query
// starts with "mutation" by scheduling the operation variables.n.
type adder struct{}

func (adder) Check(app.BlobKind, []byte) error { return nil }

func (adder) Contract(run *app.Run, host app.ContractHost) ([]byte, error) {
	v := run.Input
	if run.Entry == app.EntryOperation {
		old, err := read(host)
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseUint(string(run.Input), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("adder: operation %q: %w", run.Input, err)
		}
		v = strconv.AppendUint(nil, old+n, 10)
	}
	return v, host.Write([]byte("v"), v)
}

func (adder) Service(run *app.Run, host app.ServiceHost) ([]byte, error) {
	var req struct {
		Query     string
		Variables struct{ N string }
	}
	if err := json.Unmarshal(run.Input, &req); err != nil {
		return nil, fmt.Errorf("adder: %w", err)
	}
	if strings.HasPrefix(req.Query, "mutation") {
		return []byte(`{"data":true}`), host.Schedule([]byte(req.Variables.N))
	}
	v, err := read(host)
	return fmt.Appendf(nil, `{"data":{"value":%d}}`, v), err
}

func read(host app.ServiceHost) (uint64, error) {
	b, _, err := host.Read([]byte("v"))
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(b), 10, 64)
}

// TestApplication answers an application's own GraphQL: a query with its
// service's response, a mutation with the hash of the block the scheduled
// operation went into.
// createAdder publishes the adder and creates an application of it on
// alice's chain, starting at 40.
func (f *fixture) createAdder(ctx context.Context) ids.ApplicationID {
	f.t.Helper()
	var a ids.ApplicationID
	err := f.api.WithWallet(func(w *wallet.Wallet) error {
		m, _, err := w.PublishModule(ctx, f.alice, []byte("contract"), []byte("service"))
		if err != nil {
			return err
		}
		a, _, err = w.CreateApplication(ctx, f.alice, app.CreateRequest{Module: m, Argument: []byte("40")})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// appValue answers the adder's value query on alice's chain.
func (f *fixture) appValue(ctx context.Context, a ids.ApplicationID) string {
	f.t.Helper()
	res, err := f.api.ExecApplication(ctx, f.alice.String(), a.String(), []byte(`{"query": "{ value }"}`))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(res)
}

func TestApplication(t *testing.T) {
	f := newFixture(t, adder{})
	ctx := context.Background()
	a := f.createAdder(ctx)
	d := f.must(`{ chain(chainId: "%s") { applications { id module creatorChain link } } }`, f.alice)
	if link := fmt.Sprintf("/chains/%s/applications/%s", f.alice, a); str(d, "chain", "applications", 0, "id") != a.String() ||
		str(d, "chain", "applications", 0, "link") != link || str(d, "chain", "applications", 0, "creatorChain") != f.alice.String() {
		t.Errorf("applications = %v, want %s at %s", at(d, "chain", "applications"), a, link)
	}
	value := func() string { return f.appValue(ctx, a) }
	if got := value(); got != `{"data":{"value":40}}` {
		t.Errorf("query = %s, want the value 40", got)
	}
	res, err := f.api.ExecApplication(ctx, f.alice.String(), a.String(),
		[]byte(`{"query": "mutation($n: U64!) { increment(value: $n) }", "variables": {"n": "3"}}`))
	var v struct{ Data string }
	if err != nil || json.Unmarshal(res, &v) != nil || len(v.Data) != 64 {
		t.Fatalf("mutation = %s, %v; want {\"data\": BLOCK_HASH}", res, err)
	}
	if d := f.must(`{ block(hash: "%s") { chainId operations } }`, v.Data); num(d, "block", "operations") != 1 {
		t.Errorf("the mutation's block: %v", d)
	}
	if got := value(); got != `{"data":{"value":43}}` {
		t.Errorf("query after the mutation = %s, want the value 43", got)
	}
	// A failing operation makes no block.
	_, err = f.api.ExecApplication(ctx, f.alice.String(), a.String(), []byte(`{"query": "mutation", "variables": {"n": "x"}}`))
	if err == nil || !strings.Contains(err.Error(), "execute operations of application") {
		t.Errorf("failing mutation: %v, want an error", err)
	}
	if got := value(); got != `{"data":{"value":43}}` {
		t.Errorf("query after the failed mutation = %s, want the value 43", got)
	}
}
