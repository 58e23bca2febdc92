package validator

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
	wasmrt "github.com/myriadchain/myriad/runtime"
	cqlstore "github.com/myriadchain/myriad/storage/cql"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
)

const usage = `usage: myriad-validator COMMAND [flags]

commands:
  run     run a validator: the proxy and every shard in one process (the default setup)
  shard   run one shard of a validator (--index i --shards n --peers ADDR,…)
  proxy   accept client connections and route them to shard processes (--shard-addrs ADDR,…)
  keygen  make a validator key (--out key.json) and print its public key

Flags may also come from a JSON config file (--config FILE) whose keys are
the flag names with underscores (metrics_port, rate_limit, …); flags win.
Run "myriad-validator COMMAND -h" for a command's flags.
`

// Main runs the myriad-validator command with args (without the program
// name) until ctx is done, and returns the exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	var err error
	switch cmd {
	case "run", "shard", "proxy":
		err = serveCommand(ctx, cmd, args, stdout, stderr)
	case "keygen":
		err = keygen(args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "myriad-validator: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "myriad-validator %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// options are the flags of the serving commands, and the config file.
type options struct {
	Listen      string   `json:"listen"`
	MetricsPort int      `json:"metrics_port"`
	Key         string   `json:"key"`
	Storage     string   `json:"storage"`
	Genesis     string   `json:"genesis"`
	Shards      int      `json:"shards"`
	Index       int      `json:"index"`
	Peers       []string `json:"peers"`
	ShardAddrs  []string `json:"shard_addrs"`
	RateLimit   float64  `json:"rate_limit"`
	RateBurst   int      `json:"rate_burst"`
	MaxInFlight int      `json:"max_in_flight"`
	CacheMB     int      `json:"cache_mb"`
	LogLevel    string   `json:"log_level"`
	Config      string   `json:"-"`
}

func defaultOptions() options {
	return options{Shards: 1, RateLimit: 1000, CacheMB: 64, LogLevel: "info"}
}

// listFlag is a comma-separated list flag.
type listFlag struct{ v *[]string }

func (l listFlag) String() string {
	if l.v == nil {
		return ""
	}
	return strings.Join(*l.v, ",")
}

func (l listFlag) Set(s string) error {
	*l.v = nil
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l.v = append(*l.v, x)
		}
	}
	return nil
}

func flagSet(cmd string, o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("myriad-validator "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Config, "config", o.Config, "JSON config file with defaults for these flags")
	fs.StringVar(&o.Listen, "listen", o.Listen, "address to serve on (default: the committee's address for this key, else 127.0.0.1:9100)")
	fs.IntVar(&o.MetricsPort, "metrics-port", o.MetricsPort, "port for Prometheus metrics on the listen host (0: off)")
	fs.Float64Var(&o.RateLimit, "rate-limit", o.RateLimit, "requests per second per remote address (0: no limit)")
	fs.IntVar(&o.RateBurst, "rate-burst", o.RateBurst, "burst of the rate limit (0: twice the rate)")
	fs.IntVar(&o.MaxInFlight, "max-in-flight", o.MaxInFlight, "requests in flight per connection (0: 64)")
	fs.StringVar(&o.LogLevel, "log-level", o.LogLevel, "debug, info, warn or error")
	if cmd == "proxy" {
		fs.Var(listFlag{&o.ShardAddrs}, "shard-addrs", "internal addresses of the shard processes, in shard order (ws://host:port,…)")
		return fs
	}
	fs.StringVar(&o.Key, "key", o.Key, "validator key file (from keygen)")
	fs.StringVar(&o.Storage, "storage", o.Storage, "storage: a pebble directory, :memory: for a throwaway store, or cql://host1,host2/keyspace?consistency=quorum")
	fs.StringVar(&o.Genesis, "genesis", o.Genesis, "genesis file (JSON)")
	fs.IntVar(&o.Shards, "shards", o.Shards, "number of shards of the validator")
	fs.IntVar(&o.CacheMB, "cache-mb", o.CacheMB, "chain state read cache, MiB (0: off)")
	if cmd == "shard" {
		fs.IntVar(&o.Index, "index", o.Index, "this shard's index, from 0")
		fs.Var(listFlag{&o.Peers}, "peers", "internal addresses of every shard, in shard order (ws://host:port,…)")
	}
	return fs
}

