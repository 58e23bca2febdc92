package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/internal/bench"
	"github.com/myriadchain/myriad/internal/localnet"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
)

type netView struct {
	Dir        string   `json:"dir"`
	Genesis    string   `json:"genesis"`
	Validators []string `json:"validators"`
	Metrics    []string `json:"metrics"`
	FaucetURL  string   `json:"faucet_url,omitempty"`
}

func (v netView) text(w io.Writer) {
	fmt.Fprintf(w, "network up: %d validators, files in %s\n", len(v.Validators), v.Dir)
	for i, a := range v.Validators {
		fmt.Fprintf(w, "  validator %d  %s  metrics %s\n", i, a, v.Metrics[i])
	}
	if v.FaucetURL != "" {
		fmt.Fprintf(w, "export MYRIAD_FAUCET_URL=%s\n", v.FaucetURL)
	}
	fmt.Fprintf(w, "export MYRIAD_GENESIS=%s\n", v.Genesis)
	fmt.Fprintln(w, "Press Ctrl-C to stop the network.")
}

func amountFlag(fs *flag.FlagSet, name, def, usage string) *amount.Amount {
	a := amount.MustParse(def)
	fs.TextVar(&a, name, a, usage)
	return &a
}

func cmdNetUp(fs *flag.FlagSet) runner {
	vals := fs.Int("validators", 4, "number of validators")
	shards := fs.Int("shards", 2, "shards per validator")
	path := fs.String("path", "", "directory of the network's files (default: a new temporary directory); an existing one restarts that network")
	portBase := fs.Int("port-base", 9100, "validator i listens on this port + i, its metrics on + 100 + i (0: free ports)")
	faucetPort := fs.Int("faucet-port", 8080, "faucet HTTP port (0: a free port, -1: no faucet)")
	initial := amountFlag(fs, "initial-amount", "1000000", "the faucet chain's balance")
	claim := amountFlag(fs, "claim-amount", "100", "what each faucet claim gives")
	policy := fs.String("policy", "no-fees", "resource policy: no-fees or testnet")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		dir := *path
		if dir == "" {
			d, err := os.MkdirTemp("", "myriad-net-")
			if err != nil {
				return nil, err
			}
			dir = d
		}
		log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		n, err := localnet.Up(ctx, localnet.Config{Dir: dir, Validators: *vals, Shards: *shards, PortBase: *portBase,
			FaucetPort: *faucetPort, InitialAmount: *initial, ClaimAmount: *claim, Policy: *policy, Logger: log})
		if err != nil {
			return nil, err
		}
		defer n.Close()
		v := netView{Dir: dir, Genesis: n.GenesisPath, Validators: n.Addresses, Metrics: n.Metrics, FaucetURL: n.FaucetURL}
		e.print(v)
		select {
		case <-ctx.Done():
			fmt.Fprintln(e.stderr, "stopping the network")
			return nil, nil
		case err := <-n.Done():
			return nil, err
		}
	}
}

type faucetView struct {
	URL   string      `json:"url"`
	Chain ids.ChainID `json:"chain"`
}

func (v faucetView) text(w io.Writer) {
	fmt.Fprintf(w, "faucet for chain %s serving at %s\n", v.Chain, v.URL)
}

