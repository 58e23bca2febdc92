package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/browser"
)

// BenchmarkWalletInBrowser measures the wallet core in headless Chromium
// against a real local network (make bench-browser). Each sub-benchmark
// reports the median of its iterations as ms-p50 (and ms-p90), timed in
// the page with performance.now, so the driver's round trips do not count:
//
//	cold-start     reload → wasm loaded, IndexedDB open, first balance answered
//	balance        a chain's balance through the wallet's GraphQL
//	counter-first/ENGINE  reload → the counter app's first query (module
//	               compiled and initialised in the page)
//	counter/ENGINE a counter query once the app is loaded
//	transfer       a transfer until its certificate is confirmed
//
// ENGINE is the engine applications run on: browser (the browser's own
// WebAssembly engine, the wallet's default) or wazero (its interpreter,
// the reference engine; the page's ?engine=wazero).
//
// With MYRIAD_PROFILE=DIR, counter/browser then runs 300 more queries
// under the DevTools CPU profiler and writes DIR/counter-browser.cpuprofile
// (build the wallet with WALLET_LDFLAGS= WALLET_MAX_BROTLI=0 for names).
func BenchmarkWalletInBrowser(b *testing.B) {
	needBrowser(b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	b.Cleanup(cancel)
	site, br, chain, bob := benchSetup(b, ctx)
	app := bob.publishAndCreate("counter", "--json-argument", "0")
	target := map[string]string{"chainId": chain.ID, "applicationId": app}
	var hash struct{ Data string }
	page(b, ctx, br, `(w, t) => w.graphql('mutation { increment(value: 1) }', {}, '', t)`, target, &hash)
	if len(hash.Data) != 64 {
		b.Fatalf("counter mutation answered %+v", hash)
	}
	reload := func(b *testing.B) {
		if err := br.Reload(ctx); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("cold-start", func(b *testing.B) {
		var ms []float64
		for range b.N {
			reload(b)
			var t float64
			page(b, ctx, br, `async () => { for (let i = 0; i < 600 && !window.timing.state; i++) await new Promise((r) => setTimeout(r, 50)); return window.timing.state; }`, nil, &t)
			ms = append(ms, t)
		}
		reportP50(b, ms)
	})
	b.Run("balance", func(b *testing.B) {
		reportP50(b, pageLoop(b, ctx, br, b.N, `(w, a) => w.graphql('query ($c: String!) { chain(chainId: $c) { balance } }', { c: a.chainId })`, target))
	})
	for _, engine := range []string{"browser", "wazero"} {
		if engine != "browser" {
			if err := br.Goto(ctx, site+"?engine="+engine); err != nil {
				b.Fatal(err)
			}
		}
		b.Run("counter-first/"+engine, func(b *testing.B) {
			var ms []float64
			for range b.N {
				reload(b)
				ms = append(ms, pageLoop(b, ctx, br, 1, `(w, a) => w.graphql('query { value }', {}, '', a)`, target)...)
			}
			reportP50(b, ms)
		})
		b.Run("counter/"+engine, func(b *testing.B) {
			pageLoop(b, ctx, br, 1, `(w, a) => w.graphql('query { value }', {}, '', a)`, target) // load the app
			reportP50(b, pageLoop(b, ctx, br, b.N, `(w, a) => w.graphql('query { value }', {}, '', a)`, target))
			if dir := os.Getenv("MYRIAD_PROFILE"); dir != "" && engine == "browser" {
				profile(b, ctx, br, filepath.Join(dir, "counter-browser.cpuprofile"), func() {
					pageLoop(b, ctx, br, 300, `(w, a) => w.graphql('query { value }', {}, '', a)`, target)
				})
			}
		})
	}
	if err := br.Goto(ctx, site); err != nil {
		b.Fatal(err)
	}
	b.Run("transfer", func(b *testing.B) {
		page(b, ctx, br, `(w) => w.unlock('bench password')`, nil, nil)
		bobChain := bob.chain()
		reportP50(b, pageLoop(b, ctx, br, b.N, `async (w, a) => {
			const r = await w.graphql('mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "0.001") }', { c: a.chainId, to: a.to });
			if (r.errors) throw new Error(JSON.stringify(r.errors));
		}`, map[string]string{"chainId": chain.ID, "to": bobChain}))
	})
}

// profile runs f under the page's CPU profiler and writes the profile to
// path.
// benchChain is the chain the benchmarks' browser wallet claimed.
type benchChain struct {
	ID string `json:"id"`
}

// benchSetup starts a network, a page with the wallet core (at site),
// makes a wallet there with a chain from the faucet, and a CLI wallet
// (bob) with a chain of its own, to publish applications.
func benchSetup(b *testing.B, ctx context.Context) (site string, br *browser.Browser, chain benchChain, bob *cli) {
	net := netUp(b, ctx)
	site = walletSite(b)
	br = startBrowser(b, ctx, site)
	page(b, ctx, br, `(w, faucet) => w.create({ password: 'bench password', faucet })`, net.FaucetURL, nil)
	page(b, ctx, br, `(w) => w.claimChain()`, nil, &chain)
	bob = newCLI(b)
	bob.timeout = 3 * time.Minute
	bob.must(nil, "wallet", "init", "--faucet", net.FaucetURL, "--with-new-chain")
	return site, br, chain, bob
}

func profile(b *testing.B, ctx context.Context, br *browser.Browser, path string, f func()) {
	b.Helper()
	if err := br.Page("").StartProfile(ctx, 50*time.Microsecond); err != nil {
		b.Fatal(err)
	}
	f()
	if err := br.Page("").StopProfile(ctx, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("profile: %s", path)
}

// pageLoop runs op(wallet, arg) n times in the page, one after another,
// and returns how long each took in milliseconds. A GraphQL answer with
// errors fails the benchmark.
func pageLoop(b *testing.B, ctx context.Context, br *browser.Browser, n int, op string, arg any) []float64 {
	b.Helper()
	var ms []float64
	page(b, ctx, br, `async (w, a) => {
		const op = (`+op+`);
		const out = [];
		for (let i = 0; i < a.n; i++) {
			const t0 = performance.now();
			const r = await op(w, a.arg);
			out.push(performance.now() - t0);
			if (r && r.errors) throw new Error(JSON.stringify(r.errors));
		}
		return out;
	}`, map[string]any{"n": n, "arg": arg}, &ms)
	return ms
}

// reportP50 reports the median and the 90th percentile of ms.
func reportP50(b *testing.B, ms []float64) {
	b.Helper()
	if len(ms) == 0 {
		b.Fatal("no measurements")
	}
	slices.Sort(ms)
	b.ReportMetric(ms[len(ms)/2], "ms-p50")
	b.ReportMetric(ms[len(ms)*9/10], "ms-p90")
}
