package wallet_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
)

// netFaucet opens chains from root chain 3 of the harness network, and
// remembers them per owner (a wallet.ChainFinder).
type netFaucet struct {
	h      *harness
	w      *wallet.Wallet
	opened map[ids.Owner][]ids.Description
	claims int   // claims answered with a chain
	refuse error // if set, claims fail with it
	down   bool  // if set, Chains fails
}

func newNetFaucet(h *harness) *netFaucet {
	w := h.wallet(new(wallet.MemFile), kv.NewMemory())
	h.own(w, 3)
	return &netFaucet{h: h, w: w, opened: map[ids.Owner][]ids.Description{}}
}

func (f *netFaucet) Genesis(context.Context) (*chain.Genesis, error) { return f.h.net.Genesis, nil }

func (f *netFaucet) Claim(ctx context.Context, owner ids.Owner) (ids.Description, error) {
	if f.refuse != nil {
		return ids.Description{}, f.refuse
	}
	c, _, err := f.w.OpenChain(ctx, f.h.net.Genesis.ChainID(3), single(owner), tokens("10"))
	if err == nil {
		f.claims++
		f.opened[owner] = append(f.opened[owner], c.Description.Description)
	}
	return c.Description.Description, err
}

func (f *netFaucet) Chains(_ context.Context, owner ids.Owner) ([]ids.Description, error) {
	if f.down {
		return nil, errors.New("faucet unreachable")
	}
	return f.opened[owner], nil
}

func TestRequestChain(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, false)
	f := newNetFaucet(h)
	w := h.wallet(new(wallet.MemFile), kv.NewMemory())
	c, err := w.RequestChain(ctx, f)
	if err != nil {
		t.Fatalf("RequestChain: %v", err)
	}
	if d, _ := w.Default(); d != c.ID || c.Owner.IsZero() {
		t.Errorf("RequestChain gave %+v, default %s; want an owned default chain", c, d.Short())
	}
	wantBalance(t, w, c.ID, "10")
	if _, err := w.ProcessInbox(ctx, c.ID); err != nil {
		t.Fatalf("process inbox of the new chain: %v", err)
	}
	if _, err := w.Transfer(ctx, ids.Account{Chain: c.ID}, ids.Account{Chain: h.net.Genesis.ChainID(1)}, tokens("2.5")); err != nil {
		t.Fatalf("transfer from the new chain: %v", err)
	}
	wantBalance(t, w, c.ID, "7.5")
}

func TestGraphQLFaucet(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("under js the client is fetch, which cannot reach an httptest server: faucet_js_test.go stubs fetch")
	}
	h := newHarness(t, false)
	genesis, _ := wallet.MarshalGenesis(h.net.Genesis)
	parent := h.net.Genesis.ChainID(3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Query string }
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		switch {
		case req.Query == "query { genesisConfig }":
			json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"genesisConfig": json.RawMessage(genesis)}})
		case strings.HasPrefix(req.Query, `mutation { claim(owner: "00`):
			io.WriteString(w, `{"data": null, "errors": [{"message": "rate limited: try again in 60 s"}]}`)
		case strings.HasPrefix(req.Query, "mutation { claim(owner: "):
			json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"claim": map[string]any{
				"parent": parent.String(), "height": 4, "index": 1}}})
		default:
			io.WriteString(w, `{"errors": [{"message": "unknown query"}]}`)
		}
	}))
	defer srv.Close()
	f := &wallet.GraphQLFaucet{URL: srv.URL}
	ctx := context.Background()
	g, err := f.Genesis(ctx)
	if err != nil || g.Admin() != h.net.Genesis.Admin() || g.Committee.Quorum() != 3 {
		t.Errorf("Genesis() = %v, %v; want the network's genesis", g, err)
	}
	d, err := f.Claim(ctx, h.net.Key(1).Owner())
	if want := ids.ChildDescription(parent, 4, 1); err != nil || d != want {
		t.Errorf("Claim() = %v, %v; want %v", d, err, want)
	}
	if _, err := f.Claim(ctx, ids.Owner{}); !errors.Is(err, wallet.ErrFaucet) || !strings.Contains(err.Error(), "rate limited") {
		t.Errorf("refused Claim() = %v, want ErrFaucet with the faucet's message", err)
	}
	f.URL = srv.URL + "/nowhere"
	srv.Close()
	if _, err := f.Genesis(ctx); err == nil {
		t.Errorf("Genesis() from a closed server succeeded")
	}
}

func TestParseGenesisFile(t *testing.T) {
	b := []byte(`{"committee": {"validators": [{"public_key": "` + strings.Repeat("ab", 32) + `", "weight": 1, "address": "127.0.0.1:1"}], "policy": "no-fees"},
		"chains": [{"owner": "` + strings.Repeat("cd", 32) + `", "balance": "10"}], "timestamp": 5}`)
	g, err := wallet.ParseGenesisFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Chains) != 1 || g.Committee.Quorum() != 1 {
		t.Fatalf("genesis = %+v", g)
	}
	if _, err := wallet.ParseGenesisFile([]byte(`{"committee": {}}`)); err == nil {
		t.Fatal("an empty committee was accepted")
	}
}
