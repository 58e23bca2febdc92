package nodeservice

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

type dialer struct{ net *testnet.Network }

func (d dialer) Dial(_ context.Context, v committee.Validator) (client.Node, error) {
	for _, val := range d.net.Validators {
		if val.PublicKey() == v.PublicKey {
			return val, nil
		}
	}
	return nil, fmt.Errorf("no validator %s", v.Address)
}

// newService serves a wallet that owns root chain 1 of an in-process
// network.
func newService(t *testing.T) (*Service, *testnet.Network, ids.ChainID) {
	t.Helper()
	ctx := context.Background()
	net := testnet.New(testnet.Config{Validators: 4, Seed: 3,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(5)}})
	w, err := wallet.Create(ctx, wallet.Config{File: &wallet.MemFile{}, Store: kv.NewMemory(), Dialer: dialer{net},
		Now: func() uint64 { return net.Clock }}, net.Genesis, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.AddKey(net.Key(1)); err != nil {
		t.Fatal(err)
	}
	id := net.Genesis.ChainID(1)
	d := ids.RootDescription(1)
	if _, err := w.Follow(ctx, id, &d); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Wallet: w, AllowOrigins: []string{"https://dapp.example"}})
	if err != nil {
		t.Fatal(err)
	}
	return s, net, id
}

func gql(t *testing.T, h http.Handler, origin, query string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	var v map[string]any
	json.Unmarshal(rec.Body.Bytes(), &v) //nolint:errcheck // some answers are not JSON
	return rec, v
}

func TestSystemSchemaAndOrigins(t *testing.T) {
	s, net, id := newService(t)
	h := s.Handler()
	_, v := gql(t, h, "", "{ chains { id height balance } }")
	chains := v["data"].(map[string]any)["chains"].([]any)
	if len(chains) != 1 || chains[0].(map[string]any)["id"] != id.String() || chains[0].(map[string]any)["balance"] != "100" {
		t.Fatalf("chains = %v", v)
	}
	to := net.Genesis.ChainID(2)
	_, v = gql(t, h, "", fmt.Sprintf(`mutation { transfer(chainId: "%s", recipient: "%s", amount: "7") }`, id, to))
	if hash, _ := v["data"].(map[string]any)["transfer"].(string); len(hash) != 64 {
		t.Fatalf("transfer = %v", v)
	}
	_, v = gql(t, h, "", fmt.Sprintf(`{ chain(chainId: "%s") { balance height } }`, id))
	if c := v["data"].(map[string]any)["chain"].(map[string]any); c["balance"] != "93" || c["height"] != 1.0 {
		t.Fatalf("after the transfer: %v", v)
	}
	// Pages of other origins never reach the wallet; allowed ones get CORS.
	rec, _ := gql(t, h, "https://evil.example", "{ chains { id } }")
	if rec.Code != http.StatusForbidden {
		t.Errorf("a foreign origin got %d", rec.Code)
	}
	rec, _ = gql(t, h, "https://dapp.example", "{ chains { id } }")
	if rec.Code != http.StatusOK || rec.Header().Get("Access-Control-Allow-Origin") != "https://dapp.example" {
		t.Errorf("an allowed origin got %d, CORS %q", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
	// The service's own GraphiQL page is same-origin; a name rebound to
	// the loopback address is not.
	for host, want := range map[string]int{"127.0.0.1:8081": http.StatusOK, "evil.example:8081": http.StatusForbidden} {
		body, _ := json.Marshal(map[string]string{"query": "{ chains { id } }"})
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Host = host
		r.Header.Set("Origin", "http://"+host)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("page of http://%s: %d, want %d", host, rec.Code, want)
		}
	}
	// Bad input gets a clear error.
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{not json"))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, r)
	if rr.Code != http.StatusBadRequest {
		t.Errorf("malformed body: %d", rr.Code)
	}
	r = httptest.NewRequest(http.MethodPost, "/chains/zz/applications/00", strings.NewReader(`{"query":"{ x }"}`))
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, r)
	if rr.Code != http.StatusBadRequest || !strings.Contains(rr.Body.String(), "chain id") {
		t.Errorf("bad chain id: %d %s", rr.Code, rr.Body.String())
	}
}

func TestNotificationSubscription(t *testing.T) {
	s, net, id := newService(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/ws",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send := func(m wsMessage) {
		if err := wsjson.Write(ctx, c, m); err != nil {
			t.Fatal(err)
		}
	}
	read := func() wsMessage {
		var m wsMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	send(wsMessage{Type: "connection_init"})
	if m := read(); m.Type != "connection_ack" {
		t.Fatalf("got %+v", m)
	}
	q, _ := json.Marshal(map[string]string{"query": "subscription { notifications { chainId kind height } }"})
	send(wsMessage{ID: "1", Type: "subscribe", Payload: q})
	// Transfer until the subscription is registered and announces a block.
	got := make(chan wsMessage, 1)
	go func() {
		var m wsMessage
		wsjson.Read(ctx, c, &m) //nolint:errcheck // a failed read sends an empty message
		got <- m
	}()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	transfer := fmt.Sprintf(`mutation { transfer(chainId: "%s", recipient: "%s", amount: "1") }`, id, net.Genesis.ChainID(2))
	for {
		if _, v := gql(t, s.Handler(), "", transfer); v["errors"] != nil {
			t.Fatalf("transfer: %v", v)
		}
		select {
		case m := <-got:
			if m.Type != "next" || m.ID != "1" || !strings.Contains(string(m.Payload), `"kind":"NEW_BLOCK"`) ||
				!strings.Contains(string(m.Payload), id.String()) {
				t.Fatalf("got %+v %s", m, m.Payload)
			}
			return
		case <-ctx.Done():
			t.Fatal("no notification arrived")
		case <-tick.C:
		}
	}
}
