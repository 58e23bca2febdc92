package bridge

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/browser"
)

// site builds inpage.js (build.sh) and the Wallet Standard test app, and
// serves them with testdata from two origins: the page's and another.
func site(t *testing.T) (page, other string) {
	t.Helper()
	trackSources(t)
	dir := t.TempDir()
	if out, err := exec.Command("./build.sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	esbuild := exec.Command("node_modules/.bin/esbuild", "testdata/app.js", "--bundle", "--format=iife",
		"--log-level=warning", "--outfile="+filepath.Join(dir, "app.js"))
	if out, err := esbuild.CombinedOutput(); err != nil {
		t.Fatalf("esbuild testdata/app.js: %v\n%s", err, out)
	}
	for _, name := range []string{"index.html", "helpers.js", "stub.js", "hostile.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := httptest.NewServer(http.FileServer(http.Dir(dir)))
	b := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	return a.URL + "/", b.URL + "/"
}

// trackSources opens the files build.sh and esbuild read, so that go
// test's cache, which only sees what the test process itself opens, runs
// the test again when one of them changes.
func trackSources(t *testing.T) {
	t.Helper()
	for _, dir := range []string{"src", "testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			_, err = os.ReadFile(path)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"build.sh", "package.json", "package-lock.json"} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
}

// testLog writes the page's console into the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestInpage runs each case on a freshly loaded page: the provider with
// the stub content script and the Wallet Standard app.
func TestInpage(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if why := browser.Skip(root); why != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests cannot run: %s", why)
		}
		t.Skipf("browser tests cannot run: %s", why)
	}
	if _, err := os.Stat("node_modules/.bin/esbuild"); err != nil && os.Getenv("CI") == "" {
		t.Skip("bridge/node_modules missing (scripts/setup.sh runs npm ci there)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	page, other := site(t)
	t.Logf("built inpage.js and the test app in %v", time.Since(start).Round(time.Millisecond))
	b, err := browser.Start(ctx, browser.Config{Root: root, Log: testLog{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := b.Goto(ctx, page); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			var got any
			if err := b.Eval(ctx, c.fn, map[string]string{"other": other}, &got); err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatalf("bad want %s: %v", c.want, err)
			}
			if g, w := canonical(t, got), canonical(t, want); g != w {
				t.Errorf("%s:\n got %s\nwant %s", c.name, g, w)
			}
		})
	}
}

// canonical is v as JSON with sorted keys.
func canonical(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
