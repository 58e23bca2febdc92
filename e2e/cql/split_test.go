package cqle2e

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/internal/localnet"
	"github.com/myriadchain/myriad/storage/cql/cqltest"
	"github.com/myriadchain/myriad/validator"
)

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "myriad-cql-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	out, err := exec.Command("go", "build", "-o", dir+"/", "github.com/myriadchain/myriad/cmd/myriad",
		"github.com/myriadchain/myriad/cmd/myriad-validator").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cqle2e: build the binaries: %v\n%s", err, out)
		os.Exit(1)
	}
	code := cqltest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the myriad binary with a wallet.
type cli struct {
	t      *testing.T
	wallet string
}

func (c *cli) run(args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "myriad"), append([]string{"--wallet", c.wallet, "--json"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

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

func (c *cli) chain() string {
	var v struct {
		Chains []struct {
			ID string `json:"id"`
		} `json:"chains"`
	}
	c.must(&v, "wallet", "show")
	if len(v.Chains) == 0 {
		c.t.Fatal("wallet has no chain")
	}
	return v.Chains[0].ID
}

func (c *cli) expectBalance(want string) {
	c.t.Helper()
	var v struct {
		Balance string `json:"balance"`
	}
	c.must(&v, "balance")
	if v.Balance != want {
		c.t.Errorf("balance = %s, want %s", v.Balance, want)
	}
}

// status returns what validator address says of chain: its height, or
// the error it answered.
func (c *cli) status(chain, address string) (uint64, string) {
	c.t.Helper()
	var vs struct {
		Validators []struct {
			Address string `json:"address"`
			Height  uint64 `json:"height"`
			Error   string `json:"error"`
		} `json:"validators"`
	}
	c.must(&vs, "query-validators", chain)
	for _, v := range vs.Validators {
		if v.Address == address {
			return v.Height, v.Error
		}
	}
	c.t.Fatalf("query-validators lists no validator at %s", address)
	return 0, ""
}

func shardOf(t *testing.T, chain string, shards int) int {
	b, err := hex.DecodeString(chain)
	var id ids.ChainID
	if err != nil || len(b) != len(id) {
		t.Fatalf("chain id %q: %v", chain, err)
	}
	copy(id[:], b)
	return validator.ShardOf(id, shards)
}

// TestSplitValidatorOnCassandra runs validator 0 as a proxy and two shard
// processes on the Cassandra cluster, with three validators on pebble, and
// transfers between chains on different shards while a shard process is
// killed and restarted, one Cassandra node is down (QUORUM still holds),
// and two are down (validator 0 answers a clear error, and catches up
// once a node is back).
func TestSplitValidatorOnCassandra(t *testing.T) {
	hosts := cqltest.Hosts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	dir := t.TempDir()
	storage := fmt.Sprintf("cql://%s/myriad_e2e?consistency=quorum&retry=5s&timeout=3s", strings.Join(hosts, ","))
	const shards = 2
	n, err := localnet.Up(ctx, localnet.Config{Dir: dir, Shards: shards,
		ValidatorBin: filepath.Join(binDir, "myriad-validator"),
		Split: func(i int) string {
			if i == 0 {
				return storage
			}
			return ""
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	defer func() {
		if t.Failed() {
			for s := range shards {
				log, _ := os.ReadFile(n.ShardLog(0, s))
				t.Logf("validator 0 shard %d log (tail):\n%s", s, tail(log, 30))
			}
		}
	}()

	// Wallets until there is a chain on each shard.
	byShard := map[int]*cli{}
	for i := 0; len(byShard) < shards && i < 12; i++ {
		w := &cli{t: t, wallet: filepath.Join(t.TempDir(), "wallet.json")}
		w.must(nil, "wallet", "init", "--faucet", n.FaucetURL, "--with-new-chain")
		byShard[shardOf(t, w.chain(), shards)] = w
	}
	alice, bob := byShard[0], byShard[1]
	if alice == nil || bob == nil {
		t.Fatal("no chain on one of the shards after 12 wallets")
	}
	a, b := alice.chain(), bob.chain()
	v0 := n.Addresses[0]
	sent := 0
	transfer := func(step string) {
		t.Helper()
		alice.must(nil, "transfer", "1", "--to", b)
		sent++
		t.Logf("%s: transfer %d done", step, sent)
	}
	// caughtUp waits until validator 0 has alice's chain at its height.
	caughtUp := func(step string) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			h, e := alice.status(a, v0)
			if e == "" && h == uint64(sent) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: validator 0 has alice's chain at height %d (error %q), want %d", step, h, e, sent)
			}
			alice.run("sync-validator", v0) //nolint:errcheck // brings it the blocks it lacks; may fail while it cannot write
			<-time.After(time.Second)
		}
	}

	for range 3 {
		transfer("all up")
	}
	bob.must(nil, "process-inbox")
	caughtUp("all up")

	// A shard process dies and comes back: its chains are served again
	// from the shared database.
	if err := n.KillShard(0, 1); err != nil {
		t.Fatal(err)
	}
	if err := n.RestartShard(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	transfer("shard 1 restarted")
	bob.must(nil, "process-inbox")
	if h, e := bob.status(b, v0); e != "" || h < 2 {
		t.Errorf("after a shard restart validator 0 has bob's chain at height %d, error %q; want >= 2", h, e)
	}
	caughtUp("shard 1 restarted")

	// One Cassandra node down: QUORUM (2 of 3) still holds.
	node(t, "stop-node", "3")
	defer node(t, "start-node", "3")
	transfer("node 3 down")
	caughtUp("node 3 down")

	// Two down: validator 0 answers a clear error and writes nothing; the
	// other three validators are a quorum, so transfers go on.
	node(t, "stop-node", "2")
	transfer("nodes 2 and 3 down")
	_, e := alice.status(a, v0)
	if !strings.Contains(e, "unavailable") {
		t.Errorf("with two of three Cassandra nodes down, validator 0 answers %q; want an error saying the database is unavailable", e)
	}
	t.Logf("validator 0 with nodes 2 and 3 down: %s", e)

	node(t, "start-node", "2")
	transfer("node 2 back")
	caughtUp("node 2 back")
	bob.must(nil, "process-inbox")
	alice.expectBalance(fmt.Sprint(100 - sent))
	bob.expectBalance(fmt.Sprint(100 + sent))
}

func node(t *testing.T, args ...string) {
	t.Helper()
	start := time.Now()
	if out, err := cqltest.Script(args...); err != nil {
		t.Fatalf("cassandra.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("cassandra.sh %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Second))
}

func tail(b []byte, lines int) string {
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(ls[max(0, len(ls)-lines):], "\n")
}
