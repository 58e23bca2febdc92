package faucet_test

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

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/wallet"
)

// server serves a fixture's faucet over HTTP on 127.0.0.1.
func (f *fixture) server() *httptest.Server {
	f.t.Helper()
	g, err := wallet.MarshalGenesis(f.net.Genesis)
	if err != nil {
		f.t.Fatal(err)
	}
	h, err := faucet.NewHandler(faucet.HandlerConfig{Claimer: f.svc, GenesisJSON: g, Version: "v0.0.0-test"})
	if err != nil {
		f.t.Fatalf("NewHandler: %v", err)
	}
	srv := httptest.NewServer(h)
	f.t.Cleanup(srv.Close)
	return srv
}

type gqlAnswer struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends a GraphQL query and decodes the answer.
func post(t *testing.T, url, query string) (*http.Response, gqlAnswer) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	return postRaw(t, url, body)
}

func postRaw(t *testing.T, url string, body []byte) (*http.Response, gqlAnswer) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "chrome-extension://abcdefghijklmnop")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("POST %s: answer is not JSON: %v", url, err)
	}
	return resp, a
}

// TestWalletClient drives the faucet through the wallet's own client
// (wallet.GraphQLFaucet), which is what `myriad wallet init --faucet` uses.
func TestWalletClient(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	srv := f.server()
	client := &wallet.GraphQLFaucet{URL: srv.URL}
	ctx := context.Background()
	g, err := client.Genesis(ctx)
	if err != nil {
		t.Fatalf("Genesis: %v", err)
	}
	if g.Admin() != f.net.Genesis.Admin() || len(g.Chains) != len(f.net.Genesis.Chains) {
		t.Errorf("Genesis from the faucet differs from the network's")
	}
	k := f.net.NewKey()
	d, err := client.Claim(ctx, k.Owner())
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if d.IsRoot || d.Parent != f.faucetChain() {
		t.Fatalf("Claim = %v, want a child of the faucet chain", d)
	}
	f.deliver()
	f.child(faucet.ClaimResult{Chain: d.ID()}, k)
	if got, err := client.Chains(ctx, k.Owner()); err != nil || len(got) != 1 || got[0] != d {
		t.Errorf("Chains = %v, %v; want [%v]", got, err, d)
	}
	if got, err := client.Chains(ctx, f.net.NewKey().Owner()); err != nil || len(got) != 0 {
		t.Errorf("Chains of an owner never served = %v, %v; want none", got, err)
	}

	_, err = client.Claim(ctx, k.Owner())
	if !strings.Contains(fmt.Sprint(err), "already claimed") {
		t.Errorf("second Claim = %v, want a refusal that says the owner already claimed", err)
	}
}

func TestGraphQL(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	srv := f.server()
	o := f.net.NewKey().Owner()

	resp, a := post(t, srv.URL, fmt.Sprintf(`mutation { claimChain(owner: %q) { chainId description { parent height index } certificateHash height } }`, o))
	if len(a.Errors) > 0 {
		t.Fatalf("claimChain: %+v", a.Errors)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("POST answer Access-Control-Allow-Origin = %q, want *", got)
	}
	var c struct {
		ChainID     ids.ChainID `json:"chainId"`
		Description struct {
			Parent ids.ChainID `json:"parent"`
			Height uint64      `json:"height"`
			Index  uint32      `json:"index"`
		} `json:"description"`
		CertificateHash ids.Hash `json:"certificateHash"`
		Height          uint64   `json:"height"`
	}
	if err := json.Unmarshal(a.Data["claimChain"], &c); err != nil {
		t.Fatalf("claimChain answer %s: %v", a.Data["claimChain"], err)
	}
	res := faucet.ClaimResult{Chain: c.ChainID, Height: c.Height, Certificate: c.CertificateHash,
		Description: ids.ChildDescription(c.Description.Parent, c.Description.Height, c.Description.Index)}
	f.checkResult(res)

	_, a = post(t, srv.URL, fmt.Sprintf(`{ mine: chains(owner: %q) { chainId description { parent height index } } none: chains(owner: %q) { chainId } }`,
		o, f.net.NewKey().Owner()))
	var mine, none []struct {
		ChainID     ids.ChainID `json:"chainId"`
		Description struct {
			Parent ids.ChainID `json:"parent"`
			Height uint64      `json:"height"`
			Index  uint32      `json:"index"`
		} `json:"description"`
	}
	if err := json.Unmarshal(a.Data["mine"], &mine); err != nil || len(a.Errors) > 0 {
		t.Fatalf("chains: answer %s, errors %+v: %v", a.Data["mine"], a.Errors, err)
	}
	if err := json.Unmarshal(a.Data["none"], &none); err != nil || none == nil || len(none) != 0 {
		t.Errorf("chains of an owner never served = %s, want []", a.Data["none"])
	}
	if len(mine) != 1 || mine[0].ChainID != c.ChainID || mine[0].Description != c.Description {
		t.Errorf("chains(owner) = %+v, want [%s from %+v]", mine, c.ChainID, c.Description)
	}

	_, a = post(t, srv.URL, `{ version genesisConfig }`)
	var version, genesis string
	json.Unmarshal(a.Data["version"], &version)
	json.Unmarshal(a.Data["genesisConfig"], &genesis)
	if version != "v0.0.0-test" || !json.Valid([]byte(genesis)) {
		t.Errorf("version = %q, genesisConfig = %.60q…; want v0.0.0-test and a JSON document", version, genesis)
	}
}

