package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myriadchain/myriad/internal/localnet"
	client "github.com/myriadchain/myriad/node-client"
)

// workerClaims is how many sequential claims measure each faucet's
// latency, and workerParallel how many claims go to the Worker at once.
// crashClaims are in flight when the worker is killed; workerBurst is the
// rate limit's burst, which all of these use up.
const (
	workerClaims   = 10
	workerParallel = 20
	crashClaims    = 5
	workerBurst    = 1 + workerClaims + workerParallel + crashClaims
)

// TestFaucetWorker runs the faucet's Cloudflare Worker under the bare
// workerd binary against a local network (whose native faucet runs on
// another chain): a wallet gets its chain from it, 20 parallel claims all
// get distinct chains, the validators agree on every block of the faucet
// chain, the Worker killed while claims are in flight goes on after a
// restart on its storage without a conflicting block, and the claim after
// the address's burst is refused with RATE_LIMITED; the extension onboards
// a new wallet against the Worker. It logs the claim latency (p50) of the Worker and of the
// native faucet, measured alternately in this run.
func TestFaucetWorker(t *testing.T) {
	workerd := findWorkerd(t)
	needBrowser(t)
	t.Parallel()
	built := buildExtension(t) // in the background, for the extension's onboarding
	bundle := t.TempDir()
	if out, err := exec.Command("bash", "../scripts/faucet-worker.sh", "build", bundle).CombinedOutput(); err != nil {
		t.Fatalf("build the worker: %v\n%s", err, out)
	} else {
		t.Logf("%s", bytes.TrimSpace(out))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	n, err := localnet.Up(ctx, localnet.Config{Dir: t.TempDir(), Validators: 4, Shards: 1,
		ValidatorBin: filepath.Join(binDir, "myriad-validator")})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	const chainIndex = 2   // a spare root chain: chain 1 is the native faucet's
	storage := t.TempDir() // the Durable Object's storage, kept across restarts
	url, stop := startWorker(t, ctx, workerd, bundle, n, chainIndex, storage)

	w := newCLI(t)
	w.must(nil, "wallet", "init", "--faucet", url, "--with-new-chain")
	w.expectBalance("100")
	t.Run("extension", func(t *testing.T) { extensionOnWorkerFaucet(t, ctx, built, url) })

	var workerLat, nativeLat []time.Duration
	for range workerClaims {
		workerLat = append(workerLat, timedClaim(t, url))
		nativeLat = append(nativeLat, timedClaim(t, n.FaucetURL))
	}
	t.Logf("claim latency p50 (%d sequential claims each): worker under workerd %v, native faucet %v",
		workerClaims, p50(workerLat), p50(nativeLat))

	chains := parallelClaims(t, url, workerParallel)
	if len(chains) != workerParallel {
		t.Fatalf("%d distinct chains from %d parallel claims", len(chains), workerParallel)
	}
	blocks := checkFaucetChain(t, ctx, n, chainIndex)
	t.Logf("faucet chain: %d blocks for %d claims (parallel claims batched)", blocks, 1+workerClaims+workerParallel)

	// Kill workerd while claims are in flight, restart it on the same
	// storage: the faucet finishes the interrupted block if it was sent,
	// never proposes another at its height, and goes on.
	crashMidBlock(t, url, stop)
	url, _ = startWorker(t, ctx, workerd, bundle, n, chainIndex, storage)
	// The restarted limiter starts afresh (it lives in memory): a whole
	// burst in parallel, then one claim too many.
	if got := parallelClaims(t, url, workerBurst); len(got) != workerBurst {
		t.Errorf("%d distinct chains from %d parallel claims after the restart", len(got), workerBurst)
	}
	// The restarted faucet still knows whose chains it opened (the ledger
	// is rebuilt from the faucet chain in the Durable Object's storage):
	// what a wallet restored from its recovery phrase asks.
	if got := ownedChains(t, url, w.owner()); len(got) != 1 || got[0] != w.chain() {
		t.Errorf("chains(owner) of the CLI wallet after the restart = %v, want [%s]", got, w.chain())
	}
	code, _ := claim(url, newOwner(t))
	if !strings.HasPrefix(code, "RATE_LIMITED: ") {
		t.Errorf("claim past the address's burst: code %q, want RATE_LIMITED", code)
	}
	t.Logf("after a crash mid-block and a restart: %d blocks, no conflicts", checkFaucetChain(t, ctx, n, chainIndex))
}

// crashMidBlock sends crashClaims claims at once and kills the worker as
// soon as the first is on its way, so that a block is being proposed.
func crashMidBlock(t *testing.T, url string, stop func()) {
	var wg sync.WaitGroup
	sent := make(chan struct{}, crashClaims)
	for range crashClaims {
		wg.Go(func() {
			sent <- struct{}{}
			claim(url, newOwner(t)) //nolint:errcheck // cut off by the crash
		})
	}
	<-sent
	time.Sleep(50 * time.Millisecond) // into the block: verifying the quorum alone takes longer
	stop()
	wg.Wait()
}

// findWorkerd returns the workerd binary that scripts/setup.sh installs,
// or skips the test when npm is missing (nothing could install it).
func findWorkerd(t *testing.T) string {
	if p := os.Getenv("MYRIAD_WORKERD"); p != "" {
		return p
	}
	p, _ := filepath.Abs("../.cache/worker-tools/node_modules/.bin/workerd")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("SKIP the faucet Worker test: node/npm not found, so workerd cannot be installed (scripts/setup.sh installs it)")
	}
	t.Fatalf("workerd not found at %s: run scripts/setup.sh (it installs it with npm), or set MYRIAD_WORKERD", p)
	return ""
}

