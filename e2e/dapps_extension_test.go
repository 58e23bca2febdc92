package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDappsWithExtension runs the sample dApps with the extension loaded
// (dist/extension, its in-page provider from bridge/build.sh) against a
// real network: a dApp page connects (approved in the approval window),
// queries, makes a block (approved) and has one rejected (4001, shown by
// the page); a page of another origin gets 4100, cannot reach control
// calls, cannot pass for the connected origin and cannot flood the wallet;
// revoking the site in the popup cuts the page off. Every dApp is
// photographed (artifacts(t)).
func TestDappsWithExtension(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	t.Cleanup(cancel)
	start := time.Now()
	built := buildExtension(t)
	net := netUp(t, ctx)
	// A CLI wallet publishes the five apps while the browser is set up;
	// the browser uses them on its own chain (its node fetches and runs
	// their modules).
	bob := newCLI(t)
	bob.timeout = 3 * time.Minute
	bob.must(nil, "wallet", "init", "--faucet", net.FaucetURL, "--with-new-chain")
	published := publishApps(t, bob)
	ext := built()
	shots := artifacts(t)
	e := startExtBrowser(t, ctx, ext, t.TempDir(), shots)
	popup := e.page("")
	popup.goto_(extURL("popup.html"))
	chain, _ := onboard(t, popup, net.FaucetURL)
	t.Logf("network, extension, onboarding: %v", time.Since(start).Round(time.Millisecond))
	apps := published()
	t.Logf("and the five apps published: %v", time.Since(start).Round(time.Millisecond))

	site, other := serveDapps(t, false), serveDapps(t, false)
	url := func(s *dappServer, name string) string {
		return fmt.Sprintf("%s%s.html?app=%s", s.URL, name, apps[name])
	}
	dappTab := e.page("dapp")
	dappTab.open(url(site, "counter"))
	u := ui{t: t, ctx: ctx, p: dappTab.p, shots: shots}
	approve := func(name, button string, check ...func(*tpage)) {
		t.Helper()
		a := e.waitPage(name, extURL("approval.html"))
		a.wait(tid(button), time.Minute)
		for _, c := range check {
			c(a)
		}
		a.screenshot(name)
		a.click(button)
	}

	// Connect, approved; the counter's value on the browser's chain.
	u.wait("the provider", `window.myriad?.isMyriad && !document.getElementById('connect').disabled`, 30*time.Second)
	u.eval(`() => document.getElementById('connect').click()`, nil, nil)
	approve("approval-connect", "approve")
	u.wait("the counter", `document.getElementById('value').textContent === '0'`, 2*time.Minute)
	if acct := u.text("#account"); !strings.Contains(acct, chain[:8]) {
		t.Errorf("the dApp shows %q, want the browser's chain %s", acct, chain)
	}

	// A block, approved; another, rejected: 4001 on the page.
	u.submit("increment", map[string]string{"value": "2"})
	approve("approval-mutation", "approve", func(a *tpage) {
		// The preview names the application and its operation, as the
		// wallet's node ran it.
		counter := apps["counter"]
		if got := a.text(tid("preview-application")); !strings.Contains(got, counter[:8]) || !strings.Contains(got, "runs an operation") {
			t.Errorf("the approval's application run reads %q, want the counter %s", got, counter)
		}
		if got := a.text(tid("preview-operations")); !strings.Contains(got, "increment") {
			t.Errorf("the approval's operation reads %q, want the counter's increment", got)
		}
	})
	if hash, status := u.mutation("increment"); len(hash) != 64 {
		t.Fatalf("approved increment: block %q, status %q", hash, status)
	}
	u.wait("the new value", `document.getElementById('value').textContent === '2'`, time.Minute)
	u.screenshot("counter")
	u.submit("increment", map[string]string{"value": "5"})
	approve("approval-rejected", "reject")
	if hash, status := u.mutation("a rejected increment"); hash != "" || !strings.Contains(status, "code 4001") {
		t.Errorf("rejected increment: block %q, status %q, want code 4001", hash, status)
	}
	u.screenshot("counter-rejected")

	t.Run("hostile page", func(t *testing.T) { testHostilePage(t, e, other, site, chain, apps["counter"]) })

	// The other dApps: the origin is connected, so Connect answers at once.
	open := func(page, ready string) {
		t.Helper()
		dappTab.goto_(page)
		u.wait("the provider", `!document.getElementById('connect').disabled`, 30*time.Second)
		u.eval(`() => document.getElementById('connect').click()`, nil, nil)
		u.wait("the dApp's state", ready, 2*time.Minute)
	}
	st := popup.status()
	owner := st.Chains[0].Owner
	bobChain, bobOwner := bob.chain(), bob.owner()

	// The fungible token: bob (CLI) sends the browser's owner 10 MYT, the
	// popup takes them in, and the dApp sends 2.5 to bob, approved.
	bob.mutate(apps["fungible"], fmt.Sprintf(`mutation { transfer(owner: "%s", amount: "10", targetChain: "%s", targetOwner: "%s") }`,
		bobOwner, chain, owner))
	popup.wait(tid(`receive"][data-chain="`+chain), time.Minute)
	popup.click(`receive"][data-chain="` + chain)
	open(url(site, "fungible"), `document.getElementById('ticker').textContent === 'MYT' && document.getElementById('balance').textContent === '10'`)
	u.submit("transfer", map[string]string{"amount": "2.5", "owner": bobOwner, "chain": bobChain})
	approve("approval-fungible", "approve", func(a *tpage) {
		if got := a.text(tid("preview-message")); !strings.Contains(got, bobChain[:8]) || !strings.Contains(got, apps["fungible"][:8]) {
			t.Errorf("the fungible transfer's message reads %q, want the application's message to bob's chain", got)
		}
	})
	if hash, status := u.mutation("fungible transfer"); len(hash) != 64 {
		t.Fatalf("fungible transfer: block %q, status %q", hash, status)
	}
	u.wait("the new balance", `document.getElementById('balance').textContent === '7.5'`, time.Minute)
	u.screenshot("fungible")

	// The auction, on bob's chain: the wallet follows that chain (the
	// approval says so), the owner's account is funded in the popup, and
	// a bid of 5 travels to bob's chain; once bob takes it, the page shows
	// it (the site hears of the chain it had the wallet follow).
	open(url(site, "auction")+"&auction="+bobChain, `document.querySelector('[data-testid=follow-chain]') !== null`)
	u.eval(`() => document.querySelector('[data-testid=follow-chain]').click()`, nil, nil)
	approve("approval-follow", "approve", func(a *tpage) {
		if got := a.text(tid("preview-follows")); !strings.Contains(got, bobChain[:8]) {
			t.Errorf("the follow approval reads %q, want bob's chain", got)
		}
	})
	u.wait("the auction", `document.querySelector('[data-testid=highest]')?.textContent === 'none'`, time.Minute)
	var fund struct{ Errors []any }
	popup.swCall("graphql", []any{`mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "10") }`,
		map[string]any{"c": chain, "to": chain + ":" + owner}}, &fund)
	if len(fund.Errors) > 0 {
		t.Fatalf("funding the owner's account: %v", fund.Errors)
	}
	u.submit("bid", map[string]string{"amount": "5"})
	approve("approval-bid", "approve", func(a *tpage) {
		if got := a.text(tid("preview-balances")); !strings.Contains(got, "Account "+owner[:8]) || !strings.Contains(got, "-5") {
			t.Errorf("the bid's balance change reads %q, want the owner's account -5", got)
		}
	})
	if hash, status := u.mutation("bid"); len(hash) != 64 {
		t.Fatalf("bid: block %q, status %q", hash, status)
	}
	bob.processInbox(1)
	u.wait("the bid on bob's chain", `document.querySelector('[data-testid=highest]')?.textContent === '5'`, time.Minute)
	u.screenshot("auction")

	// The game: a game against bob opens a chain both own; the wallet
	// follows it, takes its setup, and plays the first move.
	open(url(site, "tictactoe"), `document.getElementById('score').textContent.includes('0 won')`)
	u.submit("start", map[string]string{"opponent": bobOwner, "opponentChain": bobChain, "balance": "0"})
	approve("approval-game", "approve")
	if hash, status := u.mutation("start"); len(hash) != 64 {
		t.Fatalf("start a game: block %q, status %q", hash, status)
	}
	u.wait("the game", `document.querySelectorAll('#games a').length === 1`, time.Minute)
	var game string
	u.eval(`() => document.querySelector('#games a').textContent`, nil, &game)
	open(url(site, "tictactoe")+"&game="+game, `document.querySelector('[data-testid=follow-chain]') !== null`)
	u.eval(`() => document.querySelector('[data-testid=follow-chain]').click()`, nil, nil)
	approve("approval-follow-game", "approve")
	u.wait("the setup", `document.querySelector('[data-testid=take-setup]') !== null`, time.Minute)
	u.eval(`() => document.querySelector('[data-testid=take-setup]').click()`, nil, nil)
	approve("approval-setup", "approve")
	u.wait("my move", `document.getElementById('game-info').textContent.includes('Your move')`, time.Minute)
	u.eval(`() => document.querySelector('[data-testid=cell-4]').click()`, nil, nil)
	approve("approval-move", "approve")
	u.wait("the move", `document.querySelector('[data-testid=cell-4]')?.textContent === 'X'`, time.Minute)
	u.screenshot("tictactoe")

	open(url(site, "social"), `document.getElementById('mine').textContent.includes('nothing yet')`)
	u.screenshot("social")
	// The social feed (still open): a post, approved.
	u.submit("post", map[string]string{"text": "hello from the extension"})
	approve("approval-post", "approve")
	if hash, status := u.mutation("post"); len(hash) != 64 {
		t.Fatalf("post: block %q, status %q", hash, status)
	}
	u.wait("the post", `document.getElementById('mine').textContent.includes('hello from the extension')`, time.Minute)
	u.screenshot("social-posted")

	// Revoked in the popup: the page hears it and is cut off.
	popup.click("nav-sites")
	popup.click(`revoke"][data-origin="` + site.Origin)
	u.wait("the revocation", `document.getElementById('account').textContent === 'not connected' && status().includes('no longer gives this site access')`, 30*time.Second)
	if code := requestCode(u, "myriad_graphql", map[string]any{"query": "query { myPosts { text } }", "chainId": chain, "applicationId": apps["social"]}); code != 4100 {
		t.Errorf("a query after revoking answered code %d, want 4100", code)
	}
	u.screenshot("social-revoked")
	t.Logf("TestDappsWithExtension took %v", time.Since(start).Round(time.Millisecond))
}

