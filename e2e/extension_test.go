package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

const extPassword = "correct horse battery"

// TestExtension loads the built extension (dist/extension, as `make
// extension` makes it) into headless Chromium on a persistent profile,
// against a real local network, and goes through it as a user and as a
// dApp: onboarding with the recovery phrase confirmed, a chain from the
// faucet, transfers both ways with a CLI wallet, the service worker and
// the offscreen document stopped without asking for the password again, a
// dApp connecting (approved), querying, signing (rejected: 4001;
// approved: a block) and revoked (4100), lock and auto-lock, and the state
// after a browser restart. Screenshots go to artifacts(t).
func TestExtension(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	start := time.Now()
	built := buildExtension(t)
	net := netUp(t, ctx)
	ext := built()
	e := startExtBrowser(t, ctx, ext, t.TempDir(), artifacts(t))
	t.Logf("network, extension and browser up in %v", time.Since(start).Round(time.Millisecond))

	popup := e.page("")
	popup.goto_(extURL("popup.html"))
	chain, words := onboard(t, popup, net.FaucetURL)

	// Home: the balance the faucet gave.
	bal := func() string { return popup.text(tid(`balance"][data-chain="` + chain)) }
	popup.wait(tid("synced"), 30*time.Second)
	if b := bal(); b != "100" {
		t.Fatalf("balance after the claim = %q, want 100", b)
	}
	popup.screenshot("home")
	firstOwner := popup.status().Chains[0].Owner

	// Send 3 tokens to a CLI wallet.
	bob := newCLI(t)
	bob.must(nil, "wallet", "init", "--faucet", net.FaucetURL, "--with-new-chain")
	bobChain := bob.chain()
	bobStart := bob.balance()
	popup.click("nav-send")
	popup.fill("send-to", bobChain)
	popup.fill("send-amount", "3")
	popup.click("send-submit")
	popup.wait(tid("send-hash"), time.Minute)
	popup.screenshot("send")
	bob.processInbox(1)
	bob.expectBalance(addTokens(t, bobStart, 3))

	// Receive 5 from it: the incoming transfer shows, and Receive takes it.
	bob.must(nil, "transfer", "5", "--to", chain)
	popup.click("nav-home")
	popup.wait(tid(`receive"][data-chain="`+chain), time.Minute)
	popup.click(`receive"][data-chain="` + chain)
	poll(t, time.Minute, "balance 102 after receiving", func() bool { return bal() == "102" })

	// The service worker and the offscreen document are stopped: the
	// wallet comes back unlocked (the session token) and signs.
	if err := e.b.StopServiceWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	popup.eval(`() => chrome.offscreen.closeDocument()`, nil, nil)
	popup.reload()
	if st := popup.status(); !st.Exists || st.Locked || !st.SessionKept {
		t.Fatalf("status after stopping the worker and the offscreen document = %+v, want unlocked", st)
	}
	popup.click("nav-send")
	popup.fill("send-to", bobChain)
	popup.fill("send-amount", "1")
	popup.click("send-submit")
	popup.wait(tid("send-hash"), time.Minute)
	bob.processInbox(1)

	testDApp(t, e, popup, bob, chain, bobChain)

	// Settings: the faucet and the network's four validators.
	popup.click("nav-settings")
	popup.wait(tid("validator"), 10*time.Second)
	var validators int
	popup.eval(`() => document.querySelectorAll('[data-testid="validator"]').length`, nil, &validators)
	if validators != 4 {
		t.Errorf("settings list %d validators, want 4", validators)
	}
	// The user reaches validator 0 at another address (here one where
	// nothing answers): the wallet keeps working with the other three, and
	// the address stays across a restart (checked below).
	const elsewhere = "ws://127.0.0.1:9"
	popup.fill(`validator-address"][id="validator-0`, elsewhere)
	popup.click("validators-save")
	popup.wait(`text=Saved`, 30*time.Second)
	if v := popup.status().Validators[0]; v.Address != elsewhere || !v.Custom || v.CommitteeAddress == elsewhere {
		t.Errorf("validator 0 after the change: %+v, want reached at %s", v, elsewhere)
	}
	popup.screenshot("settings")

	// Lock, then unlock with the password.
	popup.click("lock")
	popup.wait(tid("unlock-password"), 10*time.Second)
	if st := popup.status(); !st.Locked || st.SessionKept {
		t.Fatalf("status after lock = %+v, want locked with no session kept", st)
	}
	popup.fill("unlock-password", "wrong password")
	popup.click("unlock-submit")
	popup.wait(`#error:has-text("wrong password")`, 30*time.Second)
	popup.fill("unlock-password", extPassword)
	popup.click("unlock-submit")
	popup.wait(tid("nav-home"), 30*time.Second)

	// Auto-lock after 3 idle seconds (chrome.alarms).
	popup.swCall("settings.set", []any{map[string]any{"autoLockSeconds": 3}}, nil)
	poll(t, time.Minute, "auto-lock", func() bool { return popup.status().Locked })
	popup.swCall("settings.set", []any{map[string]any{"autoLockSeconds": 900}}, nil)

	// A browser restart: the wallet, its chain and the connected sites
	// stay; the session does not.
	e.restart()
	popup = e.page("")
	popup.goto_(extURL("popup.html"))
	st := popup.status()
	if !st.Exists || !st.Locked || len(st.Chains) != 2 || st.Chains[0].ID != chain || st.Chains[1].ID != bobChain {
		t.Fatalf("status after a restart = %+v, want the locked wallet with its chain %s and bob's %s, followed", st, chain, bobChain)
	}
	popup.fill("unlock-password", extPassword)
	popup.must(popup.p.Press(ctx, tid("unlock-password"), "Enter")) // the keyboard works
	poll(t, time.Minute, "balance after the restart", func() bool { return bal() == "99.5" })
	if v := popup.status().Validators[0]; v.Address != elsewhere || !v.Custom {
		t.Errorf("validator 0 after a restart: %+v, want still reached at %s", v, elsewhere)
	}

	// A second profile imports the recovery phrase: it finds the first
	// profile's chain (account 0's, asked of the faucet) with its balance,
	// then claims a chain of its own for account 1 and sends from it to the
	// first browser, which receives.
	second := startExtBrowser(t, ctx, ext, t.TempDir(), e.shots)
	other := second.page("")
	other.goto_(extURL("popup.html"))
	other.fill("faucet", net.FaucetURL)
	other.click("import-wallet")
	other.fill("import-mnemonic", strings.Join(words, "  "))
	other.fill("password", "another password")
	other.fill("password2", "another password")
	other.click("import-submit")
	other.wait(tid("import-found"), time.Minute)
	otherBal := func(id string) string { return other.text(tid(`balance"][data-chain="` + id)) }
	poll(t, time.Minute, "the imported wallet shows the found chain's balance 99.5", func() bool { return otherBal(chain) == "99.5" })
	if st := other.status(); len(st.Chains) != 1 || st.Chains[0].ID != chain || st.Chains[0].Owner != firstOwner {
		t.Fatalf("the imported wallet's status = %+v, want the first profile's chain %s owned by %s", st, chain, firstOwner)
	}
	if got := other.text(tid("import-found")); !strings.Contains(got, "Found 1 chain") {
		t.Errorf("the import says %q, want it to have found 1 chain", got)
	}
	other.screenshot("import-found")
	other.click("claim")
	var ownChain string
	poll(t, time.Minute, "a chain of account 1", func() bool {
		st := other.status()
		if len(st.Chains) == 2 && st.Chains[1].Owner != firstOwner && st.Chains[1].Owner != "" {
			ownChain = st.Chains[1].ID
		}
		return ownChain != ""
	})
	poll(t, time.Minute, "balance 100 of the imported wallet's new chain", func() bool { return otherBal(ownChain) == "100" })
	other.click("nav-send")
	other.wait(tid("send-from"), 10*time.Second)
	other.eval(`(id) => { document.querySelector('[data-testid="send-from"]').value = id; }`, ownChain, nil)
	other.fill("send-to", chain)
	other.fill("send-amount", "7")
	other.click("send-submit")
	other.wait(tid("send-hash"), time.Minute)
	popup.wait(tid(`receive"][data-chain="`+chain), time.Minute)
	popup.click(`receive"][data-chain="` + chain)
	poll(t, time.Minute, "balance 106.5 after receiving from the second profile", func() bool { return bal() == "106.5" })
	// Cleared, validator 0 is reached where the network says again.
	popup.swCall("network.setValidatorAddress", []any{popup.status().Validators[0].PublicKey, ""}, nil)
	if v := popup.status().Validators[0]; v.Custom || v.Address != v.CommitteeAddress {
		t.Errorf("validator 0 after clearing its address: %+v", v)
	}
	t.Logf("TestExtension took %v", time.Since(start).Round(time.Millisecond))
}

