package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/localnet"
)

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "myriad-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	out, err := exec.Command("go", "build", "-o", dir+"/", "github.com/myriadchain/myriad/cmd/myriad",
		"github.com/myriadchain/myriad/cmd/myriad-validator").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build the binaries: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the myriad binary with a wallet.
type cli struct {
	t      testing.TB
	wallet string
	// timeout bounds one command (default: a minute).
	timeout time.Duration
}

func newCLI(t testing.TB) *cli {
	return &cli{t: t, wallet: filepath.Join(t.TempDir(), "wallet.json")}
}

// run runs a command and returns stdout, stderr and the error.
func (c *cli) run(args ...string) (string, string, error) {
	timeout := c.timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), append([]string{"--wallet", c.wallet, "--json"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// must runs a command that must succeed and decodes its JSON output.
func (c *cli) must(v any, args ...string) {
	c.t.Helper()
	out, errs, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("myriad %s: %v\n%s", strings.Join(args, " "), err, errs)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			c.t.Fatalf("myriad %s: output %q: %v", strings.Join(args, " "), out, err)
		}
	}
}

type showView struct {
	Chains []struct {
		ID string `json:"id"`
	} `json:"chains"`
}

func (c *cli) chain() string {
	var v showView
	c.must(&v, "wallet", "show")
	if len(v.Chains) == 0 {
		c.t.Fatal("wallet has no chain")
	}
	return v.Chains[0].ID
}

func (c *cli) balance() string {
	var v struct {
		Balance string `json:"balance"`
	}
	c.must(&v, "balance")
	return v.Balance
}

func (c *cli) expectBalance(want string) {
	c.t.Helper()
	if got := c.balance(); got != want {
		c.t.Errorf("balance = %s, want %s", got, want)
	}
}

// TestNetUpTwoWallets starts `myriad net up` (4 validators × 2 shards on
// pebble, and the faucet) as a process; two wallets get chains from the
// faucet, transfer both ways and process their inboxes, and the balances
// are right through --json. Interrupting net up stops every process.
func TestNetUpTwoWallets(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	up := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), "net", "up", "--path", dir,
		"--validators", "4", "--shards", "2", "--port-base", "0", "--faucet-port", "0")
	var upOut bytes.Buffer
	up.Stdout, up.Stderr = &upOut, &upOut
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	defer up.Process.Kill() //nolint:errcheck // cleanup after a failure
	n := waitNetwork(t, ctx, dir, up)
	if n.FaucetURL == "" {
		t.Fatalf("net up wrote no faucet URL; output:\n%s", upOut.String())
	}
	alice, bob := newCLI(t), newCLI(t)
	for _, w := range []*cli{alice, bob} {
		w.must(nil, "wallet", "init", "--faucet", n.FaucetURL, "--with-new-chain")
	}
	a, b := alice.chain(), bob.chain()
	alice.must(nil, "transfer", "10", "--to", b)
	bob.must(nil, "process-inbox")
	bob.must(nil, "transfer", "2.5", "--to", a)
	alice.must(nil, "process-inbox")
	alice.expectBalance("92.5")
	bob.expectBalance("107.5")

	if err := up.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := up.Wait(); err != nil {
		t.Errorf("net up after SIGINT: %v\n%s", err, upOut.String())
	}
	if _, _, err := alice.run("query-balance"); err == nil {
		t.Error("query-balance succeeded after net up stopped: validators still running")
	}
}

// waitNetwork waits for net up to write network.json, or to fail.
func waitNetwork(t testing.TB, ctx context.Context, dir string, up *exec.Cmd) *localnet.Network {
	t.Helper()
	for {
		if n, err := localnet.Load(dir); err == nil {
			return n
		}
		select {
		case <-ctx.Done():
			t.Fatal("net up did not come up")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestValidatorCrashAndQuorum streams transfers while one validator is
// killed with SIGKILL and later restarted: no transfer is lost or applied
// twice, and the restarted validator catches up. With two of four stopped,
// commands fail with a message naming the missing quorum and nothing is
// damaged; they succeed once one validator is back.
func TestValidatorCrashAndQuorum(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	n, err := localnet.Up(ctx, localnet.Config{Dir: dir, ValidatorBin: filepath.Join(binDir, "myriad-validator")})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	restart := func(i int) {
		t.Helper()
		if err := n.Restart(ctx, i); err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("validator-%d.log", i)))
			t.Fatalf("restart validator %d: %v\nits log:\n%s", i, err, log)
		}
	}
	alice, bob := newCLI(t), newCLI(t)
	for _, w := range []*cli{alice, bob} {
		w.must(nil, "wallet", "init", "--faucet", n.FaucetURL, "--with-new-chain")
	}
	b := bob.chain()
	const transfers = 8
	for i := range transfers {
		switch i {
		case 2:
			if err := n.Kill(2); err != nil {
				t.Fatal(err)
			}
		case 5:
			restart(2)
		}
		alice.must(nil, "transfer", "1", "--to", b)
	}
	bob.must(nil, "process-inbox")
	alice.expectBalance(fmt.Sprint(100 - transfers))
	bob.expectBalance(fmt.Sprint(100 + transfers))

	// The restarted validator has alice's whole chain.
	var vs struct {
		Validators []struct {
			Height uint64 `json:"height"`
			Error  string `json:"error"`
		} `json:"validators"`
	}
	alice.must(&vs, "query-validators", alice.chain())
	for i, v := range vs.Validators {
		if v.Error != "" || v.Height != transfers {
			t.Errorf("validator %d: height %d, error %q; want height %d", i, v.Height, v.Error, transfers)
		}
	}

	// Two of four down: a clear error, nothing changes.
	for _, i := range []int{1, 3} {
		if err := n.Kill(i); err != nil {
			t.Fatal(err)
		}
	}
	_, errs, err := alice.run("transfer", "1", "--to", b)
	if err == nil || !strings.Contains(strings.ToLower(errs), "quorum") {
		t.Fatalf("transfer with 2 of 4 validators down: err %v, stderr %q; want a quorum error", err, errs)
	}
	alice.expectBalance(fmt.Sprint(100 - transfers))
	restart(3)
	// The pending transfer is finished first; then a new one goes through.
	alice.must(nil, "transfer", "1", "--to", b)
	bob.must(nil, "process-inbox")
	bob.expectBalance(fmt.Sprint(100 + transfers + 2))
	alice.expectBalance(fmt.Sprint(100 - transfers - 2))
}

// TestBench runs `myriad bench` for a few seconds against a network it
// starts, and checks that it certified blocks and measured the CPU ratio.
func TestBench(t *testing.T) {
	var r struct {
		Chains   int     `json:"chains"`
		Blocks   int     `json:"blocks"`
		Errors   int     `json:"errors"`
		P50      float64 `json:"latency_p50_ms"`
		CPURatio float64 `json:"cpu_ratio"`
	}
	c := newCLI(t)
	c.must(&r, "bench", "--spawn", "--chains", "40", "--duration", "3s")
	if r.Chains != 40 || r.Blocks == 0 || r.Errors != 0 || r.P50 <= 0 || r.CPURatio <= 0 {
		t.Errorf("bench report %+v: want 40 chains, blocks, no errors, a latency and a CPU ratio", r)
	}
	t.Logf("bench: %+v", r)
}
