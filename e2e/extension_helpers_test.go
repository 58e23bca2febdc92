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

// extensionID is the id Chrome gives the extension: manifest/manifest.json
// pins it with its "key" (build/extension.sh prints it).
const extensionID = "elfcefhchegdnichncnddkihicdplome"

// extURL is the URL of one of the extension's pages.
func extURL(page string) string { return "chrome-extension://" + extensionID + "/" + page }

// buildExtension starts assembling the extension (build/extension.sh, as
// `make extension`) into a temporary folder, while the caller starts the
// network; the function it returns waits for the build and answers the
// folder.
func buildExtension(t *testing.T) func() string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "extension")
	cmd := exec.Command(filepath.Join(repoRoot(t), "build/extension.sh"), dir)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return func() string {
		t.Helper()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("build the extension: %v\n%s", err, out.String())
		}
		t.Logf("%s", strings.TrimSpace(out.String()))
		return dir
	}
}

// artifacts returns the folder for the test's screenshots:
// $MYRIAD_ARTIFACTS/TEST if set, else a folder under the system's temporary
// folder that is kept (and logged) after the test.
func artifacts(t *testing.T) string {
	t.Helper()
	var dir string
	if root := os.Getenv("MYRIAD_ARTIFACTS"); root != "" {
		dir = filepath.Join(root, t.Name())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	} else {
		d, err := os.MkdirTemp("", "myriad-artifacts-"+strings.ReplaceAll(t.Name(), "/", "-")+"-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// extBrowser is Chromium with the extension on a persistent profile.
type extBrowser struct {
	t       *testing.T
	ctx     context.Context
	b       *browser.Browser
	ext     string
	profile string
	shots   string
}

// startExtBrowser starts Chromium with the extension in ext on profile.
func startExtBrowser(t *testing.T, ctx context.Context, ext, profile, shots string) *extBrowser {
	t.Helper()
	b, err := browser.Start(ctx, browser.Config{Root: repoRoot(t), Log: testLog{t}, Extension: ext, Profile: profile})
	if err != nil {
		t.Fatal(err)
	}
	e := &extBrowser{t: t, ctx: ctx, b: b, ext: ext, profile: profile, shots: shots}
	t.Cleanup(func() { b.Close() })
	return e
}

// restart closes the browser and starts it again on the same profile.
func (e *extBrowser) restart() {
	e.t.Helper()
	if err := e.b.Close(); err != nil {
		e.t.Fatalf("close the browser: %v", err)
	}
	b, err := browser.Start(e.ctx, browser.Config{Root: repoRoot(e.t), Log: testLog{e.t}, Extension: e.ext, Profile: e.profile})
	if err != nil {
		e.t.Fatal(err)
	}
	e.b = b
	e.t.Cleanup(func() { b.Close() })
}

// page is a page of the browser with the test's failure handling.
type tpage struct {
	e *extBrowser
	p *browser.Page
}

func (e *extBrowser) page(name string) *tpage { return &tpage{e: e, p: e.b.Page(name)} }

// must fails the test on err, with what the page shows.
func (p *tpage) must(err error) {
	p.e.t.Helper()
	if err == nil {
		return
	}
	var text string
	if p.p.Eval(p.e.ctx, `() => document.body.innerText`, nil, &text) == nil {
		p.e.t.Logf("the page shows:\n%s", text)
	}
	p.e.t.Fatal(err)
}

func (p *tpage) open(url string)  { p.e.t.Helper(); p.must(p.p.Open(p.e.ctx, url)) }
func (p *tpage) goto_(url string) { p.e.t.Helper(); p.must(p.p.Goto(p.e.ctx, url)) }
func (p *tpage) reload()          { p.e.t.Helper(); p.must(p.p.Reload(p.e.ctx)) }
func (p *tpage) click(testid string) {
	p.e.t.Helper()
	p.must(p.p.Click(p.e.ctx, tid(testid)))
}
func (p *tpage) fill(testid, value string) {
	p.e.t.Helper()
	p.must(p.p.Fill(p.e.ctx, tid(testid), value))
}
func (p *tpage) wait(selector string, timeout time.Duration) {
	p.e.t.Helper()
	p.must(p.p.WaitFor(p.e.ctx, selector, timeout))
}
func (p *tpage) text(selector string) string {
	p.e.t.Helper()
	s, err := p.p.Text(p.e.ctx, selector)
	p.must(err)
	return strings.TrimSpace(s)
}
func (p *tpage) eval(fn string, arg, out any) {
	p.e.t.Helper()
	p.must(p.p.Eval(p.e.ctx, fn, arg, out))
}
func (p *tpage) screenshot(name string) {
	p.e.t.Helper()
	p.must(p.p.Screenshot(p.e.ctx, filepath.Join(p.e.shots, name+".png")))
}

// tid is the selector of the element with data-testid id (and optional
// attributes, as `balance"][data-chain="X`).
func tid(id string) string { return `[data-testid="` + id + `"]` }

// waitPage names the next page at prefix (an approval window).
func (e *extBrowser) waitPage(name, prefix string) *tpage {
	e.t.Helper()
	p, err := e.b.WaitPage(e.ctx, name, prefix)
	if err != nil {
		e.t.Fatal(err)
	}
	return &tpage{e: e, p: p}
}

// status asks the service worker for the wallet's status from an
// extension page.
type extStatus struct {
	Exists, Locked bool
	SessionKept    bool
	Chains         []struct{ ID, Owner string }
	Validators     []struct {
		Address, CommitteeAddress, PublicKey string
		Custom                               bool
	}
}

func (p *tpage) status() extStatus {
	p.e.t.Helper()
	var st extStatus
	p.eval(`async () => { const r = await chrome.runtime.sendMessage({ to: 'sw', op: 'status', args: [] }); if (r.error) throw new Error(r.error.message); return r.result; }`, nil, &st)
	return st
}

// swCall calls a control operation of the service worker from an
// extension page.
func (p *tpage) swCall(op string, args []any, out any) {
	p.e.t.Helper()
	p.eval(`async (a) => { const r = await chrome.runtime.sendMessage({ to: 'sw', op: a.op, args: a.args }); if (r.error) throw new Error(r.error.code + ': ' + r.error.message); return r.result; }`,
		map[string]any{"op": op, "args": args}, out)
}

// dappPage is a plain web page on 127.0.0.1 for the bridge tests.
const dappPage = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>dApp</title>
<h1>A test dApp</h1>
<script>
// send posts a request to the content script as the bridge's provider
// does (docs/bridge-protocol.md) and keeps its answer's promise by key.
window.answers = {};
window.events = [];
addEventListener('message', (ev) => {
  if (ev.source === window && ev.data && ev.data.target === 'myriad-inpage' && typeof ev.data.event === 'string') window.events.push(ev.data);
});
let nextId = 1;
window.send = (key, method, params) => {
  const id = nextId++;
  window.answers[key] = new Promise((resolve) => {
    addEventListener('message', function f(ev) {
      if (ev.source !== window || !ev.data || ev.data.target !== 'myriad-inpage' || ev.data.id !== id) return;
      removeEventListener('message', f);
      resolve(ev.data);
    });
  });
  postMessage({ target: 'myriad-contentscript', id, method, params }, location.origin);
};
</script>`

// dappSite serves dappPage on 127.0.0.1 until the test ends.
func dappSite(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, dappPage)
	})}
	go srv.Serve(l) //nolint:errcheck // closed at cleanup
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String() + "/"
}

// bridgeAnswer is what the content script posts back to the page.
type bridgeAnswer struct {
	Result any `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// send starts a bridge request in the dApp page under key.
func (p *tpage) send(key, method string, params any) {
	p.e.t.Helper()
	p.eval(`(a) => { window.send(a.key, a.method, a.params); }`, map[string]any{"key": key, "method": method, "params": params}, nil)
}

// answer waits for the answer of the request under key.
func (p *tpage) answer(key string) bridgeAnswer {
	p.e.t.Helper()
	var a bridgeAnswer
	p.eval(`(key) => Promise.race([window.answers[key], new Promise((r) => setTimeout(() => r({ error: { code: -1, message: 'no answer in 60 s' } }), 60000))])`, key, &a)
	return a
}

// request sends a bridge request and waits for its answer.
func (p *tpage) request(method string, params any) bridgeAnswer {
	p.e.t.Helper()
	key := fmt.Sprintf("r%d", time.Now().UnixNano())
	p.send(key, method, params)
	return p.answer(key)
}

// wantCode checks that a bridge answer is the error code.
func wantCode(t *testing.T, what string, a bridgeAnswer, code int) {
	t.Helper()
	if a.Error == nil || a.Error.Code != code {
		t.Fatalf("%s answered %+v, want error %d", what, a, code)
	}
}

// poll calls f every 250 ms until it is true, for at most d.
func poll(t *testing.T, d time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// waitEvent waits for a bridge event named name whose data's JSON
// contains want.
func (p *tpage) waitEvent(name, want string) {
	p.e.t.Helper()
	poll(p.e.t, 30*time.Second, "event "+name+" with "+want, func() bool {
		var ok bool
		p.eval(`(a) => window.events.some((e) => e.event === a.name && JSON.stringify(e.data ?? null).includes(a.want))`,
			map[string]any{"name": name, "want": want}, &ok)
		return ok
	})
}