// onboard creates a wallet through the popup, confirms three words of its
// recovery phrase, claims a chain and returns its id.
func onboard(t *testing.T, popup *tpage, faucet string) (string, []string) {
	t.Helper()
	popup.fill("faucet", faucet)
	popup.click("create-wallet")
	popup.fill("password", extPassword)
	popup.fill("password2", extPassword)
	popup.click("create-submit")
	popup.wait(tid("word-24"), time.Minute)
	popup.screenshot("onboarding-phrase")
	var words []string
	popup.eval(`() => [...document.querySelectorAll('[data-testid="mnemonic"] li')].map((li) => li.textContent)`, nil, &words)
	if len(words) != 24 {
		t.Fatalf("the recovery phrase has %d words, want 24", len(words))
	}
	popup.click("backed-up")
	var asked []int
	popup.eval(`() => [...document.querySelectorAll('[data-testid="confirm-word"]')].map((i) => Number(i.dataset.index))`, nil, &asked)
	if len(asked) != 3 {
		t.Fatalf("the confirmation asks for %d words, want 3", len(asked))
	}
	// A wrong word is refused.
	popup.fill(`confirm-word"][data-index="`+strconv.Itoa(asked[0]), "wrong")
	popup.fill(`confirm-word"][data-index="`+strconv.Itoa(asked[1]), words[asked[1]-1])
	popup.fill(`confirm-word"][data-index="`+strconv.Itoa(asked[2]), words[asked[2]-1])
	popup.click("confirm-submit")
	popup.wait(`#error:has-text("does not match")`, 10*time.Second)
	popup.fill(`confirm-word"][data-index="`+strconv.Itoa(asked[0]), words[asked[0]-1])
	popup.screenshot("onboarding-confirm")
	popup.click("confirm-submit")
	popup.click("claim")
	popup.wait(`[data-testid="balance"]`, time.Minute)
	st := popup.status()
	if len(st.Chains) != 1 || st.Locked {
		t.Fatalf("status after onboarding = %+v, want one chain, unlocked", st)
	}
	return st.Chains[0].ID, words
}

