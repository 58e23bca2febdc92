package worker_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/genesis"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/faucet/worker"
)

func genesisJSON(t *testing.T) string {
	t.Helper()
	f := genesis.File{Committee: genesis.Committee{Policy: "no-fees"}, Timestamp: 1}
	for i := range 4 {
		k := keys.NewPrivateKey([32]byte{byte(i + 1)})
		f.Committee.Validators = append(f.Committee.Validators, genesis.Validator{PublicKey: k.Public(), Weight: 1, Address: "ws://127.0.0.1:1"})
	}
	for i := range 3 {
		f.Chains = append(f.Chains, genesis.Chain{Owner: keys.NewPrivateKey([32]byte{byte(10 + i)}).Owner(), Balance: amount.Tokens(1000)})
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConfig(t *testing.T) {
	env := map[string]string{
		"GENESIS": genesisJSON(t), "FAUCET_SEED": strings.Repeat("0b", 32), "AMOUNT": "2.5",
		"FAUCET_CHAIN": "2", "VALIDATORS": "http://a:1,http://b:1,http://c:1,http://d:1",
		"RATE_EVERY": "1h", "RATE_BURST": "31", "PER_OWNER": "-1", "MAX_BATCH": "7",
	}
	cfg, err := worker.Config(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Chain != cfg.Genesis.ChainID(2) || cfg.Seed[0] != 0x0b || len(cfg.Validators) != 4 || cfg.Dial == nil {
		t.Errorf("Config = chain %s, seed %x, validators %v", cfg.Chain, cfg.Seed, cfg.Validators)
	}
	if want, _ := amount.Parse("2.5"); cfg.Amount != want {
		t.Errorf("Amount = %v, want 2.5", cfg.Amount)
	}
	o := cfg.Options
	if o.RateLimit.Every != time.Hour || o.RateLimit.Burst != 31 || o.PerOwner != -1 || o.MaxBatch != 7 {
		t.Errorf("Options = %+v", o)
	}
	if string(cfg.GenesisJSON) != env["GENESIS"] {
		t.Error("GenesisJSON is not the GENESIS binding verbatim")
	}
}

func TestConfigErrors(t *testing.T) {
	good := map[string]string{"GENESIS": genesisJSON(t), "FAUCET_SEED": strings.Repeat("0b", 32), "AMOUNT": "1"}
	for _, tc := range []struct{ key, value, want string }{
		{"GENESIS", "", "GENESIS is not set"},
		{"GENESIS", `{"committee": {}, "unknown": 1}`, "GENESIS"},
		{"FAUCET_SEED", "", "FAUCET_SEED is not set"},
		{"FAUCET_SEED", "abcd", "64 hex digits"},
		{"AMOUNT", "lots", "AMOUNT"},
		{"FAUCET_CHAIN", "3", "FAUCET_CHAIN"},
		{"RATE_EVERY", "soon", "RATE_EVERY"},
		{"RATE_BURST", "x", "RATE_BURST"},
	} {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		env[tc.key] = tc.value
		_, err := worker.Config(func(k string) string { return env[k] })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Config with %s=%q: error %v, want one containing %q", tc.key, tc.value, err, tc.want)
		}
	}
}
