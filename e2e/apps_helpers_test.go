package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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
func netUp(t testing.TB, ctx context.Context) *localnet.Network {
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
func writeApp(t testing.TB, name string) (contract, service string) {
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

// service runs `myriad service` for the wallet (with more flags, such as
// --allow-origin) until the test ends and returns its base URL.
func (c *cli) service(ctx context.Context, flags ...string) string {
	c.t.Helper()
	args := append([]string{"--wallet", c.wallet, "service", "--port", "0"}, flags...)
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), args...)
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

// owner returns the owner of the wallet's first chain (its key from the
// faucet).
func (c *cli) owner() string {
	c.t.Helper()
	var v struct {
		Chains []struct {
			Owner string `json:"owner"`
		} `json:"chains"`
	}
	c.must(&v, "wallet", "show")
	if len(v.Chains) == 0 || v.Chains[0].Owner == "" {
		c.t.Fatal("wallet has no owned chain")
	}
	return v.Chains[0].Owner
}

// fail runs a command that must fail and returns its standard error.
func (c *cli) fail(args ...string) string {
	c.t.Helper()
	out, errs, err := c.run(args...)
	if err == nil {
		c.t.Fatalf("myriad %s succeeded (%s), want an error", strings.Join(args, " "), out)
	}
	return errs
}

// accountBalance returns an account's native-token balance (CHAIN:OWNER)
// in the wallet's local node.
func (c *cli) accountBalance(account string) string {
	c.t.Helper()
	var v struct {
		Balance string `json:"balance"`
	}
	c.must(&v, "balance", account)
	return v.Balance
}

// field walks a decoded JSON value along keys.
func field(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// timed runs f and logs how long it took: the report of TestApps names
// the slow steps.
func timed(t *testing.T, what string, f func()) {
	t.Helper()
	start := time.Now()
	f()
	t.Logf("%s: %v", what, time.Since(start).Round(100*time.Millisecond))
}

// processInbox takes the waiting messages of the default chain, or of the
// named chain, into blocks until at least bundles bundles were taken. The
// messages the caller waits for may still be on their way between the
// validators' shards, so it tries a few times.
func (c *cli) processInbox(bundles int, chain ...string) {
	c.t.Helper()
	for range 20 {
		var v struct {
			Bundles int `json:"bundles"`
		}
		c.must(&v, append([]string{"process-inbox"}, chain...)...)
		if bundles -= v.Bundles; bundles <= 0 {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.t.Fatalf("process-inbox %s: %d more bundles did not arrive", strings.Join(chain, " "), bundles)
}
