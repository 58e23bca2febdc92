// Package browser drives a headless Chromium page from Go tests: it runs
// scripts/browser/driver.mjs (playwright-core with Debian's chromium) and
// speaks its line protocol, so an end-to-end test can load the wallet's
// page, call its JavaScript API, reload the page and go on, while it
// drives validators and the CLI from Go.
//
//	b, err := browser.Start(ctx, browser.Config{Root: repoRoot})
//	defer b.Close()
//	err = b.Goto(ctx, srv.URL)
//	var height int
//	err = b.Eval(ctx, `async (id) => (await myriadWallet.status()).height`, id, &height)
//
// With Config.Extension the browser is a persistent profile with an
// unpacked extension loaded, and a test works with several named pages
// (the extension's popup, a dApp, an approval window):
//
//	b, err := browser.Start(ctx, browser.Config{Root: root, Extension: dir, Profile: t.TempDir()})
//	popup := b.Page("popup")
//	err = popup.Open(ctx, "chrome-extension://ID/popup.html")
//	err = popup.Fill(ctx, `[data-testid="password"]`, "secret")
//	approval, err := b.WaitPage(ctx, "approval", "chrome-extension://ID/approval.html")
//	err = b.StopServiceWorkers(ctx)
//
// Skip reports why a test cannot run here (no node, no chromium, no
// playwright-core): tests skip with it locally and fail with it in CI.
package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Config says where the driver lives and where the page's console goes.
type Config struct {
	// Root is the repository root (scripts/browser is under it).
	Root string
	// Log gets the page's console and the driver's errors; nil: os.Stderr.
	Log io.Writer
	// Extension, if set, is the folder of an unpacked extension to load;
	// the browser then runs on the persistent profile in Profile (a
	// folder that a later Start with the same Profile finds again).
	Extension string
	// Profile is the user data folder when Extension is set.
	Profile string
}

// Browser is one Chromium page. Its methods may be called from one
// goroutine at a time.
type Browser struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	mu     sync.Mutex
	nextID int
}

