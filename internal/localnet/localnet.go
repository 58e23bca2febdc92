// Package localnet runs a whole Myriad network on 127.0.0.1: it writes a
// genesis and keys, starts one myriad-validator process per validator
// (each with its pebble store and shards), and runs the faucet in this
// process. It is what `myriad net up` does, and what end-to-end tests use.
//
// A network directory holds everything, so a second Up on the same
// directory restarts the same network with its state:
//
//	DIR/genesis.json          the network's genesis (validators and wallets read it)
//	DIR/validator-N/key.json  validator N's key; DIR/validator-N/db its store
//	DIR/validator-N.log       its output
//	DIR/chains.json           the owner keys of the root chains (admin, faucet, spare ones)
//	DIR/faucet-db             the faucet's local state
//	DIR/network.json          where the running network serves (validators, metrics, faucet)
package localnet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/faucet"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
)

// Config describes a local network.
type Config struct {
	// Dir holds the network's files; required.
	Dir string
	// Validators and Shards per validator; defaults 4 and 2.
	Validators, Shards int
	// PortBase is the first validator's port; validator i listens on
	// PortBase+i and serves metrics on PortBase+100+i. 0 picks free ports.
	PortBase int
	// FaucetPort is the faucet's HTTP port; 0 picks a free one, -1 runs
	// no faucet.
	FaucetPort int
	// InitialAmount is the faucet chain's balance; ClaimAmount what each
	// claim gives. Defaults: 1,000,000 and 100 tokens.
	InitialAmount, ClaimAmount amount.Amount
	// SpareChains is the number of extra root chains with their own keys
	// and InitialAmount each (for tests and benchmarks); default 3.
	SpareChains int
	// Policy is "no-fees" (default) or "testnet".
	Policy string
	// ValidatorBin is the myriad-validator executable; default: next to
	// this executable, else on $PATH.
	ValidatorBin string
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
	// Split, if set and not "" for validator i, runs that validator as a
	// proxy and one process per shard, each shard on its own loopback
	// address (127.0.1.s+1), all on the storage it names (a cql:// URL the
	// shards share) instead of `run` on its pebble folder.
	Split func(i int) string
}

// Network is a running local network.
type Network struct {
	Config
	GenesisPath string
	Genesis     *chain.Genesis
	// Addresses are the validators' ws:// addresses, by validator index
	// (the folder validator-i); Metrics their metrics URLs.
	Addresses, Metrics []string
	// FaucetURL is the faucet's URL ("" without a faucet).
	FaucetURL string
	// Keys are the owner keys of the root chains, by root index (0 is the
	// admin chain, 1 the faucet chain).
	Keys   []*keys.PrivateKey
	mports []int
	procs  []*proc         // by validator: its `run` process, or its proxy
	shards map[int][]*proc // the shard processes of split validators
	peers  map[int][]string
	done   chan error
	stop   context.CancelFunc
}

type proc struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// FaucetChain is the root index of the faucet's chain.
const FaucetChain = 1

func (c *Config) defaults() error {
	if c.Dir == "" {
		return errors.New("localnet: no directory")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Validators, 4)
	def(&c.Shards, 2)
	def(&c.SpareChains, 3)
	if c.InitialAmount.IsZero() {
		c.InitialAmount = amount.Tokens(1_000_000)
	}
	if c.ClaimAmount.IsZero() {
		c.ClaimAmount = amount.Tokens(100)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.ValidatorBin == "" {
		c.ValidatorBin = findValidator()
	}
	return nil
}

func findValidator() string {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "myriad-validator")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("myriad-validator"); err == nil {
		return p
	}
	return "myriad-validator"
}

