package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// env is what a command runs with: its output, the environment, and how
// it reaches storage, validators and faucets. main wires the real ones;
// tests wire an in-process network.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// dir resolves relative paths; "" is the process's working directory.
	dir       string
	dialer    wallet.Dialer
	faucet    func(url string) wallet.Faucet
	openStore func(dir string) (kv.Store, error)
	// now returns the time in microseconds; rand makes keys. nil: system.
	now  func() uint64
	rand io.Reader

	// Set by the global flags.
	walletPath, storagePath string
	json, dryRun            bool
}

// globalFlags registers the flags every command accepts.
func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&e.walletPath, "wallet", e.walletPath, "wallet file (default $MYRIAD_WALLET, else wallet.json in the user config folder)")
	fs.StringVar(&e.storagePath, "storage", e.storagePath, "local node storage folder (default $MYRIAD_STORAGE, else beside the wallet file)")
	fs.BoolVar(&e.json, "json", e.json, "print results (and errors) as JSON")
	fs.BoolVar(&e.dryRun, "dry-run", e.dryRun, "with a command that signs blocks (transfer, process-inbox, open-chain, query-application …): show what its blocks would do, executed in the local node, and sign nothing")
}

// dryRunnable are the commands whose only effect is the blocks they sign
// (or the chain they track): --dry-run shows those and changes nothing.
// Others would still act (claim from a faucet, add a key, upload blobs),
// so they refuse the flag.
var dryRunnable = map[string]bool{
	"transfer": true, "process-inbox": true, "open-chain": true, "open-multi-owner-chain": true,
	"change-ownership": true, "close-chain": true, "query-application": true, "wallet follow-chain": true,
	"create-application": true,
}

// run runs the command line args and returns the exit code: 0 on success,
// 1 when the command failed, 2 for a usage error.
func run(ctx context.Context, e *env, args []string) int {
	top := flag.NewFlagSet("myriad", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	e.globalFlags(top)
	if err := top.Parse(args); err != nil {
		return e.fail("myriad", usageErrorf("%v", err))
	}
	cmd, rest := lookup(top.Args())
	if cmd == nil {
		if len(top.Args()) == 0 {
			fmt.Fprint(e.stderr, overview())
			return 2
		}
		return e.fail("myriad", usageErrorf("unknown command %q", strings.Join(top.Args(), " ")))
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.globalFlags(fs)
	do := cmd.setup(fs)
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, commandHelp(cmd))
		return 0
	}
	if err != nil {
		return e.fail(cmd.name, usageErrorf("%v", err))
	}
	var runs *wallet.DryRuns
	if e.dryRun {
		if !dryRunnable[cmd.name] {
			return e.fail(cmd.name, usageErrorf("--dry-run works only with the commands that sign blocks: %s", dryRunList()))
		}
		ctx, runs = wallet.WithDryRun(ctx)
	}
	res, err := do(ctx, e, pos)
	if runs != nil && errors.Is(err, wallet.ErrDryRun) {
		return e.print(previewView{gqlapi.PreviewOf(runs)})
	}
	if err != nil {
		return e.fail(cmd.name, err)
	}
	return e.print(res)
}

