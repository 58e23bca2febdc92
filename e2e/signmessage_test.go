package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/msgsig"
)

// TestSignMessage runs myriad_signMessage through the extension (built
// as `make extension` builds it) against a real network: a page of an
// unconnected origin gets 4100; once connected, the approval window shows
// the origin and the text exactly (markup stays text), approving answers
// a signature that core/msgsig and `myriad verify-message` accept for that
// origin only and under the connected owner's key, rejecting answers 4001;
// the in-page provider's Wallet Standard feature signs UTF-8 bytes; a
// message too large, or any message while locked, is refused without an
// approval window. Screenshots of the approval go to artifacts(t). The
// wallet core's own signMessage is then checked in a page of its own
// (testCoreSignMessage).
func TestSignMessage(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	start := time.Now()
	built := buildExtension(t)
	net := netUp(t, ctx)
	ext := built()
	e := startExtBrowser(t, ctx, ext, t.TempDir(), artifacts(t))
	popup := e.page("")
	popup.goto_(extURL("popup.html"))
	onboard(t, popup, net.FaucetURL)
	owner := popup.status().Chains[0].Owner
	t.Logf("network, extension and onboarding: %v", time.Since(start).Round(time.Millisecond))

	site, otherSite := dappSite(t), dappSite(t)
	origin := strings.TrimSuffix(site, "/")
	dapp := e.page("dapp")
	dapp.open(site)
	windows := func() int {
		var n int
		popup.eval(`async () => (await chrome.windows.getAll({ windowTypes: ['popup'] })).length`, nil, &n)
		return n
	}

	// Not connected: 4100 at once.
	wantCode(t, "myriad_signMessage before connecting", dapp.request("myriad_signMessage", map[string]any{"message": "hi"}), 4100)
	if n := windows(); n != 0 {
		t.Errorf("myriad_signMessage from an unconnected origin opened %d windows", n)
	}
	dapp.send("connect", "myriad_connect", nil)
	a := e.waitPage("approval-connect", extURL("approval.html"))
	a.wait(tid("approve"), 30*time.Second)
	a.click("approve")
	if ans := dapp.answer("connect"); ans.Error != nil || !strings.Contains(toJSON(ans.Result), owner) {
		t.Fatalf("myriad_connect answered %+v, want owner %s", ans, owner)
	}

	// Approved: the window shows the origin and the text as text; the
	// signature verifies for this origin under the owner's key.
	msg := "Sign in to " + origin + "\n<b>nonce</b>: 8f3a1c & <img src=x onerror=\"document.title='pwned'\">\n  indented — ünïcödé 👍"
	dapp.send("sign", "myriad_signMessage", map[string]any{"message": msg})
	a = e.waitPage("approval-message", extURL("approval.html"))
	a.wait(tid("approve"), 30*time.Second)
	var shown struct {
		Origin, Message string
		Elements        int
		Title           string
	}
	a.eval(`() => { const m = document.querySelector('[data-testid="message"]');
		return { origin: document.querySelector('[data-testid="origin"]').textContent, message: m.textContent,
			elements: m.querySelectorAll('*').length, title: document.title }; }`, nil, &shown)
	if shown.Origin != origin || shown.Message != msg || shown.Elements != 0 || strings.Contains(shown.Title, "pwned") {
		t.Errorf("the approval shows %+v, want origin %q and the message %q as text", shown, origin, msg)
	}
	a.screenshot("approval-message")
	a.click("approve")
	signed := checkSigned(t, dapp.answer("sign"), origin, msg, owner)

	// The CLI agrees, for this origin only.
	cli := newCLI(t)
	args := []string{"verify-message", "--origin", origin, "--public-key", signed.PublicKey, "--signature", signed.Signature, "--owner", owner, msg}
	var verified struct{ Valid bool }
	cli.must(&verified, args...)
	if !verified.Valid {
		t.Errorf("myriad verify-message: %+v", verified)
	}
	args[2] = strings.TrimSuffix(otherSite, "/")
	if out := cli.fail(args...); !strings.Contains(out, "bad signature") {
		t.Errorf("myriad verify-message for another origin: %s, want a bad signature", out)
	}

	// Rejected: 4001.
	dapp.send("reject", "myriad_signMessage", map[string]any{"message": "Transfer everything"})
	a = e.waitPage("approval-message-rejected", extURL("approval.html"))
	a.wait(tid("reject"), 30*time.Second)
	if got := a.text(tid("message")); got != "Transfer everything" {
		t.Errorf("the approval shows %q", got)
	}
	a.click("reject")
	wantCode(t, "a rejected message", dapp.answer("reject"), 4001)

	// The Wallet Standard feature of the in-page provider, with bytes.
	dapp.eval(`() => {
		let wallet;
		window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: { register: (...ws) => { wallet ??= ws.find((w) => w.name === 'Myriad'); return () => {}; } } }));
		window.standardSigned = wallet.features['myriad:signMessage'].signMessage({ message: new TextEncoder().encode('bytes: é') })
			.then((result) => ({ result }), (e) => ({ error: { code: e.code, message: e.message } }));
	}`, nil, nil)
	a = e.waitPage("approval-message-standard", extURL("approval.html"))
	a.wait(tid("approve"), 30*time.Second)
	a.click("approve")
	var std bridgeAnswer
	dapp.eval(`() => window.standardSigned`, nil, &std)
	checkSigned(t, std, origin, "bytes: é", owner)

	// Too large: -32602 without asking. Locked: 4100 without asking.
	wantCode(t, "a message over 16 KiB", dapp.request("myriad_signMessage", map[string]any{"message": strings.Repeat("a", msgsig.MaxMessageSize+1)}), -32602)
	wantCode(t, "a message with a control character", dapp.request("myriad_signMessage", map[string]any{"message": "a\x1bb"}), -32602)
	popup.swCall("lock", nil, nil)
	wantCode(t, "myriad_signMessage while locked", dapp.request("myriad_signMessage", map[string]any{"message": "hi"}), 4100)
	if n := windows(); n != 0 {
		t.Errorf("refused messages opened %d approval windows, want none", n)
	}
	popup.swCall("unlock", []any{extPassword}, nil)

	// Another origin, never connected: 4100.
	other := e.page("other")
	other.open(otherSite)
	wantCode(t, "myriad_signMessage from another origin", other.request("myriad_signMessage", map[string]any{"message": "hi"}), 4100)

	t.Run("core", func(t *testing.T) { testCoreSignMessage(t, e, ext, net.FaucetURL) })
	t.Logf("TestSignMessage took %v", time.Since(start).Round(time.Millisecond))
}

