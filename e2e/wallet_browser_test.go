package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/browser"
)

// walletPage is the page the browser tests load: the wallet core through
// its loader, nothing else. window.wallet resolves to the API object.
const walletPage = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Myriad wallet core test page</title>
<script src="wasm_exec.js"></script>
<script type="module">
import { loadWallet } from './wallet.js';
// timing: milliseconds from navigation start until the wallet is loaded
// (wasm fetched, compiled, started), opened (IndexedDB, the document) and
// has answered from its state (the first chain's balance).
// ?engine=wazero runs applications on wazero's interpreter instead of the
// browser's own WebAssembly engine.
window.timing = {};
const engine = new URLSearchParams(location.search).get('engine');
window.wallet = loadWallet({ name: 'e2e', env: engine ? { MYRIAD_WALLET_ENGINE: engine } : {} }).then(async (w) => {
  window.timing.loaded = performance.now();
  const st = await w.status();
  window.timing.opened = performance.now();
  if (st.chains.length > 0) {
    await w.graphql('query ($c: String!) { chain(chainId: $c) { balance } }', { c: st.chains[0].id });
    window.timing.state = performance.now();
  }
  return w;
});
</script>
`

// walletSite builds the browser wallet (build/wallet.sh, as `make wallet`)
// and serves it with walletPage on 127.0.0.1 until the test ends.
func walletSite(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	out, err := exec.Command(filepath.Join(root, "build/wallet.sh"), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("build the wallet: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(walletPage), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l) //nolint:errcheck // closed at cleanup
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String() + "/"
}

func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd) // the e2e folder is at the root
}

// needBrowser skips the test (or fails it in CI) when no browser can run
// here.
func needBrowser(t testing.TB) {
	t.Helper()
	if why := browser.Skip(repoRoot(t)); why != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests cannot run: %s", why)
		}
		t.Skipf("browser tests cannot run: %s", why)
	}
}

// startBrowser starts Chromium on the wallet page.
func startBrowser(t testing.TB, ctx context.Context, site string) *browser.Browser {
	t.Helper()
	root := repoRoot(t)
	b, err := browser.Start(ctx, browser.Config{Root: root, Log: testLog{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Goto(ctx, site); err != nil {
		t.Fatal(err)
	}
	return b
}

// testLog writes the page's console into the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// page runs an async function of (wallet, arg) in the page and decodes
// its result into out.
func page(t testing.TB, ctx context.Context, b *browser.Browser, fn string, arg, out any) {
	t.Helper()
	if err := b.Eval(ctx, fmt.Sprintf(`async (arg) => { const w = await window.wallet; return await (%s)(w, arg); }`, fn), arg, out); err != nil {
		t.Fatal(err)
	}
}

// gqlResult is a GraphQL response.
type gqlResult struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// wgql runs a GraphQL request through the wallet's JavaScript API (as the
// wallet's own page: no origin) and returns its data.
func wgql(t testing.TB, ctx context.Context, b *browser.Browser, query string, vars map[string]any, target ...string) map[string]any {
	t.Helper()
	arg := map[string]any{"query": query, "variables": vars}
	if len(target) == 2 {
		arg["target"] = map[string]string{"chainId": target[0], "applicationId": target[1]}
	}
	var r gqlResult
	page(t, ctx, b, `(w, a) => w.graphql(a.query, a.variables, '', a.target)`, arg, &r)
	if len(r.Errors) > 0 {
		t.Fatalf("graphql %s: %+v", query, r.Errors)
	}
	return r.Data
}

// TestWalletInBrowser runs the wallet core (wallet.wasm) in a real
// headless Chromium against a real local network: it creates a vault,
// claims a chain from the faucet, sends tokens to a CLI wallet and takes
// tokens back from it, uses an application (executed in the browser by
// the browser's WebAssembly engine) and finds everything again after a reload.
func TestWalletInBrowser(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	t.Cleanup(cancel)
	net := netUp(t, ctx)
	site := walletSite(t)
	b := startBrowser(t, ctx, site)

	// A new wallet: the mnemonic is shown once; the vault is locked after
	// lock() and refuses a wrong password.
	var created struct{ Mnemonic string }
	page(t, ctx, b, `(w, faucet) => w.create({ password: 'correct horse battery', faucet })`, net.FaucetURL, &created)
	if n := len(strings.Fields(created.Mnemonic)); n != 24 {
		t.Fatalf("create answered a mnemonic of %d words, want 24", n)
	}
	var chain struct {
		ID string `json:"id"`
	}
	page(t, ctx, b, `(w) => w.claimChain()`, nil, &chain)
	if len(chain.ID) != 64 {
		t.Fatalf("claimChain answered %+v", chain)
	}
	balance := func() string {
		t.Helper()
		d := wgql(t, ctx, b, `query ($c: String!) { chain(chainId: $c) { balance } }`, map[string]any{"c": chain.ID})
		return field(d, "chain", "balance").(string)
	}
	start := balance()

	// The CLI wallet on the same network.
	bob := newCLI(t)
	bob.must(nil, "wallet", "init", "--faucet", net.FaucetURL, "--with-new-chain")
	bobChain := bob.chain()
	bobStart := bob.balance()

	// Browser → CLI: 3 tokens.
	d := wgql(t, ctx, b, `mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "3") }`,
		map[string]any{"c": chain.ID, "to": bobChain})
	if h, _ := d["transfer"].(string); len(h) != 64 {
		t.Fatalf("transfer answered %v, want a block hash", d)
	}
	bob.processInbox(1)
	bob.expectBalance(addTokens(t, bobStart, 3))

	// CLI → browser: 5 tokens, announced to a subscription, taken in by
	// the wallet's processInbox.
	var sub int
	page(t, ctx, b, `(w) => { window.events = []; return w.subscribe('subscription { notifications { chainId kind height } }', {}, '', (r) => window.events.push(r)); }`, nil, &sub)
	bob.must(nil, "transfer", "5", "--to", chain.ID)
	want := addTokens(t, addTokens(t, start, -3), 5)
	for i := 0; balance() != want; i++ {
		if i == 40 {
			t.Fatalf("browser balance %s, want %s after bob's transfer", balance(), want)
		}
		wgql(t, ctx, b, `mutation ($c: String!) { processInbox(chainId: $c) }`, map[string]any{"c": chain.ID})
		time.Sleep(250 * time.Millisecond)
	}

	var events []struct {
		Data struct {
			Notifications struct{ ChainID, Kind string }
		}
	}
	page(t, ctx, b, `(w, id) => w.unsubscribe(id).then(() => window.events)`, sub, &events)
	bundles := 0
	for _, e := range events {
		if n := e.Data.Notifications; n.ChainID == chain.ID && n.Kind == "NEW_BUNDLE" {
			bundles++
		}
	}
	if bundles == 0 {
		t.Fatalf("the subscription got no NEW_BUNDLE for the wallet's chain: %+v", events)
	}

	// An application: bob creates the counter on his chain; the browser
	// uses it on its own chain (first meeting: the modules come from the
	// validators and run in the browser) and queries it locally.
	bob.timeout = 3 * time.Minute
	app := bob.publishAndCreate("counter", "--json-argument", "0")
	target := []string{chain.ID, app}
	var hash struct{ Data string }
	page(t, ctx, b, `(w, a) => w.graphql('mutation { increment(value: 7) }', {}, '', { chainId: a[0], applicationId: a[1] })`, target, &hash)
	if len(hash.Data) != 64 {
		t.Fatalf("application mutation answered %+v, want the block's hash", hash)
	}
	if v := wgql(t, ctx, b, `query { value }`, nil, target...)["value"]; v != 7.0 {
		t.Fatalf("counter value in the browser = %v, want 7", v)
	}

	// A reload: memory is gone, IndexedDB is not. The wallet opens locked.
	if err := b.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Exists, Locked bool
		Chains         []struct{ ID string }
	}
	page(t, ctx, b, `(w) => w.status()`, nil, &st)
	if !st.Exists || !st.Locked || len(st.Chains) != 1 || st.Chains[0].ID != chain.ID {
		t.Fatalf("status after reload = %+v, want the locked wallet with chain %s", st, chain.ID)
	}
	if got := balance(); got != want {
		t.Fatalf("balance after reload = %s, want %s", got, want)
	}
	if v := wgql(t, ctx, b, `query { value }`, nil, target...)["value"]; v != 7.0 {
		t.Fatalf("counter value after reload = %v, want 7", v)
	}
	var code string
	page(t, ctx, b, `(w, c) => w.graphql('mutation ($c: String!) { processInbox(chainId: $c) }', {c}, '').then(() => 'ok', (e) => e.code)`, chain.ID, &code)
	if code != "LOCKED" {
		t.Fatalf("a mutation on a locked wallet answered %q, want the LOCKED error", code)
	}
	page(t, ctx, b, `(w) => w.unlock('wrong password').then(() => 'ok', (e) => e.code)`, nil, &code)
	if code != "WRONG_PASSWORD" {
		t.Fatalf("unlock with a wrong password answered %q, want WRONG_PASSWORD", code)
	}
	page(t, ctx, b, `(w) => w.unlock('correct horse battery').then(() => 'ok')`, nil, &code)
	d = wgql(t, ctx, b, `mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "1") }`,
		map[string]any{"c": chain.ID, "to": bobChain})
	if h, _ := d["transfer"].(string); len(h) != 64 {
		t.Fatalf("transfer after unlock answered %v", d)
	}
}
