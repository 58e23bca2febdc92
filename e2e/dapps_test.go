package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDappsOnService runs the five sample dApps in headless Chromium on a
// real network, without the extension: the page gets the real in-page
// provider (bridge/build.sh) and a stand-in content script
// (testdata/relay.js) that approves everything and runs myriad_graphql on
// alice's CLI wallet through its node service. Each page connects, shows
// its application's state and makes a block through its form; a rejected
// mutation shows code 4001; the counter is driven by keyboard only.
// Screenshots go to artifacts(t).
func TestDappsOnService(t *testing.T) {
	long(t)
	needBrowser(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	t.Cleanup(cancel)
	net := netUp(t, ctx)
	n := &appNet{ctx: ctx, faucet: net.FaucetURL}
	n.alice, n.bob = n.wallet(t), n.wallet(t)
	n.a, n.b = n.alice.chain(), n.bob.chain()
	n.oa, n.ob = n.alice.owner(), n.bob.owner()
	alice := n.alice

	apps := map[string]string{}
	timed(t, "publish the five apps", func() {
		apps["counter"] = alice.publishAndCreate("counter", "--json-argument", "40")
		apps["fungible"] = alice.publishAndCreate("fungible", "--json-parameters", `{"ticker":"MYT"}`,
			"--json-argument", fmt.Sprintf(`{"accounts":{"%s":"100"}}`, n.oa))
		apps["social"] = alice.publishAndCreate("social")
		apps["auction"] = alice.publishAndCreate("auction", "--json-argument",
			fmt.Sprintf(`{"item":"a painting","closesAt":%d,"minimumBid":"1"}`, time.Now().Add(time.Hour).UnixMicro()))
		apps["tictactoe"] = alice.publishAndCreate("tictactoe")
	})
	alice.must(nil, "transfer", "20", "--to", n.a+":"+n.oa) // alice's bids are paid from her account

	site := serveDapps(t, true)
	svc := alice.service(ctx, "--allow-origin", site.Origin)
	site.setConfig(map[string]any{"service": svc, "owner": n.oa, "chains": []string{n.a}})
	shots := artifacts(t)
	b := startBrowser(t, ctx, site.URL)
	u := ui{t: t, ctx: ctx, p: b.Page(""), shots: shots}
	open := func(t *testing.T, page string) ui {
		t.Helper()
		u := ui{t: t, ctx: ctx, p: b.Page(""), shots: shots}
		if err := u.p.Goto(ctx, fmt.Sprintf("%s%s.html?app=%s", site.URL, page, apps[page])); err != nil {
			t.Fatal(err)
		}
		return u
	}
	u.screenshot("index")

	t.Run("counter", func(t *testing.T) {
		u := open(t, "counter")
		u.wait("the wallet", `!document.getElementById('connect').disabled`, 20*time.Second)
		// Keyboard only: Enter on Connect; then in the amount field select
		// all, type 2, Enter.
		u.press("#connect", "Enter")
		u.wait("the value", `document.getElementById('value').textContent === '40'`, 2*time.Minute)
		for _, k := range []string{"Control+A", "2", "Enter"} {
			u.press(`#increment input[name="value"]`, k)
		}
		hash, status := u.mutation("increment")
		if len(hash) != 64 || !strings.Contains(status, "Add 2: done") {
			t.Fatalf("increment: block %q, status %q", hash, status)
		}
		u.wait("the new value", `document.getElementById('value').textContent === '42'`, time.Minute)
		u.screenshot("counter")

		// The user rejects the next block: the page says so, with the code.
		u.eval(`() => { window.relay.reject = true; }`, nil, nil)
		u.submit("increment", map[string]string{"value": "5"})
		if hash, status := u.mutation("a rejected increment"); hash != "" || !strings.Contains(status, "code 4001") {
			t.Errorf("rejected increment: block %q, status %q, want code 4001", hash, status)
		}
		if v := u.text("#value"); v != "42" {
			t.Errorf("value after a rejection = %s, want 42", v)
		}
		u.screenshot("counter-rejected")
	})

	t.Run("fungible", func(t *testing.T) {
		u := open(t, "fungible")
		u.connect(`document.getElementById('balance').textContent === '100'`)
		if got := u.text("#ticker"); got != "MYT" {
			t.Errorf("ticker = %q, want MYT", got)
		}
		u.submit("transfer", map[string]string{"amount": "2.5", "owner": n.ob})
		if hash, status := u.mutation("transfer"); len(hash) != 64 {
			t.Fatalf("transfer: block %q, status %q", hash, status)
		}
		u.wait("the new balance", `document.getElementById('balance').textContent === '97.5'`, time.Minute)
		if rows := u.text("#accounts"); !strings.Contains(rows, "2.5") || !strings.Contains(rows, "97.5") {
			t.Errorf("accounts = %q, want bob's 2.5 and alice's 97.5", rows)
		}
		u.screenshot("fungible")
	})

	t.Run("social", func(t *testing.T) {
		u := open(t, "social")
		u.connect(`document.getElementById('mine').textContent.includes('nothing yet')`)
		u.submit("post", map[string]string{"text": "hello from a dApp"})
		if hash, status := u.mutation("post"); len(hash) != 64 {
			t.Fatalf("post: block %q, status %q", hash, status)
		}
		u.wait("the post", `document.getElementById('mine').textContent.includes('hello from a dApp')`, time.Minute)
		u.submit("follow", map[string]string{"chain": n.b})
		if hash, status := u.mutation("follow"); len(hash) != 64 {
			t.Fatalf("follow: block %q, status %q", hash, status)
		}
		u.wait("following bob", fmt.Sprintf(`document.getElementById('following').textContent.includes(%q)`, n.b), time.Minute)
		u.screenshot("social")
	})

	t.Run("auction", func(t *testing.T) {
		u := open(t, "auction")
		u.connect(`document.querySelector('[data-testid=highest]')?.textContent === 'none'`)
		u.submit("bid", map[string]string{"amount": "5"})
		if hash, status := u.mutation("bid"); len(hash) != 64 {
			t.Fatalf("bid: block %q, status %q", hash, status)
		}
		u.wait("the bid", `document.querySelector('[data-testid=highest]')?.textContent === '5'`, time.Minute)
		// A bid that does not beat the highest is refused by the contract.
		u.submit("bid", map[string]string{"amount": "3"})
		if hash, status := u.mutation("a low bid"); hash != "" || !strings.Contains(status, "does not beat") {
			t.Errorf("low bid: block %q, status %q, want a refusal", hash, status)
		}
		u.screenshot("auction")
	})

	t.Run("tictactoe", func(t *testing.T) {
		u := open(t, "tictactoe")
		u.connect(`document.getElementById('score').textContent.includes('0 won')`)
		u.submit("start", map[string]string{"opponent": n.ob, "opponentChain": n.b, "balance": "0"})
		if hash, status := u.mutation("start"); len(hash) != 64 {
			t.Fatalf("start: block %q, status %q", hash, status)
		}
		u.wait("the game", `document.querySelectorAll('#games a').length === 1`, time.Minute)
		u.screenshot("tictactoe")
	})
}