// Up writes the network's files if the directory has none, starts the
// validators and the faucet, and returns once all of them accept
// connections. Cancel ctx or call Close to stop everything.
func Up(ctx context.Context, cfg Config) (*Network, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	n := &Network{Config: cfg, GenesisPath: filepath.Join(cfg.Dir, "genesis.json"), done: make(chan error, 1)}
	if err := n.prepare(); err != nil {
		return nil, err
	}
	ctx, n.stop = context.WithCancel(ctx)
	if err := n.startValidators(ctx); err != nil {
		n.Close()
		return nil, err
	}
	if err := n.startFaucet(ctx); err != nil {
		n.Close()
		return nil, err
	}
	if err := n.writeState(); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

type state struct {
	Addresses []string `json:"validators"`
	Metrics   []string `json:"metrics"`
	FaucetURL string   `json:"faucet_url,omitempty"`
}

// writeState records where the running network serves, for Load.
func (n *Network) writeState() error {
	b, _ := json.MarshalIndent(state{n.Addresses, n.Metrics, n.FaucetURL}, "", "  ")
	if err := os.WriteFile(filepath.Join(n.Dir, "network.json"), b, 0o644); err != nil {
		return fmt.Errorf("localnet: %w", err)
	}
	return nil
}

// Load reads the files of a network that another process runs (started by
// Up on dir): its genesis, keys, addresses and metrics URLs. Close on the
// result does nothing.
func Load(dir string) (*Network, error) {
	n := &Network{Config: Config{Dir: dir}, GenesisPath: filepath.Join(dir, "genesis.json")}
	if err := n.load(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "network.json"))
	if err != nil {
		return nil, fmt.Errorf("localnet: is the network running? %w", err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("localnet: network.json: %w", err)
	}
	n.Metrics, n.FaucetURL = st.Metrics, st.FaucetURL
	return n, nil
}

// Close stops the faucet and every validator process and waits for them.
func (n *Network) Close() error {
	if n.stop != nil {
		n.stop()
	}
	all := slices.Clone(n.procs)
	for _, ps := range n.shards {
		all = append(all, ps...)
	}
	for _, p := range all {
		p.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // may have exited
	}
	for _, p := range all {
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill() //nolint:errcheck // did not stop in time
			<-p.exited
		}
	}
	n.procs = nil
	return nil
}

// Kill stops validator i at once with SIGKILL, as a crash would (for a
// split validator, its proxy and every shard).
func (n *Network) Kill(i int) error {
	for s := range n.shards[i] {
		if err := n.KillShard(i, s); err != nil {
			return err
		}
	}
	p := n.procs[i]
	if err := p.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("localnet: kill validator %d: %w", i, err)
	}
	<-p.exited
	return nil
}

// Restart starts validator i again after Kill.
func (n *Network) Restart(ctx context.Context, i int) error {
	p, err := n.startValidator(ctx, i)
	if err != nil {
		return err
	}
	n.procs[i] = p
	return waitListening(ctx, n.Addresses[i], 30*time.Second)
}

// Done is closed with the first error of a process that ended on its own.
func (n *Network) Done() <-chan error { return n.done }

type chainKeys struct {
	Seeds []string `json:"seeds"`
}

// prepare creates or loads the genesis and keys.
func (n *Network) prepare() error {
	if err := os.MkdirAll(n.Dir, 0o755); err != nil {
		return fmt.Errorf("localnet: %w", err)
	}
	if _, err := os.Stat(n.GenesisPath); errors.Is(err, os.ErrNotExist) {
		if err := n.create(); err != nil {
			return err
		}
	}
	return n.load()
}