// testHostilePage opens a page of another origin, never connected: it
// gets 4100, cannot reach control calls, cannot pass for the connected
// origin, and its flood is bounded.
func testHostilePage(t *testing.T, e *extBrowser, other, connected *dappServer, chain, app string) {
	tab := e.page("hostile")
	tab.open(other.URL + "counter.html?app=" + app)
	h := ui{t: t, ctx: e.ctx, p: tab.p, shots: e.shots}
	h.wait("the provider", `window.myriad?.isMyriad`, 30*time.Second)
	query := map[string]any{"query": "query { value }", "chainId": chain, "applicationId": app}
	if code := requestCode(h, "myriad_graphql", query); code != 4100 {
		t.Errorf("a query from an unconnected origin answered %d, want 4100", code)
	}
	for _, m := range []string{"unlock", "lock", "status", "create", "settings.set", "sites.revoke", "sites.list"} {
		if code := requestCode(h, m, []any{}); code != 4200 {
			t.Errorf("control call %s from a page answered %d, want 4200", m, code)
		}
	}
	var noAPI bool
	h.eval(`() => typeof chrome === 'undefined' || chrome.runtime?.id === undefined`, nil, &noAPI)
	if !noAPI {
		t.Errorf("a web page sees the extension's runtime API")
	}

	// Messages that claim the connected origin: the relay takes the origin
	// from the browser, so the request is still this origin's.
	var spoof map[string]any
	h.eval(`(a) => new Promise((resolve) => {
		const id = 77;
		addEventListener('message', (ev) => { if (ev.source === window && ev.data?.target === 'myriad-inpage' && ev.data.id === id) resolve(ev.data); });
		postMessage({ target: 'myriad-contentscript', id, method: 'myriad_graphql', params: a.query,
			origin: a.origin, sender: { origin: a.origin, url: a.origin + '/' } }, location.origin);
		setTimeout(() => resolve({ none: true }), 20000);
	})`, map[string]any{"query": query, "origin": connected.Origin}, &spoof)
	if c, _ := field(spoof, "error", "code").(float64); c != 4100 {
		t.Errorf("a request claiming origin %s answered %v, want 4100", connected.Origin, spoof)
	}
	// Posted to the connected origin instead of its own: the browser
	// delivers it to nobody.
	var delivered bool
	h.eval(`(origin) => new Promise((resolve) => {
		addEventListener('message', (ev) => { if (ev.data?.id === 78) resolve(true); });
		postMessage({ target: 'myriad-contentscript', id: 78, method: 'myriad_chains' }, origin);
		setTimeout(() => resolve(false), 2000);
	})`, connected.Origin, &delivered)
	if delivered {
		t.Errorf("a message posted to another origin was delivered")
	}

	// A flood of 40 connection requests: the provider sends 16 and refuses
	// the rest at once (-32005); the wallet opens one approval, rejected.
	h.eval(`() => { window.flood = Array.from({ length: 40 }, () => myriad.request({ method: 'myriad_connect' }).then(() => 0, (e) => e.code)); }`, nil, nil)
	a := e.waitPage("approval-flood", extURL("approval.html"))
	a.wait(tid("reject"), time.Minute)
	a.click("reject")
	var codes []int
	h.eval(`() => Promise.all(window.flood)`, nil, &codes)
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[4001] != 16 || count[-32005] != 24 {
		t.Errorf("a flood of 40 myriad_connect answered %v, want 16 × 4001 and 24 × -32005", count)
	}
	// The page shows what it got, for the screenshot.
	h.eval(`(s) => { const pre = document.createElement('pre'); pre.textContent = s; document.querySelector('main').prepend(pre); }`,
		fmt.Sprintf("what this page (%s, never connected) got:\n  myriad_graphql: 4100\n  control calls: 4200\n  claiming %s: %v\n  posted to that origin: delivered %v\n  40 × myriad_connect: %v",
			other.Origin, connected.Origin, field(spoof, "error", "code"), delivered, count), nil)
	h.screenshot("hostile")
}

