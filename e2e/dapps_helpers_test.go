package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/browser"
)

// dappServer serves the sample dApps (e2e/dapps) on 127.0.0.1 until the
// test ends. With a relay config it also serves the in-page provider
// (bridge/build.sh) and testdata/relay.js, and puts them into every page,
// so the pages run without the extension; set the config before loading
// a page.
type dappServer struct {
	URL    string // http://127.0.0.1:PORT/
	Origin string // http://127.0.0.1:PORT
	mu     sync.Mutex
	config map[string]any // window.relayConfig; nil: no relay (the extension injects the provider)
}

func serveDapps(t testing.TB, relay bool) *dappServer {
	t.Helper()
	root := repoRoot(t)
	s := &dappServer{}
	mux := http.NewServeMux()
	pages := http.FileServer(http.Dir(filepath.Join(root, "e2e/dapps")))
	if relay {
		dir := t.TempDir()
		if out, err := exec.Command(filepath.Join(root, "bridge/build.sh"), dir).CombinedOutput(); err != nil {
			t.Fatalf("bridge/build.sh: %v\n%s", err, out)
		}
		mux.HandleFunc("/_test/inpage.js", func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, filepath.Join(dir, "inpage.js"))
		})
		mux.HandleFunc("/_test/relay.js", func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, filepath.Join(root, "e2e/testdata/relay.js"))
		})
		mux.HandleFunc("/_test/config.js", func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			b, _ := json.Marshal(s.config)
			s.mu.Unlock()
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, "window.relayConfig = %s;\n", b)
		})
		pages = withRelay(pages, filepath.Join(root, "e2e/dapps"))
	}
	mux.Handle("/", pages)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.Origin = srv.URL
	s.URL = srv.URL + "/"
	return s
}

// setConfig sets window.relayConfig for the pages loaded after it.
func (s *dappServer) setConfig(c map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.config = c
}

// relayScripts go first in every page's head: the config, the provider and
// the stand-in content script.
const relayScripts = `<script src="/_test/config.js"></script><script src="/_test/inpage.js"></script><script src="/_test/relay.js"></script>`

// withRelay serves the .html pages with relayScripts put in front of their
// style sheet, and everything else as next does.
func withRelay(next http.Handler, dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		if !strings.HasSuffix(name, ".html") {
			next.ServeHTTP(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Replace(string(b), `<link rel="stylesheet"`, relayScripts+"\n"+`<link rel="stylesheet"`, 1))) //nolint:errcheck // the client went away
	})
}

// ui drives a dApp page in the browser; its screenshots go to shots.
type ui struct {
	t     testing.TB
	ctx   context.Context
	p     *browser.Page
	shots string
}

// eval runs a JavaScript function of arg in the page.
func (u ui) eval(fn string, arg, out any) {
	u.t.Helper()
	if err := u.p.Eval(u.ctx, fn, arg, out); err != nil {
		u.t.Fatal(err)
	}
}

// press presses key in the element selector names, as a user would.
func (u ui) press(selector, key string) {
	u.t.Helper()
	if err := u.p.Press(u.ctx, selector, key); err != nil {
		u.t.Fatal(err)
	}
}

// wait waits until the JavaScript expression cond (about the page) is
// truthy, and returns the page's status line.
func (u ui) wait(what, cond string, timeout time.Duration) string {
	u.t.Helper()
	var status string
	fn := fmt.Sprintf(`async (ms) => {
		const deadline = performance.now() + ms;
		const status = () => { const s = document.getElementById('status'); return s?.title || s?.textContent || ''; };
		while (!(%s)) {
			if (performance.now() > deadline) throw new Error('timed out; status: ' + status());
			await new Promise((r) => setTimeout(r, 100));
		}
		return status();
	}`, cond)
	if err := u.p.Eval(u.ctx, fn, timeout.Milliseconds(), &status); err != nil {
		u.t.Fatalf("waiting for %s: %v", what, err)
	}
	return status
}

// text returns the text of the element matching a CSS selector.
func (u ui) text(selector string) string {
	u.t.Helper()
	var s string
	u.eval(`(sel) => document.querySelector(sel)?.textContent ?? null`, selector, &s)
	return strings.TrimSpace(s)
}

// submit fills a form's fields (by name) and submits it as a click on its
// button would.
func (u ui) submit(form string, fields map[string]string) {
	u.t.Helper()
	u.eval(`({ form, fields }) => {
		const f = document.getElementById(form);
		for (const [k, v] of Object.entries(fields)) f.elements[k].value = v;
		if (!f.reportValidity()) throw new Error('form ' + form + ' is not valid');
		const status = document.getElementById('status');
		status.textContent = status.title = '';
		status.dataset.block = '';
		f.requestSubmit();
	}`, map[string]any{"form": form, "fields": fields}, nil)
}

// mutation waits for the status line to report the mutation's outcome
// and returns the block hash (empty when it failed).
func (u ui) mutation(what string) (hash, status string) {
	u.t.Helper()
	status = u.wait(what, `/: done|failed/.test(status())`, 3*time.Minute)
	u.eval(`() => document.getElementById('status').dataset.block ?? ''`, nil, &hash)
	return hash, status
}

// screenshot saves the page as name.png in u.shots.
func (u ui) screenshot(name string) {
	u.t.Helper()
	path := filepath.Join(u.shots, name+".png")
	if err := u.p.Screenshot(u.ctx, path); err != nil {
		u.t.Fatal(err)
	}
	u.t.Logf("screenshot %s", path)
}

// connect clicks Connect and waits until the page has read the app.
func (u ui) connect(ready string) {
	u.t.Helper()
	u.wait("the wallet", `!document.getElementById('connect').disabled`, 20*time.Second)
	u.eval(`() => document.getElementById('connect').click()`, nil, nil)
	u.wait("the connection and the app's state", ready, 2*time.Minute)
}
