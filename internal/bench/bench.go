// Package bench drives transfers over many user chains against a running
// network and reports throughput, latency and the validators' CPU cost per
// block beside the cost of the signature work alone. It is `myriad bench`.
//
// The benchmark opens Chains user chains from a funding chain (a root
// chain whose key it holds), then Workers goroutines, each owning a share
// of the chains, make blocks of one transfer to another chain until
// Duration ends (or at Rate blocks per second in all). Each block is timed
// from proposal to confirmed certificate.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// Config describes a benchmark run.
type Config struct {
	Genesis *chain.Genesis
	// Funder is the root chain index that pays for the user chains, and
	// FunderKey its owner's key.
	Funder    int
	FunderKey *keys.PrivateKey
	// Chains is the number of user chains; Workers the goroutines
	// proposing (default min(Chains, 64)).
	Chains, Workers int
	Duration        time.Duration
	// Rate caps blocks per second over all workers (0: as fast as possible).
	Rate float64
	// Metrics are the validators' metrics URLs, for CPU and block counts.
	Metrics []string
	// Progress, if set, gets a line per phase.
	Progress io.Writer
}

// Report is what a run measured.
type Report struct {
	Chains          int     `json:"chains"`
	Blocks          int     `json:"blocks"`
	Transfers       int     `json:"transfers"`
	Errors          int     `json:"errors"`
	Seconds         float64 `json:"seconds"`
	BlocksPerSecond float64 `json:"blocks_per_second"`
	TransfersPerSec float64 `json:"transfers_per_second"`
	LatencyP50Ms    float64 `json:"latency_p50_ms"`
	LatencyP99Ms    float64 `json:"latency_p99_ms"`
	// ValidatorCPUPerBlockMs is the CPU time one validator spent per
	// confirmed block (all validators' CPU / blocks / validators).
	ValidatorCPUPerBlockMs float64 `json:"validator_cpu_per_block_ms"`
	// SignatureWorkPerBlockMs is what the signature checks and signatures
	// a validator must do for one two-phase block cost on this machine,
	// measured in this run.
	SignatureWorkPerBlockMs float64 `json:"signature_work_per_block_ms"`
	// CPURatio is ValidatorCPUPerBlockMs / SignatureWorkPerBlockMs.
	CPURatio float64 `json:"cpu_ratio"`
	// ValidatorRSSMiB is the largest resident set of a validator at the end.
	ValidatorRSSMiB float64 `json:"validator_rss_mib"`
}

// Run opens the chains, runs the workload and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Chains < 2 {
		return nil, errors.New("bench: need at least 2 chains")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = min(cfg.Chains, 64)
	}
	nodes, closeAll, err := dial(ctx, cfg.Genesis)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	progress(cfg, "opening %d chains", cfg.Chains)
	users, err := openChains(ctx, cfg, nodes)
	if err != nil {
		return nil, err
	}
	progress(cfg, "running transfers for %s on %d workers", cfg.Duration, cfg.Workers)
	before, _ := scrape(ctx, cfg.Metrics)
	lat, errs, elapsed := workload(ctx, cfg, users)
	after, _ := scrape(ctx, cfg.Metrics)
	r := &Report{Chains: len(users), Blocks: len(lat), Transfers: len(lat), Errors: errs, Seconds: elapsed.Seconds()}
	r.BlocksPerSecond = float64(r.Blocks) / r.Seconds
	r.TransfersPerSec = r.BlocksPerSecond
	r.LatencyP50Ms, r.LatencyP99Ms = percentile(lat, 0.5), percentile(lat, 0.99)
	if blocks := after.blocks - before.blocks; blocks > 0 && len(cfg.Metrics) > 0 {
		// Each validator counts every block once; the CPU is all validators'.
		perValidatorBlocks := blocks / float64(len(cfg.Metrics))
		r.ValidatorCPUPerBlockMs = 1000 * (after.cpu - before.cpu) / perValidatorBlocks / float64(len(cfg.Metrics))
	}
	r.ValidatorRSSMiB = after.rss / (1 << 20)
	r.SignatureWorkPerBlockMs = signatureWork(len(cfg.Genesis.Committee.Validators))
	if r.SignatureWorkPerBlockMs > 0 {
		r.CPURatio = r.ValidatorCPUPerBlockMs / r.SignatureWorkPerBlockMs
	}
	return r, nil
}

func progress(cfg Config, format string, args ...any) {
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "bench: "+format+"\n", args...)
	}
}

func dial(ctx context.Context, g *chain.Genesis) ([]client.Node, func(), error) {
	remotes, err := client.DialCommittee(ctx, g.Committee, client.DialOptions{})
	closeAll := func() {
		for _, r := range remotes {
			r.Close()
		}
	}
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	nodes := make([]client.Node, len(remotes))
	for i, r := range remotes {
		nodes[i] = r
	}
	return nodes, closeAll, nil
}

func now() uint64 { return uint64(time.Now().UnixMicro()) }