func (n *Network) create() error {
	f := &validator.GenesisFile{Committee: validator.GenesisCommittee{Policy: n.Policy},
		Timestamp: uint64(time.Now().UnixMicro())}
	ports, err := n.ports(n.Validators)
	if err != nil {
		return err
	}
	for i := range n.Validators {
		k, err := keys.Generate(rand.Reader)
		if err != nil {
			return err
		}
		dir := filepath.Join(n.Dir, fmt.Sprintf("validator-%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("localnet: %w", err)
		}
		if err := validator.WriteKey(filepath.Join(dir, "key.json"), k); err != nil {
			return err
		}
		f.Committee.Validators = append(f.Committee.Validators, validator.GenesisValidator{
			PublicKey: k.Public(), Weight: 1, Address: "ws://127.0.0.1:" + strconv.Itoa(ports[i])})
	}
	var ck chainKeys
	for i := 0; i < 2+n.SpareChains; i++ {
		k, err := keys.Generate(rand.Reader)
		if err != nil {
			return err
		}
		seed := k.Seed()
		ck.Seeds = append(ck.Seeds, hex.EncodeToString(seed[:]))
		bal := n.InitialAmount // the faucet chain and the spare chains
		if i == 0 {
			bal = amount.Zero // the admin chain
		}
		f.Chains = append(f.Chains, validator.GenesisChain{Owner: k.Owner(), Balance: bal})
	}
	b, _ := json.MarshalIndent(ck, "", "  ")
	if err := os.WriteFile(filepath.Join(n.Dir, "chains.json"), b, 0o600); err != nil {
		return fmt.Errorf("localnet: %w", err)
	}
	return validator.WriteGenesis(n.GenesisPath, f)
}

func (n *Network) load() error {
	g, err := validator.LoadGenesis(n.GenesisPath)
	if err != nil {
		return err
	}
	n.Genesis = g
	b, err := os.ReadFile(filepath.Join(n.Dir, "chains.json"))
	if err != nil {
		return fmt.Errorf("localnet: %w", err)
	}
	var ck chainKeys
	if err := json.Unmarshal(b, &ck); err != nil {
		return fmt.Errorf("localnet: chains.json: %w", err)
	}
	for _, s := range ck.Seeds {
		var seed [keys.SeedSize]byte
		if _, err := hex.Decode(seed[:], []byte(s)); err != nil {
			return fmt.Errorf("localnet: chains.json: %w", err)
		}
		n.Keys = append(n.Keys, keys.NewPrivateKey(seed))
	}
	// Validator i is the one whose key is in validator-i/: the committee
	// lists validators sorted by key, in another order.
	n.Addresses = make([]string, len(g.Committee.Validators))
	for i := range n.Addresses {
		k, err := validator.LoadKey(filepath.Join(n.Dir, fmt.Sprintf("validator-%d", i), "key.json"))
		if err != nil {
			return err
		}
		j, ok := g.Committee.Index(k.Public())
		if !ok {
			return fmt.Errorf("localnet: validator-%d's key is not in the genesis committee", i)
		}
		n.Addresses[i] = g.Committee.Validators[j].Address
	}
	n.Validators = len(n.Addresses)
	return nil
}

// ports returns k ports: from PortBase, or free ones.
func (n *Network) ports(k int) ([]int, error) {
	if n.PortBase == 0 {
		return freePorts(k)
	}
	out := make([]int, k)
	for i := range out {
		out[i] = n.PortBase + i
	}
	return out, nil
}

// freePorts returns k distinct free ports: all k listeners stay open until
// every port is chosen, so the kernel cannot hand out one port twice.
func freePorts(k int) ([]int, error) {
	out := make([]int, 0, k)
	for range k {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("localnet: find a free port: %w", err)
		}
		defer l.Close()
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}

func (n *Network) startValidators(ctx context.Context) error {
	mports, err := n.metricsPorts()
	if err != nil {
		return err
	}
	for i, mport := range mports {
		n.mports = append(n.mports, mport)
		n.Metrics = append(n.Metrics, fmt.Sprintf("http://127.0.0.1:%d/metrics", mport))
		p, err := n.startValidator(ctx, i)
		if err != nil {
			return err
		}
		n.procs = append(n.procs, p)
	}
	for i, addr := range n.Addresses {
		if err := waitListening(ctx, addr, 30*time.Second); err != nil {
			return fmt.Errorf("localnet: validator %d: %w (see %s)", i, err, n.logPath(i))
		}
	}
	return nil
}

func (n *Network) logPath(i int) string {
	return filepath.Join(n.Dir, fmt.Sprintf("validator-%d.log", i))
}

func (n *Network) startValidator(ctx context.Context, i int) (*proc, error) {
	if n.Split != nil && n.Split(i) != "" {
		return n.startSplit(ctx, i)
	}
	dir := filepath.Join(n.Dir, fmt.Sprintf("validator-%d", i))
	return n.startProc(ctx, fmt.Sprintf("validator %d", i), n.logPath(i), "run", "--key", filepath.Join(dir, "key.json"),
		"--genesis", n.GenesisPath, "--storage", filepath.Join(dir, "db"), "--shards", strconv.Itoa(n.Shards),
		"--metrics-port", strconv.Itoa(n.mports[i]), "--rate-limit", "0")
}

// startProc starts myriad-validator with args, its output appended to
// logPath; name says which process in errors.
func (n *Network) startProc(ctx context.Context, name, logPath string, args ...string) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("localnet: %w", err)
	}
	cmd := exec.Command(n.ValidatorBin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("localnet: start %s (%s): %w; build it with `go build ./cmd/myriad-validator`", name, n.ValidatorBin, err)
	}
	n.Logger.Info("started", "process", name, "command", args[0], "pid", cmd.Process.Pid)
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		logf.Close()
		close(p.exited)
		if ctx.Err() == nil {
			select {
			case n.done <- fmt.Errorf("localnet: %s exited: %v", name, err):
			default:
			}
		}
	}()
	return p, nil
}