func TestGraphQLErrors(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000),
		opts: faucet.Options{RateLimit: faucet.RateLimit{Every: time.Hour, Burst: 1}}})
	srv := f.server()
	tests := []struct {
		name, query string
		code        string // the error's extensions.code; "" for a query error
	}{
		{"syntax", `mutation { claim(owner: `, ""},
		{"unknown field", `{ nothing }`, ""},
		{"no selection", `mutation { claimChain(owner: "00") }`, ""},
		{"empty", ``, ""},
		{"bad owner", `mutation { claim(owner: "not hex") }`, "INVALID_OWNER"},
		{"zero owner", fmt.Sprintf(`mutation { claim(owner: %q) }`, ids.Owner{}), "INVALID_OWNER"},
		{"chains of a bad owner", `{ chains(owner: "not hex") { chainId } }`, "INVALID_OWNER"},
		{"first claim", fmt.Sprintf(`mutation { claim(owner: %q) }`, f.net.NewKey().Owner()), "ok"},
		{"rate limited", fmt.Sprintf(`mutation { claim(owner: %q) }`, f.net.NewKey().Owner()), "RATE_LIMITED"},
	}
	for _, tt := range tests {
		resp, a := post(t, srv.URL, tt.query)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", tt.name, resp.StatusCode)
		}
		if tt.code == "ok" {
			if len(a.Errors) > 0 {
				t.Errorf("%s: errors %+v", tt.name, a.Errors)
			}
			continue
		}
		if len(a.Errors) == 0 || a.Errors[0].Message == "" {
			t.Errorf("%s: answer %+v has no error", tt.name, a)
			continue
		}
		if got, _ := a.Errors[0].Extensions["code"].(string); got != tt.code {
			t.Errorf("%s: error %+v has code %q, want %q", tt.name, a.Errors[0], got, tt.code)
		}
	}
	_, a := post(t, srv.URL, fmt.Sprintf(`mutation { claim(owner: %q) }`, f.net.NewKey().Owner()))
	if len(a.Errors) == 0 || a.Errors[0].Extensions["retryAfterSeconds"] != float64(3600) {
		t.Errorf("rate-limited answer %+v, want retryAfterSeconds 3600", a.Errors)
	}

	resp, a := postRaw(t, srv.URL, []byte(`{"query": `))
	if resp.StatusCode != http.StatusBadRequest || len(a.Errors) == 0 {
		t.Errorf("truncated JSON body: status %d, answer %+v; want 400 with an error", resp.StatusCode, a)
	}
	resp, a = postRaw(t, srv.URL, bytes.Repeat([]byte(" "), 1<<20))
	if resp.StatusCode != http.StatusBadRequest || len(a.Errors) == 0 {
		t.Errorf("oversized body: status %d, answer %+v; want 400 with an error", resp.StatusCode, a)
	}
	// The server still works.
	if _, a := post(t, srv.URL, `{ version }`); len(a.Errors) > 0 {
		t.Errorf("version after bad requests: %+v", a.Errors)
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, setup{balance: amount.Tokens(1000)})
	srv := f.server()
	req, _ := http.NewRequest(http.MethodOptions, srv.URL, nil)
	req.Header.Set("Origin", "chrome-extension://abcdefghijklmnop")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Headers": "content-type",
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("preflight status %d, want 204", resp.StatusCode)
	}
	for h, v := range want {
		if got := resp.Header.Get(h); got != v {
			t.Errorf("preflight %s = %q, want %q", h, got, v)
		}
	}
	if got := resp.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "POST") {
		t.Errorf("preflight Access-Control-Allow-Methods = %q, want POST among them", got)
	}

	for method, status := range map[string]int{http.MethodGet: 200, http.MethodPut: 405} {
		req, _ := http.NewRequest(method, srv.URL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: status %d, CORS %q; want %d, *", method, resp.StatusCode,
				resp.Header.Get("Access-Control-Allow-Origin"), status)
		}
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.1:5555", "192.0.2.1"},
		{"192.0.2.1", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"@", "@"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := faucet.AddressKey(tt.in); got != tt.want {
			t.Errorf("AddressKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