// publishApps builds the five sample apps and publishes and creates them
// with c's wallet in the background; the function it returns waits for
// their ids.
func publishApps(t *testing.T, c *cli) func() map[string]string {
	t.Helper()
	type spec struct{ name, contract, service string }
	args := map[string][]string{
		"counter":  {"--json-argument", "0"},
		"fungible": {"--json-parameters", `{"ticker":"MYT"}`, "--json-argument", fmt.Sprintf(`{"accounts":{"%s":"100"}}`, c.owner())},
		"auction": {"--json-argument",
			fmt.Sprintf(`{"item":"a painting","closesAt":%d,"minimumBid":"1"}`, time.Now().Add(time.Hour).UnixMicro())},
	}
	var specs []spec
	for _, name := range []string{"counter", "fungible", "social", "auction", "tictactoe"} {
		contract, service := writeApp(t, name)
		specs = append(specs, spec{name, contract, service})
	}
	type result struct {
		ids map[string]string
		err error
	}
	done := make(chan result, 1)
	go func() {
		ids := map[string]string{}
		for _, s := range specs {
			out, errs, err := c.run(append([]string{"publish-and-create", s.contract, s.service}, args[s.name]...)...)
			var v createdView
			if err == nil {
				err = json.Unmarshal([]byte(out), &v)
			}
			if err != nil || len(v.Application) != 64 {
				done <- result{err: fmt.Errorf("publish-and-create %s: %v (%s)\n%s", s.name, err, out, errs)}
				return
			}
			ids[s.name] = v.Application
		}
		done <- result{ids: ids}
	}()
	return func() map[string]string {
		t.Helper()
		r := <-done
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.ids
	}
}

// requestCode sends a request through window.myriad and returns its error
// code (0: it succeeded).
func requestCode(u ui, method string, params any) int {
	u.t.Helper()
	var code int
	u.eval(`async (a) => { try { await myriad.request({ method: a.method, params: a.params }); return 0; } catch (e) { return e.code ?? -1; } }`,
		map[string]any{"method": method, "params": params}, &code)
	return code
}
