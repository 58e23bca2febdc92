package worker

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/genesis"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/faucet"
	client "github.com/myriadchain/myriad/node-client"
)

// Config returns the faucet's configuration from the Worker's bindings,
// read with getenv (os.Getenv in the Worker: the JavaScript side copies
// every string binding into the Go instance's environment):
//
//	GENESIS       the network's genesis file (JSON), required
//	FAUCET_SEED   the faucet key's seed, 64 hex digits: a secret, required
//	AMOUNT        tokens per claim ("100", "2.5"), required
//	FAUCET_CHAIN  the faucet chain's root index in the genesis; default 1
//	VALIDATORS    optional comma-separated addresses replacing the committee's, in its order
//	PER_OWNER     chains per owner (0: 1, negative: no limit)
//	RATE_EVERY    time to earn one claim back per address ("1m"; negative: off)
//	RATE_BURST    claims at once per address (0: 5)
//	MAX_BATCH     claims per block (0: 100)
//
// Validators are reached over HTTP (client.HTTPNode). The Store is left
// nil for the caller to set.
func Config(getenv func(string) string) (faucet.Config, error) {
	var cfg faucet.Config
	gj := []byte(getenv("GENESIS"))
	if len(gj) == 0 {
		return cfg, errors.New("worker: GENESIS is not set")
	}
	gf, err := genesis.Parse(gj)
	if err != nil {
		return cfg, fmt.Errorf("worker: GENESIS: %w", err)
	}
	if cfg.Genesis, err = gf.Genesis(); err != nil {
		return cfg, fmt.Errorf("worker: GENESIS: %w", err)
	}
	cfg.GenesisJSON = gj
	if cfg.Seed, err = seed(getenv("FAUCET_SEED")); err != nil {
		return cfg, err
	}
	if cfg.Amount, err = amount.Parse(getenv("AMOUNT")); err != nil {
		return cfg, fmt.Errorf("worker: AMOUNT: %w", err)
	}
	if cfg.Chain, err = faucetChain(cfg.Genesis.ChainID, len(cfg.Genesis.Chains), getenv("FAUCET_CHAIN")); err != nil {
		return cfg, err
	}
	if v := getenv("VALIDATORS"); v != "" {
		cfg.Validators = strings.Split(v, ",")
	}
	cfg.Dial = dialHTTP
	return cfg, options(&cfg.Options, getenv)
}

func dialHTTP(_ context.Context, v committee.Validator) (client.Node, error) {
	return client.NewHTTPNode(v.Address, v.PublicKey)
}

func seed(s string) (out [32]byte, err error) {
	if s == "" {
		return out, errors.New("worker: FAUCET_SEED is not set (wrangler secret put FAUCET_SEED)")
	}
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != len(out) {
		return out, errors.New("worker: FAUCET_SEED: want 64 hex digits")
	}
	copy(out[:], b)
	return out, nil
}

func faucetChain(id func(int) ids.ChainID, n int, s string) (ids.ChainID, error) {
	i := 1
	if s != "" {
		var err error
		if i, err = strconv.Atoi(s); err != nil || i < 0 || i >= n {
			return ids.ChainID{}, fmt.Errorf("worker: FAUCET_CHAIN %q: want a root chain index below %d", s, n)
		}
	}
	return id(i), nil
}

// options reads the limits; unset variables keep the faucet's defaults.
func options(o *faucet.Options, getenv func(string) string) error {
	ints := []struct {
		name string
		v    *int
	}{{"PER_OWNER", &o.PerOwner}, {"RATE_BURST", &o.RateLimit.Burst}, {"MAX_BATCH", &o.MaxBatch}}
	for _, f := range ints {
		if s := getenv(f.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("worker: %s: %w", f.name, err)
			}
			*f.v = n
		}
	}
	if s := getenv("RATE_EVERY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("worker: RATE_EVERY: %w", err)
		}
		o.RateLimit.Every = d
	}
	return nil
}