func dryRunList() string {
	var names []string
	for _, c := range commands {
		if dryRunnable[c.name] {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments ("transfer 5 --to X" as well as "transfer --to X 5").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// print writes a command's result as text or JSON.
func (e *env) print(res result) int {
	if res == nil {
		return 0
	}
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(e.stderr, "myriad: encode result: %v\n", err)
			return 1
		}
		return 0
	}
	res.text(e.stdout)
	return 0
}

// fail reports err and returns the exit code.
func (e *env) fail(cmd string, err error) int {
	msg, hint := explain(err)
	code := 1
	var u *usageError
	if errors.As(err, &u) {
		code = 2
		if c, _ := lookup(strings.Fields(cmd)); c != nil {
			hint = fmt.Sprintf("usage: %s; see `myriad help %s`", usageLine(c), c.name)
		} else {
			hint = "see `myriad help` for the commands"
		}
	}
	if e.json {
		out := struct {
			Error string `json:"error"`
			Hint  string `json:"hint,omitempty"`
		}{fmt.Sprintf("%s: %s", cmd, msg), hint}
		b, _ := json.Marshal(out)
		fmt.Fprintf(e.stderr, "%s\n", b)
		return code
	}
	if cmd != "myriad" {
		cmd = "myriad " + cmd
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", cmd, msg)
	if hint != "" {
		fmt.Fprintf(e.stderr, "  %s\n", hint)
	}
	return code
}

// walletFile returns the wallet file path: --wallet, $MYRIAD_WALLET, or
// wallet.json in the user's config folder.
func (e *env) walletFile() (string, error) {
	p := e.walletPath
	if p == "" {
		p = e.getenv("MYRIAD_WALLET")
	}
	if p == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("no wallet path: set --wallet or MYRIAD_WALLET (%w)", err)
		}
		p = filepath.Join(dir, "myriad", "wallet.json")
	}
	return e.abs(p), nil
}

// storageDir returns the storage folder: --storage, $MYRIAD_STORAGE, or
// the wallet file's path with .db in place of its extension.
func (e *env) storageDir(walletFile string) string {
	p := e.storagePath
	if p == "" {
		p = e.getenv("MYRIAD_STORAGE")
	}
	if p == "" {
		return strings.TrimSuffix(walletFile, filepath.Ext(walletFile)) + ".db"
	}
	return e.abs(p)
}

func (e *env) abs(p string) string {
	if filepath.IsAbs(p) || e.dir == "" {
		return p
	}
	return filepath.Join(e.dir, p)
}

// session is an open wallet and its store.
type session struct {
	*wallet.Wallet
	path, storage string
	store         kv.Store
}

func (s *session) close() {
	s.Wallet.Close() //nolint:errcheck // connections only
	s.store.Close()  //nolint:errcheck // read-only use is over; writes were synced by Apply
}

func (e *env) config(file string, store kv.Store) wallet.Config {
	cfg := wallet.Config{File: wallet.DiskFile(file), Store: store, Dialer: e.dialer, Now: e.now, Rand: e.rand,
		Logger: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if !e.json { // --json keeps stderr for the error object alone
		cfg.Progress = func(id ids.ChainID, next, target uint64) {
			fmt.Fprintf(e.stderr, "sync %s: %d of %d blocks\n", id.Short(), next, target)
		}
	}
	return cfg
}

// open opens the wallet and its store, or creates the wallet with create
// when it is not nil.
func (e *env) open(ctx context.Context, create func(context.Context, wallet.Config) (*wallet.Wallet, error)) (*session, error) {
	file, err := e.walletFile()
	if err != nil {
		return nil, err
	}
	dir := e.storageDir(file)
	if create == nil {
		if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s", wallet.ErrNoWallet, file)
		}
	}
	store, err := e.openStore(dir)
	if err != nil {
		return nil, &storageError{dir, err}
	}
	open := create
	if open == nil {
		open = wallet.Open
	}
	cfg := e.config(file, store)
	cfg.VMCacheDir = filepath.Clean(dir) + "-wasm-cache"
	w, err := open(ctx, cfg)
	if err != nil {
		store.Close() //nolint:errcheck // reporting err
		return nil, err
	}
	return &session{Wallet: w, path: file, storage: dir, store: store}, nil
}

// withChain is withWallet for commands about one chain: arg names it (a
// full id or a unique prefix of a tracked chain; "" is the default chain).
func withChain(ctx context.Context, e *env, arg string, f func(*session, ids.ChainID) (result, error)) (result, error) {
	return withWallet(ctx, e, func(s *session) (result, error) {
		id, err := chainArg(s.Wallet, arg)
		if err != nil {
			return nil, err
		}
		return f(s, id)
	})
}

// withWallet opens the wallet for a command and closes it after.
func withWallet(ctx context.Context, e *env, f func(*session) (result, error)) (result, error) {
	s, err := e.open(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer s.close()
	return f(s)
}