// testDApp drives the bridge from a web page through the content script,
// as the in-page provider does.
func testDApp(t *testing.T, e *extBrowser, popup *tpage, bob *cli, chain, bobChain string) {
	t.Helper()
	site := dappSite(t)
	dapp := e.page("dapp")
	dapp.open(site)
	origin := strings.TrimSuffix(site, "/")

	wantCode(t, "myriad_chains before connecting", dapp.request("myriad_chains", nil), 4100)
	wantCode(t, "myriad_graphql before connecting", dapp.request("myriad_graphql", map[string]any{"query": "query { chains { id } }"}), 4100)
	wantCode(t, "an unknown method", dapp.request("myriad_exportKeys", nil), 4200)

	// A flood of connection requests: one approval window; the content
	// script answers what exceeds 16 in flight at once (-32005), and the
	// rejection answers the rest (4001).
	const flood = 40
	for i := range flood {
		dapp.send("flood"+strconv.Itoa(i), "myriad_connect", nil)
	}
	approval := e.waitPage("approval0", extURL("approval.html"))
	approval.wait(tid("reject"), 30*time.Second)
	approval.click("reject")
	codes := map[int]int{}
	for i := range flood {
		if a := dapp.answer("flood" + strconv.Itoa(i)); a.Error != nil {
			codes[a.Error.Code]++
		}
	}
	if codes[4001] != 16 || codes[-32005] != flood-16 {
		t.Fatalf("a flood of %d connection requests answered %v, want 16 × 4001 and the rest -32005", flood, codes)
	}
	var windows int
	popup.eval(`async () => (await chrome.windows.getAll({ windowTypes: ['popup'] })).length`, nil, &windows)
	if windows != 0 {
		t.Errorf("%d approval windows are still open after the rejection, want 0", windows)
	}

	// Connect: approved in the approval window.
	dapp.send("connect", "myriad_connect", nil)
	approval = e.waitPage("approval", extURL("approval.html"))
	approval.wait(tid("approve"), 30*time.Second)
	if got := approval.text(tid("origin")); got != origin {
		t.Errorf("the approval shows origin %q, want %q", got, origin)
	}
	approval.screenshot("approval-connect")
	approval.click("approve")
	a := dapp.answer("connect")
	if a.Error != nil || !strings.Contains(toJSON(a.Result), chain) {
		t.Fatalf("myriad_connect answered %+v, want the chain %s", a, chain)
	}

	// A query passes without asking.
	a = dapp.request("myriad_graphql", map[string]any{"query": "query ($c: String!) { chain(chainId: $c) { balance } }", "variables": map[string]any{"c": chain}})
	if a.Error != nil || !strings.Contains(toJSON(a.Result), `"balance"`) {
		t.Fatalf("a query from the connected site answered %+v", a)
	}

	// A mutation: rejected → 4001; approved → the block's hash.
	transfer := map[string]any{"query": `mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "1") }`,
		"variables": map[string]any{"c": chain, "to": bobChain}}
	dapp.send("reject", "myriad_graphql", transfer)
	approval = e.waitPage("approval2", extURL("approval.html"))
	approval.wait(tid("reject"), 30*time.Second)
	approval.click("reject")
	wantCode(t, "a rejected mutation", dapp.answer("reject"), 4001)
	dapp.send("approve", "myriad_graphql", transfer)
	approval = e.waitPage("approval3", extURL("approval.html"))
	approval.wait(tid("approve"), 30*time.Second)
	// The approval shows what the block does, as the wallet's node ran it.
	if bal := approval.text(tid("preview-balance")); !strings.Contains(bal, "Chain account") || !strings.Contains(bal, "-1") {
		t.Errorf("the approval's balance change reads %q, want the chain account's -1 (and fees)", bal)
	}
	if msg := approval.text(tid("preview-message")); !strings.Contains(msg, bobChain[:8]) || !strings.Contains(msg, "credit 1 to") {
		t.Errorf("the approval's message reads %q, want a credit of 1 to %s", msg, bobChain)
	}
	approval.screenshot("approval-mutation")
	approval.click("approve")
	a = dapp.answer("approve")
	hash, _ := field(a.Result, "data", "transfer").(string)
	if a.Error != nil || len(hash) != 64 {
		t.Fatalf("an approved mutation answered %+v, want the block's hash", a)
	}
	dapp.waitEvent("notification", hash)

	// The wallet follows bob's chain (its own page asks): bob's next block
	// reaches the wallet but not the site, which hears only of the chains
	// it may use.
	gql := func(query string, vars map[string]any) map[string]any {
		t.Helper()
		var r struct {
			Data   map[string]any
			Errors []struct{ Message string }
		}
		popup.swCall("graphql", []any{query, vars}, &r)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %s", query, r.Errors[0].Message)
		}
		return r.Data
	}
	followed := gql(`mutation ($c: String!) { followChain(chainId: $c) { id owner height } }`, map[string]any{"c": bobChain})
	if f, _ := followed["followChain"].(map[string]any); f["owner"] != nil {
		t.Errorf("followChain(bob's chain) = %v, want it followed without a key", followed)
	}
	before, _ := field(followed, "followChain", "height").(float64)
	bob.processInbox(1) // bob takes the transfer: a block on his chain
	poll(t, 30*time.Second, "bob's new block in the browser wallet", func() bool {
		h, _ := field(gql(`query ($c: String!) { chain(chainId: $c) { height } }`, map[string]any{"c": bobChain}), "chain", "height").(float64)
		return h > before
	})
	own := gql(`mutation ($c: String!, $to: String!) { transfer(chainId: $c, recipient: $to, amount: "0.5") }`, map[string]any{"c": chain, "to": bobChain})
	dapp.waitEvent("notification", own["transfer"].(string))
	var leaked bool
	dapp.eval(`(c) => window.events.some((e) => e.event === 'notification' && e.data?.chainId === c)`, bobChain, &leaked)
	if leaked {
		t.Errorf("the site heard of bob's chain, which the wallet follows but the site may not use")
	}

	// A block that would fail is refused at once, with no approval window.
	overdraft := map[string]any{"query": strings.Replace(transfer["query"].(string), `amount: "1"`, `amount: "999999999"`, 1),
		"variables": transfer["variables"]}
	a = dapp.request("myriad_graphql", overdraft)
	wantCode(t, "a mutation whose block would fail", a, -32003)
	if !strings.Contains(a.Error.Message, "insufficient") {
		t.Errorf("the failing mutation says %q, want why (insufficient funds)", a.Error.Message)
	}
	popup.eval(`async () => (await chrome.windows.getAll({ windowTypes: ['popup'] })).length`, nil, &windows)
	if windows != 0 {
		t.Errorf("a mutation that would fail opened %d approval windows, want none", windows)
	}

	// Locked, the wallet refuses a site's mutation at once (4100, no
	// approval window) and still answers its queries.
	popup.swCall("lock", nil, nil)
	wantCode(t, "a mutation while locked", dapp.request("myriad_graphql", transfer), 4100)
	popup.eval(`async () => (await chrome.windows.getAll({ windowTypes: ['popup'] })).length`, nil, &windows)
	if windows != 0 {
		t.Errorf("a mutation while locked opened %d approval windows, want none", windows)
	}
	if a := dapp.request("myriad_graphql", map[string]any{"query": "query { chains { id } }"}); a.Error != nil {
		t.Errorf("a query while locked answered %+v", a)
	}
	popup.swCall("unlock", []any{extPassword}, nil)

	// The page cannot reach control calls: the content script relays only
	// bridge methods, and the service worker refuses its runtime messages.
	wantCode(t, "a control call through the bridge", dapp.request("unlock", []any{extPassword}), 4200)

	// Revoked in the popup's Sites: the site is cut off.
	popup.click("nav-sites")
	popup.click(`revoke"][data-origin="` + origin)
	popup.wait(`text=No site is connected`, 10*time.Second)
	dapp.waitEvent("accountsChanged", "[]")
	wantCode(t, "a query after revoking", dapp.request("myriad_graphql", map[string]any{"query": "query { chains { id } }"}), 4100)
	popup.click("nav-home")
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