// testCoreSignMessage calls the wallet core's signMessage directly, in a
// page that loads the extension's wallet.js (walletPage) with a wallet of
// its own: without a policy, with one that refuses and one that lets
// everything through, locked, and with malformed requests.
func testCoreSignMessage(t *testing.T, e *extBrowser, ext, faucet string) {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(ext)))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, walletPage)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := e.page("core")
	p.open(srv.URL + "/")
	call := func(fn string, arg, out any) {
		t.Helper()
		p.eval(fmt.Sprintf(`async (arg) => { const w = await window.wallet; return await (%s)(w, arg); }`, fn), arg, out)
	}
	var created struct{ Mnemonic string }
	call(`(w, faucet) => w.create({ password: 'pw', faucet })`, faucet, &created)
	var chain struct{ ID, Owner string }
	call(`(w) => w.claimChain()`, nil, &chain)

	const origin, message = "https://app.example", "Sign in to app.example\nnonce: 1"
	sign := func(req map[string]any) (result map[string]any, code string) {
		t.Helper()
		var r struct {
			Result map[string]any
			Code   string
		}
		call(`(w, req) => w.signMessage(req).then((result) => ({ result }), (e) => ({ code: e.code }))`, req, &r)
		return r.Result, r.Code
	}
	req := map[string]any{"origin": origin, "message": message}
	if _, code := sign(req); code != "DENIED" {
		t.Errorf("signMessage without a policy answered %q, want DENIED", code)
	}
	call(`(w) => w.setPolicy(() => false)`, nil, nil)
	if _, code := sign(req); code != "DENIED" {
		t.Errorf("signMessage refused by the policy answered %q, want DENIED", code)
	}
	call(`(w) => { window.asked = []; return w.setPolicy((c) => { window.asked.push(c); return true; }); }`, nil, nil)
	res, code := sign(req)
	if code != "" {
		t.Fatalf("signMessage answered %q", code)
	}
	keys := make([]string, 0, len(res))
	for k := range res {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, " "); got != "message origin owner publicKey signature" {
		t.Errorf("signMessage answered the fields %s, want message origin owner publicKey signature only", got)
	}
	checkSigned(t, bridgeAnswer{Result: res}, origin, message, chain.Owner)
	var asked []map[string]any
	p.eval(`() => window.asked`, nil, &asked)
	if want := `[{"kind":"signMessage","message":"Sign in to app.example\nnonce: 1","mutation":true,"origin":"https://app.example","owner":""}]`; toJSON(asked) != want {
		t.Errorf("the policy was asked %s, want %s", toJSON(asked), want)
	}

	for _, tt := range []struct {
		req  map[string]any
		want string
	}{
		{map[string]any{"message": message}, "BAD_REQUEST"},
		{map[string]any{"origin": origin + "/", "message": message}, "BAD_REQUEST"},
		{map[string]any{"origin": origin, "message": ""}, "BAD_REQUEST"},
		{map[string]any{"origin": origin, "message": strings.Repeat("a", msgsig.MaxMessageSize+1)}, "BAD_REQUEST"},
		{map[string]any{"origin": origin, "message": message, "owner": "zz"}, "BAD_REQUEST"},
		{map[string]any{"origin": origin, "message": message, "owner": strings.Repeat("0", 63) + "1"}, "UNKNOWN_CHAIN"},
	} {
		if _, code := sign(tt.req); code != tt.want {
			t.Errorf("signMessage(%.80s) answered %q, want %s", toJSON(tt.req), code, tt.want)
		}
	}
	p.eval(`() => { window.asked = []; }`, nil, nil)
	call(`(w) => w.lock()`, nil, nil)
	if _, code := sign(req); code != "LOCKED" {
		t.Errorf("signMessage while locked answered %q, want LOCKED", code)
	}
	call(`(w) => w.unlock('pw')`, nil, nil)
	if res2, code := sign(map[string]any{"origin": origin, "message": message, "owner": chain.Owner}); code != "" || res2["signature"] != res["signature"] {
		t.Errorf("signMessage after unlocking, by owner: %v %q, want the same signature %v", res2, code, res["signature"])
	}
}