func cmdFaucet(fs *flag.FlagSet) runner {
	listen := fs.String("listen", "127.0.0.1:8080", "HTTP address to serve on")
	genesis := fs.String("genesis", "", "the network's genesis file")
	keyFile := fs.String("key", "", "key file of the faucet chain's owner (myriad-validator keygen format)")
	index := fs.Int("chain", 1, "root chain index of the faucet chain")
	storage := fs.String("storage", "", "directory of the faucet's local state (pebble; required)")
	each := amountFlag(fs, "amount", "100", "balance of each new chain")
	perOwner := fs.Int("per-owner", 1, "chains one owner may claim (negative: no limit)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		if *genesis == "" || *keyFile == "" || *storage == "" {
			return nil, usageErrorf("--genesis, --key and --storage are required")
		}
		g, err := validator.LoadGenesis(*genesis)
		if err != nil {
			return nil, err
		}
		gj, err := os.ReadFile(*genesis)
		if err != nil {
			return nil, err
		}
		k, err := validator.LoadKey(*keyFile)
		if err != nil {
			return nil, err
		}
		store, err := pebblestore.New(pebblestore.Config{Dir: filepath.Clean(*storage)})
		if err != nil {
			return nil, err
		}
		defer store.Close()
		cfg := faucet.Config{Listen: *listen, Genesis: g, GenesisJSON: gj, Chain: g.ChainID(*index), Seed: k.Seed(),
			Store: store, Options: faucet.Options{Amount: *each, PerOwner: *perOwner,
				Logger: slog.New(slog.NewTextHandler(e.stderr, nil))}}
		e.print(faucetView{URL: "http://" + *listen, Chain: cfg.Chain})
		return nil, faucet.Run(ctx, cfg)
	}
}

type benchView struct{ *bench.Report }

func (v benchView) text(w io.Writer) {
	r := v.Report
	fmt.Fprintf(w, "chains %d, blocks %d in %.1f s (%d errors)\n", r.Chains, r.Blocks, r.Seconds, r.Errors)
	fmt.Fprintf(w, "throughput: %.1f blocks/s, %.1f transfers/s\n", r.BlocksPerSecond, r.TransfersPerSec)
	fmt.Fprintf(w, "latency proposal→certificate: p50 %.1f ms, p99 %.1f ms\n", r.LatencyP50Ms, r.LatencyP99Ms)
	fmt.Fprintf(w, "validator CPU per block: %.3f ms; signature work alone: %.3f ms; ratio %.2f\n",
		r.ValidatorCPUPerBlockMs, r.SignatureWorkPerBlockMs, r.CPURatio)
	fmt.Fprintf(w, "largest validator resident set: %.0f MiB\n", r.ValidatorRSSMiB)
}

func cmdBench(fs *flag.FlagSet) runner {
	chains := fs.Int("chains", 100, "user chains to open and transfer between")
	workers := fs.Int("workers", 0, "goroutines proposing (0: min(chains, 64))")
	duration := fs.Duration("duration", 10*time.Second, "how long to run transfers")
	rate := fs.Float64("rate", 0, "blocks per second over all workers (0: as fast as possible)")
	path := fs.String("path", "", "a network directory of `myriad net up --path` to run against (uses its spare root chain 2 and metrics)")
	spawn := fs.Bool("spawn", false, "start a local network of 4 validators for the run, and stop it after")
	storage := fs.String("validator-storage", "", "with --spawn: run every validator as a proxy and shard processes on this cql:// database (default: pebble)")
	shards := fs.Int("shards", 2, "with --spawn: shards per validator")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		dir := *path
		var n *localnet.Network
		var err error
		switch {
		case *spawn:
			d, err := os.MkdirTemp("", "myriad-bench-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(d)
			cfg := localnet.Config{Dir: d, FaucetPort: -1, Shards: *shards}
			if *storage != "" {
				cfg.Split = func(int) string { return *storage }
			}
			n, err = localnet.Up(ctx, cfg)
			if err != nil {
				return nil, err
			}
			defer n.Close()
		case dir != "":
			// Read the running network's files without starting anything.
			n, err = localnet.Load(dir)
			if err != nil {
				return nil, err
			}
		default:
			return nil, usageErrorf("give --path DIR of a running `myriad net up --path DIR`, or --spawn")
		}
		r, err := bench.Run(ctx, bench.Config{Genesis: n.Genesis, Funder: 2, FunderKey: n.Keys[2], Chains: *chains,
			Workers: *workers, Duration: *duration, Rate: *rate, Metrics: n.Metrics, Progress: e.stderr})
		if err != nil {
			return nil, err
		}
		return benchView{r}, nil
	}
}
