package validator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/validator"
)

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = validator.Main(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestKeygen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.json")
	code, out, errs := runMain(t, "keygen", "--out", path)
	if code != 0 {
		t.Fatalf("keygen = %d: %s", code, errs)
	}
	k, err := validator.LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != k.Public().String() {
		t.Errorf("keygen printed %q, want the public key %s", got, k.Public())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	if code, _, errs := runMain(t, "keygen", "--out", path); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("keygen over an existing file = %d (%q), want 1 and a message", code, errs)
	}
	if code, _, _ := runMain(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command = %d, want 2", code)
	}
}

func TestGenesisFileRoundTrip(t *testing.T) {
	k := testKey(nil)
	f := &validator.GenesisFile{
		Committee: validator.GenesisCommittee{Policy: "testnet", Validators: []validator.GenesisValidator{
			{PublicKey: k.Public(), Weight: 1, Address: "ws://127.0.0.1:9100"}}},
		Chains:    []validator.GenesisChain{{Owner: k.Owner()}, {Owner: k.Owner(), Balance: amount.MustParse("10.5"), Super: true}},
		Timestamp: 1_767_225_600_000_000,
	}
	path := filepath.Join(t.TempDir(), "genesis.json")
	if err := validator.WriteGenesis(path, f); err != nil {
		t.Fatal(err)
	}
	back, err := validator.ReadGenesis(path)
	if err != nil || !reflect.DeepEqual(back, f) {
		t.Fatalf("ReadGenesis = %+v, %v; want %+v", back, err, f)
	}
	g, err := validator.LoadGenesis(path)
	if err != nil {
		t.Fatal(err)
	}
	if g.Chains[1].Balance != amount.MustParse("10.5") || len(g.Chains[1].Ownership.SuperOwners) != 1 {
		t.Errorf("chain 1 = %+v, want a super owner and 10.5 tokens", g.Chains[1])
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{`"public_key": "` + k.Public().String(), `"balance": "10.5"`, `"policy": "testnet"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("genesis file lacks %s:\n%s", want, b)
		}
	}
	for _, bad := range []string{
		`{"committee": {"validators": [], "policy": "no-fees"}, "chains": [{"owner": "` + k.Owner().String() + `", "balance": "1"}]}`,
		`{"committee": {"validators": [{"public_key": "` + k.Public().String() + `", "weight": 1}], "policy": "lavish"}, "chains": [{"owner": "` + k.Owner().String() + `", "balance": "1"}]}`,
		`{"committee": {"validators": [{"public_key": "` + k.Public().String() + `", "weight": 1}]}, "chains": []}`,
		`{"committe": {}}`,
		`{"committee": {"validators": [{"public_key": "zz", "weight": 1}]}}`,
	} {
		f, err := validator.ParseGenesis([]byte(bad))
		if err == nil {
			_, err = f.Genesis()
		}
		if err == nil {
			t.Errorf("genesis %s: no error", bad)
		}
	}
}

// TestRunCommand runs "myriad-validator run" from a config file and
// reaches it over the wire.
func TestRunCommand(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "key.json")
	if code, _, errs := runMain(t, "keygen", "--out", keyPath); code != 0 {
		t.Fatal(errs)
	}
	k, _ := validator.LoadKey(keyPath)
	ln := listen(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	owner := testKey(nil)
	genesisPath := filepath.Join(dir, "genesis.json")
	if err := validator.WriteGenesis(genesisPath, &validator.GenesisFile{
		Committee: validator.GenesisCommittee{Validators: []validator.GenesisValidator{{PublicKey: k.Public(), Weight: 1, Address: "ws://" + addr}}},
		Chains:    []validator.GenesisChain{{Owner: owner.Owner()}, {Owner: owner.Owner(), Balance: amount.Tokens(5)}},
		Timestamp: nowMicro(),
	}); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{"key": keyPath, "genesis": genesisPath, "storage": filepath.Join(dir, "db"), "shards": 2})
	cfgPath := filepath.Join(dir, "validator.json")
	os.WriteFile(cfgPath, cfg, 0o644)

	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int)
	var stderr strings.Builder
	go func() {
		code := validator.Main(ctx, []string{"run", "--config", cfgPath, "--log-level", "warn"}, pw, &stderr)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no ready line: %v (stderr: %s)", err, stderr.String())
	}
	if !strings.Contains(line, "ws://"+addr) {
		t.Fatalf("ready line %q, want the committee's address ws://%s", line, addr)
	}
	g, _ := validator.LoadGenesis(genesisPath)
	in, err := dial(t, "ws://"+addr).ChainInfo(t.Context(), g.ChainID(1))
	if err != nil || !in.Active {
		t.Fatalf("ChainInfo from the running validator = %+v, %v", in, err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("run exited with %d: %s", code, stderr.String())
	}
	if code, _, errs := runMain(t, "run", "--key", keyPath, "--genesis", genesisPath); code != 1 || !strings.Contains(errs, "--storage") {
		t.Errorf("run without --storage = %d (%q), want 1 and a message naming --storage", code, errs)
	}
}