// signedAnswer is myriad_signMessage's result.
type signedAnswer struct {
	Signature, PublicKey, Owner, Origin, Message string
}

// checkSigned checks that a myriad_signMessage answer is owner's
// signature of message for origin, and for no other origin.
func checkSigned(t *testing.T, a bridgeAnswer, origin, message, owner string) signedAnswer {
	t.Helper()
	if a.Error != nil {
		t.Fatalf("myriad_signMessage answered %+v", a.Error)
	}
	var s signedAnswer
	b, _ := json.Marshal(a.Result)
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("myriad_signMessage answered %s: %v", b, err)
	}
	if s.Origin != origin || s.Message != message || s.Owner != owner {
		t.Errorf("myriad_signMessage answered %s, want origin %q, message %q, owner %s", b, origin, message, owner)
	}
	pub, err := keys.ParsePublicKey(s.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := keys.ParseSignature(s.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Owner().String() != owner {
		t.Errorf("the public key %s is owner %s's, want %s", pub, pub.Owner(), owner)
	}
	if err := msgsig.Verify(pub, origin, message, sig); err != nil {
		t.Errorf("msgsig.Verify(%q, %q) = %v", origin, message, err)
	}
	if err := msgsig.Verify(pub, "https://evil.example", message, sig); err == nil {
		t.Errorf("the signature for %s verifies for https://evil.example", origin)
	}
	return s
}