// metricsPorts returns the validators' metrics ports: PortBase+100+i, or
// free ports that are not also validator ports.
func (n *Network) metricsPorts() ([]int, error) {
	if n.PortBase > 0 {
		out := make([]int, len(n.Addresses))
		for i := range out {
			out[i] = n.PortBase + 100 + i
		}
		return out, nil
	}
	taken := map[string]bool{}
	for _, a := range n.Addresses {
		if hp, err := hostPort(a); err == nil {
			_, p, _ := net.SplitHostPort(hp)
			taken[p] = true
		}
	}
	var out []int
	for len(out) < len(n.Addresses) {
		ps, err := freePorts(len(n.Addresses))
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !taken[strconv.Itoa(p)] && len(out) < len(n.Addresses) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// waitListening polls a ws:// address until it accepts TCP connections.
func waitListening(ctx context.Context, addr string, limit time.Duration) error {
	host := addr
	if u, err := hostPort(addr); err == nil {
		host = u
	}
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s after %s: %w", host, limit, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func hostPort(addr string) (string, error) {
	for _, p := range []string{"ws://", "wss://", "http://", "https://"} {
		if len(addr) > len(p) && addr[:len(p)] == p {
			addr = addr[len(p):]
		}
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return "", err
	}
	return addr, nil
}

func (n *Network) startFaucet(ctx context.Context) error {
	if n.FaucetPort < 0 {
		return nil
	}
	port := n.FaucetPort
	if port == 0 {
		ps, err := freePorts(1)
		if err != nil {
			return err
		}
		port = ps[0]
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("localnet: faucet: %w", err)
	}
	store, err := pebblestore.New(pebblestore.Config{Dir: filepath.Join(n.Dir, "faucet-db")})
	if err != nil {
		ln.Close()
		return fmt.Errorf("localnet: faucet store: %w", err)
	}
	gj, err := os.ReadFile(n.GenesisPath)
	if err != nil {
		ln.Close()
		store.Close()
		return fmt.Errorf("localnet: %w", err)
	}
	cfg := faucet.Config{Listener: ln, Genesis: n.Genesis, GenesisJSON: gj, Chain: n.Genesis.ChainID(FaucetChain),
		Seed: n.Keys[FaucetChain].Seed(), Store: store,
		Options: faucet.Options{Amount: n.ClaimAmount, Logger: n.Logger,
			// Every local client comes from 127.0.0.1: a generous per-address
			// limit; the per-owner limit (one chain each) stays.
			RateLimit: faucet.RateLimit{Every: 100 * time.Millisecond, Burst: 100}}}
	n.FaucetURL = "http://" + ln.Addr().String()
	go func() {
		err := faucet.Run(ctx, cfg)
		store.Close()
		if ctx.Err() == nil {
			select {
			case n.done <- fmt.Errorf("localnet: faucet stopped: %w", err):
			default:
			}
		}
	}()
	return nil
}