// openChains opens cfg.Chains chains from the funder, 100 per block, and
// makes a client for each. All clients share one local store (as a wallet
// tracking many chains does), and each new chain is created in it from the
// funder's certified block, so no chain costs a request to learn of it.
func openChains(ctx context.Context, cfg Config, nodes []client.Node) ([]*client.Client, error) {
	store := kv.NewMemory()
	if err := cfg.Genesis.Initialize(ctx, store); err != nil {
		return nil, err
	}
	local := &chain.Worker{Store: store}
	funder := &client.Client{Chain: cfg.Genesis.ChainID(cfg.Funder), Key: cfg.FunderKey, Local: local, Validators: nodes, Now: now}
	if err := funder.Sync(ctx); err != nil {
		return nil, fmt.Errorf("bench: sync the funding chain: %w", err)
	}
	var users []*client.Client
	for len(users) < cfg.Chains {
		batch := min(100, cfg.Chains-len(users))
		ks := make([]*keys.PrivateKey, batch)
		ops := make([]block.Operation, batch)
		for i := range ks {
			var seed [keys.SeedSize]byte
			for j := range seed {
				seed[j] = byte(rand.Uint32())
			}
			ks[i] = keys.NewPrivateKey(seed)
			ops[i] = system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(ks[i].Owner()),
				Amount: amount.Tokens(1)}.AsBlockOperation()
		}
		cert, err := funder.Execute(ctx, ops...)
		if err != nil {
			return nil, fmt.Errorf("bench: open chains: %w", err)
		}
		for i, k := range ks {
			id := ids.ChildDescription(funder.Chain, cert.Value.Height(), uint32(i)).ID()
			u := &chain.Update{Sender: funder.Chain, Recipient: id, Bundles: cert.Value.Block.Bundles(cert.Hash(), id)}
			e, err := local.HandleUpdate(ctx, u)
			if err == nil {
				err = store.Apply(ctx, &e.Batch)
			}
			if err != nil {
				return nil, fmt.Errorf("bench: create chain %s locally: %w", id.Short(), err)
			}
			users = append(users, &client.Client{Chain: id, Key: k, Local: local, Validators: nodes, Now: now})
		}
		if len(users)%10_000 == 0 {
			progress(cfg, "%d chains open", len(users))
		}
	}
	return users, nil
}

// workload runs transfers until the duration ends and returns each
// block's latency.
func workload(ctx context.Context, cfg Config, users []*client.Client) ([]time.Duration, int, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var (
		mu    sync.Mutex
		lat   []time.Duration
		errs  atomic.Int64
		wg    sync.WaitGroup
		start = time.Now()
	)
	var tick <-chan time.Time
	if cfg.Rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / cfg.Rate))
		defer t.Stop()
		tick = t.C
	}
	for w := range cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := users[w*len(users)/cfg.Workers : (w+1)*len(users)/cfg.Workers]
			for i := 0; ctx.Err() == nil; i++ {
				if tick != nil {
					select {
					case <-tick:
					case <-ctx.Done():
						return
					}
				}
				c := mine[i%len(mine)]
				// A validator that has not yet delivered the chain's
				// creation refuses its first block; the client then brings
				// it up to date and asks again.
				to := users[rand.IntN(len(users))].Chain
				t0 := time.Now()
				op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: to}, Amount: amount.Attos(1)}
				if _, err := c.Transfer(ctx, op); err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lat, int(errs.Load()), time.Since(start)
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
}

type sample struct{ cpu, blocks, rss float64 }

// scrape sums process CPU and confirmed blocks over the validators'
// metrics, and takes the largest resident set.
func scrape(ctx context.Context, urls []string) (sample, error) {
	var s sample
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return s, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return s, fmt.Errorf("bench: scrape %s: %w", u, err)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return s, err
		}
		m := parseMetrics(string(b))
		s.cpu += m["process_cpu_seconds_total"]
		s.blocks += m["myriad_blocks_confirmed_total"]
		s.rss = max(s.rss, m["process_resident_memory_bytes"])
	}
	return s, nil
}

// parseMetrics reads unlabelled samples of the Prometheus text format.
func parseMetrics(text string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
			out[name] = v
		}
	}
	return out
}

// signatureWork measures, on this machine now, the signature work one
// validator does for one two-phase block in a committee of n with quorum
// q: verify the proposal, sign the validated vote, verify the q
// signatures of the validated certificate, sign the confirm vote, verify
// the q signatures of the confirmed certificate. Returns milliseconds.
//
// It counts CPU time, like the validators' side of the ratio
// (process_cpu_seconds_total), where the platform has a per-thread clock
// (Linux): wall time on a shared, loaded machine counts the time the
// thread waited for a core too, which inflated the figure by up to 6x.
// The median of several samples is taken.
func signatureWork(n int) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	q := (n + (n+2)/3 + 1) / 2
	k := keys.NewPrivateKey([keys.SeedSize]byte{1})
	h := ids.Sum("bench", nil)
	sig := k.Sign("vote", h)
	const samples, rounds = 5, 60
	var per []float64
	for range samples {
		cpu0, cpuOK := threadCPU()
		start := time.Now()
		for range rounds {
			for range 1 + 2*q {
				if k.Public().Verify("vote", h, sig) != nil {
					panic("bench: signature check failed")
				}
			}
			k.Sign("vote", h)
			k.Sign("vote", h)
		}
		d := time.Since(start)
		if cpu1, ok := threadCPU(); cpuOK && ok {
			d = cpu1 - cpu0
		}
		per = append(per, float64(d.Microseconds())/1000/rounds)
	}
	slices.Sort(per)
	return per[len(per)/2]
}