// parseOptions reads the config file named by --config, if any, then the
// flags over it.
func parseOptions(cmd string, args []string, stderr io.Writer) (options, error) {
	var probe options
	fs := flagSet(cmd, &probe, io.Discard)
	if err := fs.Parse(args); err != nil && !errors.Is(err, flag.ErrHelp) {
		flagSet(cmd, &probe, stderr).Parse(args) //nolint:errcheck // prints the error and usage
		return options{}, err
	}
	o := defaultOptions()
	if probe.Config != "" {
		b, err := os.ReadFile(probe.Config)
		if err != nil {
			return o, err
		}
		if err := strictJSON(b, &o); err != nil {
			return o, fmt.Errorf("config %s: %w", probe.Config, err)
		}
	}
	fs = flagSet(cmd, &o, stderr)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, nil
}

func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

func keygen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("myriad-validator keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "file to write the key to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required")
	}
	k, err := keys.Generate(rand.Reader)
	if err != nil {
		return err
	}
	if err := WriteKey(*out, k); err != nil {
		return err
	}
	fmt.Fprintln(stdout, k.Public())
	return nil
}

// serveCommand runs run, shard or proxy until ctx is done.
func serveCommand(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(cmd, args, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(o.LogLevel, stderr)
	if err != nil {
		return err
	}
	cfg, listen, err := o.config(ctx, cmd, log)
	if err != nil {
		return err
	}
	if cfg.Store != nil {
		vm, err := newVM(o.Storage)
		if err != nil {
			cfg.Store.Close()
			return err
		}
		defer vm.Close()
		cfg.VM = vm
	}
	srv, err := New(cfg)
	if err != nil {
		if cfg.Store != nil {
			cfg.Store.Close()
		}
		return err
	}
	return serveUntilDone(ctx, srv, listen, o.MetricsPort, cmd, stdout)
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// config turns options into a Server config and the address to listen on.
func (o options) config(ctx context.Context, cmd string, log *slog.Logger) (Config, string, error) {
	cfg := Config{Logger: log, RateLimit: o.RateLimit, RateBurst: o.RateBurst, MaxInFlight: o.MaxInFlight,
		CacheBytes: int64(o.CacheMB) << 20}
	if o.CacheMB <= 0 {
		cfg.CacheBytes = -1
	}
	listen := o.Listen
	if cmd == "proxy" {
		if len(o.ShardAddrs) == 0 {
			return cfg, "", errors.New("--shard-addrs is required")
		}
		cfg.Shards, cfg.Peers = len(o.ShardAddrs), o.ShardAddrs
		return cfg, orDefault(listen, "127.0.0.1:9100"), nil
	}
	key, g, err := o.keyAndGenesis()
	if err != nil {
		return cfg, "", err
	}
	cfg.Key, cfg.Genesis, cfg.Shards = key, g, o.Shards
	if cmd == "shard" {
		if len(o.Peers) != o.Shards {
			return cfg, "", fmt.Errorf("--peers lists %d addresses for %d shards", len(o.Peers), o.Shards)
		}
		cfg.Local, cfg.Peers, cfg.Internal = []int{o.Index}, o.Peers, true
		if listen == "" && o.Index >= 0 && o.Index < len(o.Peers) {
			listen = hostPort(o.Peers[o.Index])
		}
	} else if listen == "" {
		i, _ := g.Committee.Index(key.Public())
		listen = hostPort(g.Committee.Validators[i].Address)
	}
	if cfg.Store, err = openStorage(ctx, o.Storage, key, log); err != nil {
		return cfg, "", err
	}
	return cfg, orDefault(listen, "127.0.0.1:9100"), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// hostPort returns the host:port of a ws:// address, or "".
func hostPort(address string) string {
	u, err := client.Endpoint(address, "http", "/")
	if err != nil {
		return ""
	}
	rest := u[strings.Index(u, "://")+3:]
	hp, _, _ := strings.Cut(rest, "/")
	return hp
}

func (o options) keyAndGenesis() (*keys.PrivateKey, *chain.Genesis, error) {
	if o.Key == "" || o.Genesis == "" {
		return nil, nil, errors.New("--key and --genesis are required")
	}
	key, err := LoadKey(o.Key)
	if err != nil {
		return nil, nil, err
	}
	g, err := LoadGenesis(o.Genesis)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := g.Committee.Index(key.Public()); !ok {
		return nil, nil, fmt.Errorf("key %s is not in the genesis committee", key.Public().Short())
	}
	return key, g, nil
}

// openStorage opens the store --storage names: a pebble directory,
// :memory:, or a cql:// URL (see docs/validator.md), whose namespace
// defaults to one derived from the validator's key, so that the shards of
// one validator share a table and validators do not.
func openStorage(ctx context.Context, spec string, key *keys.PrivateKey, log *slog.Logger) (kv.Store, error) {
	switch {
	case spec == "":
		return nil, errors.New("--storage DIR is required (or :memory: for a throwaway store, or cql://hosts/keyspace)")
	case spec == ":memory:":
		log.Warn("storage in memory: everything is lost when the process ends")
		return kv.NewMemory(), nil
	case strings.HasPrefix(spec, "cql://"):
		cfg, err := cqlstore.ParseURL(spec)
		if err != nil {
			return nil, err
		}
		if cfg.Namespace == "" {
			cfg.Namespace = "v_" + key.Public().String()[:16]
		}
		cfg.Logger = log
		log.Info("storage: connecting to CQL", "hosts", cfg.Hosts, "keyspace", cfg.Keyspace,
			"table", "kv_"+cfg.Namespace, "consistency", cfg.Consistency)
		return cqlstore.New(ctx, cfg)
	}
	return pebblestore.New(pebblestore.Config{Dir: spec, Logger: log})
}

// serveUntilDone serves srv on listen (and metrics on metricsPort) until
// ctx is done or serving fails, then closes it.
func serveUntilDone(ctx context.Context, srv *Server, listen string, metricsPort int, cmd string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		srv.Close()
		return err
	}
	errs := make(chan error, 2)
	go func() { errs <- srv.Serve(ln) }()
	metrics := "off"
	if metricsPort != 0 {
		host, _, _ := net.SplitHostPort(ln.Addr().String())
		mln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(metricsPort)))
		if err != nil {
			srv.Close()
			return fmt.Errorf("metrics: %w", err)
		}
		go func() { errs <- srv.ServeMetrics(mln) }()
		metrics = "http://" + mln.Addr().String() + "/metrics"
	}
	fmt.Fprintf(stdout, "myriad-validator %s: serving ws://%s (metrics %s)\n", cmd, ln.Addr(), metrics)
	select {
	case <-ctx.Done():
		err = nil
	case err = <-errs:
	}
	if cerr := srv.Close(); err == nil {
		err = cerr
	}
	return err
}

// newVM returns the application runtime, with its compiled code cached
// beside the storage.
func newVM(storage string) (*wasmrt.VM, error) {
	cfg := wasmrt.Config{}
	if storage != ":memory:" && storage != "" {
		clean := filepath.Clean(storage)
		cfg.CacheDir = filepath.Join(filepath.Dir(clean), filepath.Base(clean)+"-wasm-cache")
	}
	vm, err := wasmrt.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("validator: application runtime: %w", err)
	}
	return vm, nil
}