// Chromium is the browser binary the driver launches.
func Chromium() string {
	if p := os.Getenv("MYRIAD_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Skip returns why a browser cannot be started here, or "" if it can.
func Skip(root string) string {
	if _, err := exec.LookPath("node"); err != nil {
		return "node not found (scripts/setup.sh installs it)"
	}
	if _, err := os.Stat(Chromium()); err != nil {
		return fmt.Sprintf("chromium not found at %s (scripts/setup.sh installs Debian's chromium)", Chromium())
	}
	if _, err := os.Stat(filepath.Join(root, "scripts/browser/node_modules/playwright-core")); err != nil {
		return "playwright-core not installed in scripts/browser (scripts/setup.sh runs npm ci there)"
	}
	return ""
}

// Start launches the driver and its browser. ctx bounds the whole session:
// when it ends the driver is killed.
func Start(ctx context.Context, cfg Config) (*Browser, error) {
	if why := Skip(cfg.Root); why != "" {
		return nil, errors.New("browser: " + why)
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	args := []string{filepath.Join(cfg.Root, "scripts/browser/driver.mjs")}
	if cfg.Extension != "" {
		if cfg.Profile == "" {
			return nil, errors.New("browser: an extension needs a Profile folder")
		}
		args = append(args, "--extension", cfg.Extension, "--profile", cfg.Profile)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = filepath.Join(cfg.Root, "scripts/browser")
	cmd.Stderr = cfg.Log
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("browser: start driver: %w", err)
	}
	return &Browser{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}, nil
}

type request struct {
	ID       int    `json:"id"`
	Op       string `json:"op"`
	Page     string `json:"page,omitempty"`
	URL      string `json:"url,omitempty"`
	Fn       string `json:"fn,omitempty"`
	Arg      any    `json:"arg,omitempty"`
	Selector string `json:"selector,omitempty"`
	Value    string `json:"value,omitempty"`
	State    string `json:"state,omitempty"`
	Path     string `json:"path,omitempty"`
	Timeout  int64  `json:"timeout,omitempty"`
	Interval int64  `json:"interval,omitempty"`
}

type reply struct {
	ID    int             `json:"id"`
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error string          `json:"error"`
}

// call sends one request and waits for its reply (or ctx).
func (b *Browser) call(ctx context.Context, req request) (json.RawMessage, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	req.ID = b.nextID
	line, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	if _, err := b.in.Write(append(line, '\n')); err != nil {
		return nil, fmt.Errorf("browser: driver gone: %w", err)
	}
	type result struct {
		r   reply
		err error
	}
	got := make(chan result, 1)
	go func() {
		l, err := b.out.ReadBytes('\n')
		if err != nil {
			got <- result{err: fmt.Errorf("browser: driver gone: %w", err)}
			return
		}
		var r reply
		if err := json.Unmarshal(l, &r); err != nil {
			got <- result{err: fmt.Errorf("browser: bad reply %q: %w", l, err)}
			return
		}
		got <- result{r: r}
	}()
	select {
	case <-ctx.Done():
		b.cmd.Process.Kill() //nolint:errcheck // the session is over either way
		return nil, fmt.Errorf("browser: %s: %w", req.Op, ctx.Err())
	case res := <-got:
		if res.err != nil {
			return nil, res.err
		}
		if res.r.ID != req.ID {
			return nil, fmt.Errorf("browser: reply %d to request %d", res.r.ID, req.ID)
		}
		if !res.r.OK {
			return nil, fmt.Errorf("browser: %s: %s", req.Op, res.r.Error)
		}
		return res.r.Value, nil
	}
}

// Goto loads url in the first page.
func (b *Browser) Goto(ctx context.Context, url string) error { return b.Page("").Goto(ctx, url) }

// Reload reloads the first page (the wallet's memory is gone; IndexedDB
// stays).
func (b *Browser) Reload(ctx context.Context) error { return b.Page("").Reload(ctx) }

// Eval runs fn, the source of a JavaScript function of one argument, in
// the first page with arg (JSON), awaits it and decodes its result into
// out (nil: discarded). A rejected promise is an error with its message.
func (b *Browser) Eval(ctx context.Context, fn string, arg, out any) error {
	return b.Page("").Eval(ctx, fn, arg, out)
}

// Page returns the page named name ("" is the first page). It need not
// exist yet: Open or WaitPage makes it.
func (b *Browser) Page(name string) *Page { return &Page{b: b, name: name} }

// WaitPage waits (up to a minute) for a page whose URL starts with
// prefix and that has no name yet, such as a window the extension opens,
// and names it.
func (b *Browser) WaitPage(ctx context.Context, name, prefix string) (*Page, error) {
	_, err := b.call(ctx, request{Op: "waitPage", Page: name, URL: prefix, Timeout: time.Minute.Milliseconds()})
	if err != nil {
		return nil, err
	}
	return b.Page(name), nil
}

// StopServiceWorkers stops every service worker (the extension's too)
// through the DevTools protocol, as Chrome does to an idle one.
func (b *Browser) StopServiceWorkers(ctx context.Context) error {
	_, err := b.call(ctx, request{Op: "stopWorkers"})
	return err
}

// StartProfile starts the DevTools CPU profiler in the page, sampling
// every interval (0: 100 µs). A Go js/wasm program's functions appear by
// name if it was linked without -s.
func (p *Page) StartProfile(ctx context.Context, interval time.Duration) error {
	_, err := p.do(ctx, request{Op: "profileStart", Interval: interval.Microseconds()})
	return err
}

// StopProfile stops the profiler StartProfile started and writes its
// profile to path (the JSON of a .cpuprofile, which DevTools opens).
func (p *Page) StopProfile(ctx context.Context, path string) error {
	_, err := p.do(ctx, request{Op: "profileStop", Path: path})
	return err
}

// Page is a named page of the browser.
type Page struct {
	b    *Browser
	name string
}

func (p *Page) do(ctx context.Context, req request) (json.RawMessage, error) {
	req.Page = p.name
	return p.b.call(ctx, req)
}

// Open opens a new page at url under p's name.
func (p *Page) Open(ctx context.Context, url string) error {
	_, err := p.do(ctx, request{Op: "open", URL: url})
	return err
}

// Goto loads url in the page.
func (p *Page) Goto(ctx context.Context, url string) error {
	_, err := p.do(ctx, request{Op: "goto", URL: url})
	return err
}

// Reload reloads the page.
func (p *Page) Reload(ctx context.Context) error {
	_, err := p.do(ctx, request{Op: "reload"})
	return err
}

// Eval is Browser.Eval in this page.
func (p *Page) Eval(ctx context.Context, fn string, arg, out any) error {
	v, err := p.do(ctx, request{Op: "eval", Fn: fn, Arg: arg})
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(v, out); err != nil {
		return fmt.Errorf("browser: decode %s: %w", v, err)
	}
	return nil
}

// Click clicks the element selector names (a Playwright selector), once
// it is visible and enabled (up to 30 s).
func (p *Page) Click(ctx context.Context, selector string) error {
	_, err := p.do(ctx, request{Op: "click", Selector: selector})
	return err
}

// Fill types value into the field selector names.
func (p *Page) Fill(ctx context.Context, selector, value string) error {
	_, err := p.do(ctx, request{Op: "fill", Selector: selector, Value: value})
	return err
}

// Press presses key (such as "Enter") in the element selector names.
func (p *Page) Press(ctx context.Context, selector, key string) error {
	_, err := p.do(ctx, request{Op: "press", Selector: selector, Value: key})
	return err
}

// WaitFor waits until the element selector names is visible, up to
// timeout.
func (p *Page) WaitFor(ctx context.Context, selector string, timeout time.Duration) error {
	_, err := p.do(ctx, request{Op: "wait", Selector: selector, Timeout: timeout.Milliseconds()})
	return err
}

// Text returns the text of the element selector names.
func (p *Page) Text(ctx context.Context, selector string) (string, error) {
	v, err := p.do(ctx, request{Op: "text", Selector: selector})
	if err != nil {
		return "", err
	}
	var s *string
	if err := json.Unmarshal(v, &s); err != nil || s == nil {
		return "", fmt.Errorf("browser: text of %s: %s", selector, v)
	}
	return *s, nil
}

// Screenshot saves a PNG of the whole page to path.
func (p *Page) Screenshot(ctx context.Context, path string) error {
	_, err := p.do(ctx, request{Op: "screenshot", Path: path})
	return err
}

// Close closes the page.
func (p *Page) Close(ctx context.Context) error {
	_, err := p.do(ctx, request{Op: "closePage"})
	return err
}

// Close closes the browser and waits for the driver to exit.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := b.call(ctx, request{Op: "close"})
	b.in.Close()
	werr := b.cmd.Wait()
	if err != nil {
		return err
	}
	if werr != nil {
		return fmt.Errorf("browser: driver: %w", werr)
	}
	return nil
}