// startWorker serves the bundle with workerd on a free port and waits
// until it answers; the faucet key is root chain chainIndex's.
func startWorker(t *testing.T, ctx context.Context, workerd, bundle string, n *localnet.Network, chainIndex int, storage string) (url string, stop func()) {
	port := freePort(t)
	tmpl, err := os.ReadFile(filepath.Join(bundle, "workerd.capnp.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("@STORAGE@", storage, "@LISTEN@", "127.0.0.1:"+strconv.Itoa(port)).Replace(string(tmpl))
	confPath := filepath.Join(bundle, "faucet-worker.capnp")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	genesis, err := os.ReadFile(n.GenesisPath)
	if err != nil {
		t.Fatal(err)
	}
	seed := n.Keys[chainIndex].Seed()
	cmd := exec.CommandContext(ctx, workerd, "serve", confPath, "--experimental")
	cmd.Env = append(os.Environ(), "GENESIS="+string(genesis), "FAUCET_SEED="+hex.EncodeToString(seed[:]),
		"FAUCET_CHAIN="+strconv.Itoa(chainIndex), "AMOUNT=100", "RATE_EVERY=1h",
		"RATE_BURST="+strconv.Itoa(workerBurst))
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Kill() //nolint:errcheck // stopping it
			cmd.Wait()         //nolint:errcheck // killed
		})
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("workerd output:\n%s", logs.String())
		}
	})
	url = "http://127.0.0.1:" + strconv.Itoa(port)
	start := time.Now()
	for {
		if _, err := gql(url, `{"query":"{ version }"}`); err == nil {
			t.Logf("worker up in %v (workerd start, Go boot, faucet chain sync)", time.Since(start).Round(time.Millisecond))
			return url, stop
		}
		if ctx.Err() != nil || time.Since(start) > time.Minute {
			t.Fatalf("the worker did not answer within a minute; workerd output:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func newOwner(t *testing.T) string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

type gqlAnswer struct {
	Data struct {
		ClaimChain struct {
			ChainID string `json:"chainId"`
		} `json:"claimChain"`
	} `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// gql posts a GraphQL request; an answer with errors is returned as is.
func gql(url, body string) (*gqlAnswer, error) {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &a, fmt.Errorf("%s", resp.Status)
	}
	return &a, nil
}

// ownedChains asks the faucet which chains it opened for owner.
func ownedChains(t *testing.T, url, owner string) []string {
	t.Helper()
	resp, err := http.Post(url, "application/json",
		strings.NewReader(fmt.Sprintf(`{"query":"{ chains(owner: \"%s\") { chainId } }"}`, owner)))
	if err != nil {
		t.Fatalf("chains query: %v", err)
	}
	defer resp.Body.Close()
	var a struct {
		Data struct {
			Chains []struct {
				ChainID string `json:"chainId"`
			} `json:"chains"`
		} `json:"data"`
		Errors []struct{ Message string } `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || len(a.Errors) > 0 {
		t.Fatalf("chains query: %s, errors %+v, %v", resp.Status, a.Errors, err)
	}
	var out []string
	for _, c := range a.Data.Chains {
		out = append(out, c.ChainID)
	}
	return out
}

// claim claims a chain for owner and returns the error code ("" on
// success) and the chain id.
func claim(url, owner string) (code, chainID string) {
	a, err := gql(url, fmt.Sprintf(`{"query":"mutation { claimChain(owner: \"%s\") { chainId } }"}`, owner))
	switch {
	case a != nil && len(a.Errors) > 0:
		return a.Errors[0].Extensions.Code + ": " + a.Errors[0].Message, ""
	case err != nil:
		return err.Error(), ""
	}
	return "", a.Data.ClaimChain.ChainID
}

func timedClaim(t *testing.T, url string) time.Duration {
	start := time.Now()
	if code, _ := claim(url, newOwner(t)); code != "" {
		t.Fatalf("claim at %s: %s", url, code)
	}
	return time.Since(start)
}

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(100 * time.Microsecond)
}

// parallelClaims sends k claims at once and returns the set of chains
// they got; every claim must succeed.
func parallelClaims(t *testing.T, url string, k int) map[string]bool {
	var wg sync.WaitGroup
	var mu sync.Mutex
	chains := map[string]bool{}
	for range k {
		wg.Go(func() {
			code, id := claim(url, newOwner(t))
			mu.Lock()
			defer mu.Unlock()
			if code != "" {
				t.Errorf("parallel claim: %s", code)
			}
			chains[id] = true
		})
	}
	wg.Wait()
	delete(chains, "")
	return chains
}

// checkFaucetChain asks every validator for every block of the faucet
// chain: all must have the same height and the same certificate at each
// height. It returns the number of blocks.
func checkFaucetChain(t *testing.T, ctx context.Context, n *localnet.Network, chainIndex int) int {
	id := n.Genesis.ChainID(chainIndex)
	var next uint64
	var nodes []*client.HTTPNode
	for i, v := range n.Genesis.Committee.Validators {
		node, err := client.NewHTTPNode(v.Address, v.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		info, err := node.ChainInfo(ctx, id)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		if i > 0 && info.Tip.NextHeight != next {
			t.Errorf("validator %d: faucet chain at height %d, validator 0 at %d", i, info.Tip.NextHeight, next)
		}
		next = max(next, info.Tip.NextHeight)
		nodes = append(nodes, node)
	}
	for h := range next {
		var first string
		for i, node := range nodes {
			c, err := node.Certificate(ctx, id, h)
			if err != nil {
				t.Fatalf("validator %d, block %d: %v", i, h, err)
			}
			if got := c.Hash().String(); i == 0 {
				first = got
			} else if got != first {
				t.Errorf("block %d: validator %d has %s, validator 0 %s: conflicting blocks", h, i, got, first)
			}
		}
	}
	return int(next)
}
