package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/internal/localnet"
)

// netUp starts `myriad net up` (4 validators × 2 shards) until the test
// ends.
func netUp(t *testing.T, ctx context.Context) *localnet.Network {
	t.Helper()
	dir := t.TempDir()
	up := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), "net", "up", "--path", dir,
		"--validators", "4", "--shards", "2", "--port-base", "0", "--faucet-port", "0")
	var out bytes.Buffer
	up.Stdout, up.Stderr = &out, &out
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		up.Process.Signal(os.Interrupt) //nolint:errcheck // stopping
		up.Wait()                       //nolint:errcheck // stopping
	})
	return waitNetwork(t, ctx, dir, up)
}

// writeApp writes a sample app's modules to files for the CLI.
func writeApp(t *testing.T, name string) (contract, service string) {
	c, s := appstest.Build(t, name)
	dir := t.TempDir()
	contract, service = filepath.Join(dir, "contract.wasm"), filepath.Join(dir, "service.wasm")
	if err := os.WriteFile(contract, c, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(service, s, 0o644); err != nil {
		t.Fatal(err)
	}
	return contract, service
}

type createdView struct {
	Application string `json:"application"`
	Module      string `json:"module"`
}

func (c *cli) publishAndCreate(name string, args ...string) string {
	c.t.Helper()
	contract, service := writeApp(c.t, name)
	var v createdView
	c.must(&v, append([]string{"publish-and-create", contract, service}, args...)...)
	if len(v.Application) != 64 {
		c.t.Fatalf("publish-and-create %s printed no application id: %+v", name, v)
	}
	return v.Application
}

// gql runs query-application and returns the service's "data".
func (c *cli) gql(app, query string, args ...string) map[string]any {
	c.t.Helper()
	var v struct {
		Response struct {
			Data   map[string]any `json:"data"`
			Errors []any          `json:"errors"`
		} `json:"response"`
	}
	c.must(&v, append([]string{"query-application", app, query}, args...)...)
	if len(v.Response.Errors) > 0 || v.Response.Data == nil {
		c.t.Fatalf("query %s: %+v", query, v.Response)
	}
	return v.Response.Data
}

// mutate runs a mutation through query-application: it must make a block.
func (c *cli) mutate(app, mutation string, args ...string) {
	c.t.Helper()
	var v struct {
		Block *struct {
			Height uint64 `json:"height"`
		} `json:"block"`
	}
	c.must(&v, append([]string{"query-application", app, mutation}, args...)...)
	if v.Block == nil {
		c.t.Fatalf("mutation %s made no block", mutation)
	}
}

// service runs `myriad service` for the wallet until the test ends and
// returns its base URL.
func (c *cli) service(ctx context.Context) string {
	c.t.Helper()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), "--wallet", c.wallet, "service", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt) //nolint:errcheck // stopping
		cmd.Wait()                       //nolint:errcheck // stopping
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		c.t.Fatalf("myriad service: %v\n%s", err, errb.String())
	}
	go io.Copy(io.Discard, stdout) //nolint:errcheck // drain
	f := strings.Fields(line)
	for _, w := range f {
		if strings.HasPrefix(w, "http://") {
			return w
		}
	}
	c.t.Fatalf("myriad service printed no URL: %q", line)
	return ""
}

func post(t *testing.T, url, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	if v["errors"] != nil {
		t.Fatalf("POST %s %s: %v", url, query, v["errors"])
	}
	return v
}


// TestApps runs the sample applications on a real network: published and
// created through the CLI, used through the CLI and the node service.
func TestApps(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	n := netUp(t, ctx)
	alice, bob := newCLI(t), newCLI(t)
	for _, w := range []*cli{alice, bob} {
		w.must(nil, "wallet", "init", "--faucet", n.FaucetURL, "--with-new-chain")
	}
	a, b := alice.chain(), bob.chain()

	t.Run("counter", func(t *testing.T) {
		alice.t = t
		app := alice.publishAndCreate("counter", "--json-argument", "40")
		if v := alice.gql(app, "query { value }")["value"]; v != 40.0 {
			t.Fatalf("value = %v, want 40", v)
		}
		alice.mutate(app, "mutation { increment(value: 2) }")
		if v := alice.gql(app, "query { value }")["value"]; v != 42.0 {
			t.Fatalf("value = %v, want 42", v)
		}
		// Through the node service: a mutation submits a block and
		// answers its hash.
		url := alice.service(ctx) + fmt.Sprintf("/chains/%s/applications/%s", a, app)
		if h, _ := post(t, url, "mutation { increment(value: 5) }")["data"].(string); len(h) != 64 {
			t.Fatalf("mutation answered %v, want a block hash", h)
		}
		got := post(t, url, "query { value }")["data"].(map[string]any)["value"]
		if got != 47.0 {
			t.Fatalf("value through the service = %v, want 47", got)
		}
	})
	_ = b
}
