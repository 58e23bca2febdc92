package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/faucet"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
	"github.com/myriadchain/myriad/wallet"
)

// TestCLIOverWebSocket runs the CLI as the binary does (pebble storage,
// the WebSocket transport, the real clock) against four validator servers
// on 127.0.0.1 started from a genesis file written by the validator
// package: two wallets transfer both ways and the balances come out right
// through --json; a third joins through a real faucet.
func TestCLIOverWebSocket(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four validator servers")
	}
	dir := t.TempDir()
	genesis, owners := startValidators(t, dir, 4)
	alice := wireWallet(t, dir, "alice", genesis, owners[1], 1)
	bob := wireWallet(t, dir, "bob", genesis, owners[2], 2)

	alice.ok("transfer", "30", "--to", bob.chain)
	alice.wantBalance("70")
	bob.waitInbox()
	bob.wantBalance("130")
	bob.ok("transfer", "12.5", "--to", alice.chain)
	alice.waitInbox()
	alice.wantBalance("82.5")
	bob.wantBalance("117.5")
	if out := alice.ok("query-validators"); strings.Count(out, "height 2") != 4 {
		t.Errorf("query-validators: want every validator at height 2 of alice's chain:\n%s", out)
	}

	// Carol joins through the faucet (root chain 3): genesis and chain over GraphQL.
	url := startFaucet(t, genesis, owners[3], 3)
	carol := &wireUser{t: t, walletPath: filepath.Join(dir, "carol.json")}
	var init struct {
		Chains []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(carol.ok("--json", "wallet", "init", "--faucet", url, "--with-new-chain")), &init); err != nil || len(init.Chains) != 1 {
		t.Fatalf("wallet init --faucet: %+v, %v", init, err)
	}
	carol.chain = init.Chains[0].ID
	carol.wantBalance("5")
	carol.ok("transfer", "2", "--to", alice.chain)
	carol.wantBalance("3")
	alice.waitInbox()
	alice.wantBalance("84.5")
}

// startFaucet serves a faucet of root chain i on 127.0.0.1, giving 5
// tokens per chain, and returns its URL.
func startFaucet(t *testing.T, genesisPath string, key *keys.PrivateKey, i int) string {
	raw, err := os.ReadFile(genesisPath)
	if err != nil {
		t.Fatal(err)
	}
	g, err := validator.LoadGenesis(genesisPath)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- faucet.Run(ctx, faucet.Config{Listener: ln, Genesis: g, GenesisJSON: raw, Chain: g.ChainID(i),
			Seed: key.Seed(), Options: faucet.Options{Amount: amount.Tokens(5)}})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("faucet: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// startValidators starts n validators and writes the network's genesis
// file: root chain 0 (admin), two chains of 100 tokens and a faucet chain
// of 1000. It returns the
// genesis path and the owner keys of the root chains.
func startValidators(t *testing.T, dir string, n int) (string, []*keys.PrivateKey) {
	rng := rand.New(rand.NewPCG(3, 4))
	newKey := func() *keys.PrivateKey {
		var seed [keys.SeedSize]byte
		for i := range seed {
			seed[i] = byte(rng.Uint32())
		}
		return keys.NewPrivateKey(seed)
	}
	f := &validator.GenesisFile{Committee: validator.GenesisCommittee{Policy: "no-fees"},
		Timestamp: uint64(time.Now().UnixMicro())}
	var lns []net.Listener
	var vkeys []*keys.PrivateKey
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		k := newKey()
		lns, vkeys = append(lns, ln), append(vkeys, k)
		f.Committee.Validators = append(f.Committee.Validators,
			validator.GenesisValidator{PublicKey: k.Public(), Weight: 1, Address: "ws://" + ln.Addr().String()})
	}
	var owners []*keys.PrivateKey
	for _, bal := range []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100), amount.Tokens(1000)} {
		k := newKey()
		owners = append(owners, k)
		f.Chains = append(f.Chains, validator.GenesisChain{Owner: k.Owner(), Balance: bal})
	}
	path := filepath.Join(dir, "genesis.json")
	if err := validator.WriteGenesis(path, f); err != nil {
		t.Fatal(err)
	}
	g, err := validator.LoadGenesis(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		srv, err := validator.New(validator.Config{Store: kv.NewMemory(), Key: vkeys[i], Genesis: g,
			RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(lns[i]) //nolint:errcheck // returns after Close
		t.Cleanup(func() { srv.Close() })
	}
	return path, owners
}

// wireUser is a wallet driven through the CLI.
type wireUser struct {
	t          *testing.T
	walletPath string
	chain      string
}

// wireWallet makes a wallet with the CLI and gives it root chain i's key.
func wireWallet(t *testing.T, dir, name, genesis string, key *keys.PrivateKey, i int) *wireUser {
	u := &wireUser{t: t, walletPath: filepath.Join(dir, name+".json")}
	u.ok("wallet", "init", "--genesis", genesis)
	// The CLI has no key import (keys come from keygen or the faucet):
	// hand the root chain's key to the wallet through the wallet API.
	ctx := context.Background()
	store, err := pebblestore.New(pebblestore.Config{Dir: filepath.Join(dir, name+".db")})
	if err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Open(ctx, wallet.Config{File: wallet.DiskFile(u.walletPath), Store: store, Dialer: wallet.RemoteDialer{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddKey(key); err != nil {
		t.Fatal(err)
	}
	c, err := w.Follow(ctx, w.Genesis().ChainID(i), nil)
	if err != nil {
		t.Fatalf("follow root chain %d over the wire: %v", i, err)
	}
	u.chain = c.ID.String()
	w.Close()
	store.Close()
	return u
}

func (u *wireUser) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	e := systemEnv()
	e.stdout, e.stderr, e.getenv = &out, &errb, func(string) string { return "" }
	code := run(context.Background(), e, append([]string{"--wallet", u.walletPath}, args...))
	return code, out.String(), errb.String()
}

func (u *wireUser) ok(args ...string) string {
	u.t.Helper()
	code, out, errs := u.run(args...)
	if code != 0 {
		u.t.Fatalf("myriad %s = %d:\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (u *wireUser) wantBalance(want string) {
	u.t.Helper()
	var v struct{ Balance string }
	if err := json.Unmarshal([]byte(u.ok("--json", "balance")), &v); err != nil || v.Balance != want {
		u.t.Errorf("balance of %s = %q, %v; want %s", filepath.Base(u.walletPath), v.Balance, err, want)
	}
}

// waitInbox processes the inbox once the validators have delivered
// something to it: delivery between validators runs in the background.
func (u *wireUser) waitInbox() {
	u.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var v struct{ Bundles int }
		if err := json.Unmarshal([]byte(u.ok("--json", "process-inbox")), &v); err == nil && v.Bundles > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	u.t.Fatalf("%s: nothing arrived in the inbox within 10 s", filepath.Base(u.walletPath))
}
