package testnet

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// TestTranscripts runs the scripts in testdata/*.txt. Each case is one
// command, a line "----", and the expected output up to a blank line:
//
//	transfer 1 -> 2 30
//	----
//	ok: block 0 of chain 1 in multi-leader 0, validated by v0 v1 v2 v3, confirmed by v0 v1 v2 v3
//
// Commands (chains are named: root chains by index, child chains by the
// name given to open; NAME:owner is the owner account of NAME's key):
//
//	net chains=B0,B1,... [seed=N] [validators=N] [super]
//	transfer FROM[:owner] -> TO[:owner] AMOUNT
//	open PARENT NAME AMOUNT       open a child chain owned by a new key
//	close NAME
//	committee create EPOCH | committee remove EPOCH   on the admin chain 0
//	deliver
//	process-inbox NAME
//	sync NAME
//	fault VALIDATOR honest|offline|refuse-votes|wrong-vote|wrong-state-hash|equivocate
//	advance DURATION              e.g. 10s, 500ms
//	balance NAME[:owner]          as every validator online and the wallet see it
//	tips NAME                     next height on each validator
//	epoch NAME                    current and trusted epochs
//	supply                        sum of every account of every chain
//
// Run with -rewrite to record the actual output in place; review the diff.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) { runTranscript(t, file) })
	}
}

type transcriptCase struct {
	pre      []string // comments and blank lines before the command
	line     int
	cmd      string
	expected []string
}

func parseTranscript(t *testing.T, file string) ([]transcriptCase, []string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []transcriptCase
	var pre []string
	sc := bufio.NewScanner(f)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return sc.Text(), true
	}
	for {
		l, ok := next()
		if !ok {
			break
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre = append(pre, l)
			continue
		}
		c := transcriptCase{pre: pre, line: line, cmd: l}
		pre = nil
		if sep, ok := next(); !ok || sep != "----" {
			t.Fatalf("%s:%d: command %q not followed by ----", file, line, l)
		}
		for {
			out, ok := next()
			if !ok || out == "" {
				break
			}
			c.expected = append(c.expected, out)
		}
		cases = append(cases, c)
	}
	return cases, pre
}

func runTranscript(t *testing.T, file string) {
	cases, tail := parseTranscript(t, file)
	r := &transcript{t: t, ctx: context.Background()}
	var rewritten strings.Builder
	for _, c := range cases {
		got := r.run(c.cmd)
		for _, p := range c.pre {
			if strings.TrimSpace(p) != "" { // cases are separated by one blank line
				rewritten.WriteString(p + "\n")
			}
		}
		rewritten.WriteString(c.cmd + "\n----\n" + strings.Join(got, "\n") + "\n\n")
		if !*rewrite && strings.Join(got, "\n") != strings.Join(c.expected, "\n") {
			t.Errorf("%s:%d: %s\ngot:\n%s\nwant:\n%s", file, c.line, c.cmd, strings.Join(got, "\n"), strings.Join(c.expected, "\n"))
		}
	}
	if *rewrite {
		out := strings.TrimRight(rewritten.String(), "\n") + "\n"
		for _, p := range tail {
			if strings.TrimSpace(p) != "" {
				out += p + "\n"
			}
		}
		if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// transcript is the state of a running transcript: the network and a
// wallet per named chain.
type transcript struct {
	t       *testing.T
	ctx     context.Context
	n       *Network
	names   []string
	chains  map[string]ids.ChainID
	wallets map[string]*client.Client
	keys    map[string]*keys.PrivateKey
	// children waiting for a wallet (made on first use).
	pending map[string]bool
	renamer *strings.Replacer
	// sent are the certificates wallets sent to validators.
	sent []*block.Certificate
}

// record makes w's validators keep the certificates w sends.
func (r *transcript) record(w *client.Client) *client.Client {
	for i, v := range r.n.Validators {
		w.Validators[i] = recorder{v, &r.sent}
	}
	return w
}

func (r *transcript) run(cmd string) (out []string) {
	f := strings.Fields(cmd)
	defer func() {
		if p := recover(); p != nil {
			out = []string{fmt.Sprintf("panic: %v", p)}
		}
		for i := range out {
			out[i] = r.rename(out[i])
		}
	}()
	if r.n == nil && f[0] != "net" {
		return []string{"error: no network yet (net chains=...)"}
	}
	switch f[0] {
	case "net":
		return r.net(f[1:])
	case "transfer":
		return r.transfer(f[1:])
	case "open":
		return r.open(f[1:])
	case "close":
		return r.close(f[1:])
	case "committee":
		return r.committee(f[1:])
	case "deliver":
		return r.deliver()
	case "process-inbox":
		return r.process(f[1:])
	case "sync":
		return r.sync(f[1:])
	case "fault":
		return r.fault(f[1:])
	case "advance":
		return r.advance(f[1:])
	case "balance":
		return r.balance(f[1:])
	case "tips":
		return r.tips(f[1:])
	case "epoch":
		return r.epoch(f[1:])
	case "supply":
		return r.supply()
	}
	return []string{"error: unknown command " + f[0]}
}

func usage(s string) []string { return []string{"usage: " + s} }

func (r *transcript) net(args []string) []string {
	cfg := Config{Validators: 4, Seed: 1}
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "chains":
			for _, b := range strings.Split(v, ",") {
				amt, err := amount.Parse(b)
				if err != nil {
					return []string{"error: " + err.Error()}
				}
				cfg.Chains = append(cfg.Chains, amt)
			}
		case "seed":
			cfg.Seed, _ = strconv.ParseUint(v, 10, 64)
		case "validators":
			cfg.Validators, _ = strconv.Atoi(v)
		case "super":
			cfg.SuperOwners = true
		default:
			return usage("net chains=B0,B1,... [seed=N] [validators=N] [super]")
		}
	}
	r.n = New(cfg)
	r.chains, r.wallets, r.keys, r.pending = map[string]ids.ChainID{}, map[string]*client.Client{}, map[string]*keys.PrivateKey{}, map[string]bool{}
	r.names = nil
	var parts []string
	for i := range cfg.Chains {
		name := strconv.Itoa(i)
		r.names = append(r.names, name)
		r.chains[name] = r.n.Genesis.ChainID(i)
		r.keys[name] = r.n.Key(i)
		r.wallets[name] = r.record(r.n.Wallet(i))
		parts = append(parts, fmt.Sprintf("%s=%s", name, cfg.Chains[i]))
	}
	r.rebuildRenamer()
	return []string{fmt.Sprintf("%d validators, quorum %d; chains %s", cfg.Validators, r.n.Genesis.Committee.Quorum(), strings.Join(parts, " "))}
}

// rebuildRenamer replaces chain ids, owners and validator keys (short
// hex) by names in the output.
func (r *transcript) rebuildRenamer() {
	var pairs []string
	for _, name := range r.names {
		pairs = append(pairs, r.chains[name].Short(), "chain "+name, r.keys[name].Owner().Short(), "owner "+name)
	}
	for i, v := range r.n.Validators {
		pairs = append(pairs, v.PublicKey().Short(), fmt.Sprintf("v%d", i))
	}
	r.renamer = strings.NewReplacer(pairs...)
}

func (r *transcript) rename(s string) string {
	if r.renamer == nil {
		return s
	}
	return r.renamer.Replace(s)
}

// wallet returns the wallet of a named chain, making it for a child chain
// on first use.
func (r *transcript) wallet(name string) (*client.Client, error) {
	if w, ok := r.wallets[name]; ok {
		return w, nil
	}
	if !r.pending[name] {
		return nil, fmt.Errorf("unknown chain %q", name)
	}
	w := r.record(r.n.WalletFor(r.chains[name], r.keys[name]))
	if _, err := w.PendingBundles(r.ctx); err != nil {
		return nil, err
	}
	if !localState(w).Active() {
		return nil, fmt.Errorf("chain %s not created yet (deliver first)", name)
	}
	delete(r.pending, name)
	r.wallets[name] = w
	return w, nil
}

// account parses NAME or NAME:owner.
func (r *transcript) account(s string) (ids.Account, error) {
	name, owner, hasOwner := strings.Cut(s, ":")
	id, ok := r.chains[name]
	if !ok {
		return ids.Account{}, fmt.Errorf("unknown chain %q", name)
	}
	a := ids.Account{Chain: id}
	if hasOwner {
		if owner != "owner" {
			return a, fmt.Errorf("account %q: want NAME or NAME:owner", s)
		}
		a.Owner = r.keys[name].Owner()
	}
	return a, nil
}

func (r *transcript) certified(c *block.Certificate, err error) []string {
	defer func() { r.sent = nil }()
	if err != nil {
		return errorLines(err)
	}
	if c == nil {
		return []string{"nothing to do"}
	}
	head := fmt.Sprintf("ok: block %d of %s in %s", c.Value.Height(), c.Value.Chain().Short(), c.Round)
	for _, v := range r.sent {
		if v.Value.Kind == block.Validated && v.Hash() == c.Hash() && v.Round == c.Round {
			head += ", validated by " + signerNames(v)
			break
		}
	}
	return []string{head + ", confirmed by " + signerNames(c)}
}

func signerNames(c *block.Certificate) string {
	var names []string
	for _, s := range c.Signatures {
		names = append(names, fmt.Sprintf("v%d", s.Index))
	}
	return strings.Join(names, " ")
}

// errorLines prints an error; a quorum error gets one line per validator.
func errorLines(err error) []string {
	var qe *client.QuorumError
	if errors.As(err, &qe) {
		out := []string{fmt.Sprintf("error: quorum missing for %s: weight %d of %d", qe.What, qe.Weight, qe.Quorum)}
		for _, e := range qe.Errors {
			out = append(out, "  "+e)
		}
		return out
	}
	return []string{"error: " + err.Error()}
}

func (r *transcript) transfer(args []string) []string {
	if len(args) != 4 || args[1] != "->" {
		return usage("transfer FROM[:owner] -> TO[:owner] AMOUNT")
	}
	from, err := r.account(args[0])
	if err != nil {
		return errorLines(err)
	}
	dst, err := r.account(args[2])
	if err != nil {
		return errorLines(err)
	}
	amt, err := amount.Parse(args[3])
	if err != nil {
		return errorLines(err)
	}
	w, err := r.wallet(strings.Split(args[0], ":")[0])
	if err != nil {
		return errorLines(err)
	}
	return r.certified(w.Transfer(r.ctx, transfer(from.Owner, dst, amt)))
}

func (r *transcript) open(args []string) []string {
	if len(args) != 3 {
		return usage("open PARENT NAME AMOUNT")
	}
	w, err := r.wallet(args[0])
	if err != nil {
		return errorLines(err)
	}
	if _, ok := r.chains[args[1]]; ok {
		return []string{"error: name taken"}
	}
	amt, err := amount.Parse(args[2])
	if err != nil {
		return errorLines(err)
	}
	k := r.n.NewKey()
	op := system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(k.Owner()), Amount: amt}
	c, err := w.Execute(r.ctx, op.AsBlockOperation())
	if err != nil {
		return errorLines(err)
	}
	name := args[1]
	r.names = append(r.names, name)
	r.chains[name] = ids.ChildDescription(w.Chain, c.Value.Height(), 0).ID()
	r.keys[name] = k
	r.pending[name] = true
	r.rebuildRenamer()
	return r.certified(c, nil)
}

func (r *transcript) close(args []string) []string {
	if len(args) != 1 {
		return usage("close NAME")
	}
	w, err := r.wallet(args[0])
	if err != nil {
		return errorLines(err)
	}
	return r.certified(w.Execute(r.ctx, system.Operation{Kind: system.OpCloseChain}.AsBlockOperation()))
}

func (r *transcript) committee(args []string) []string {
	if len(args) != 2 || args[0] != "create" && args[0] != "remove" {
		return usage("committee create|remove EPOCH")
	}
	e, err := strconv.ParseUint(args[1], 10, 32)
	if err != nil {
		return errorLines(err)
	}
	op := system.Operation{Kind: system.OpRemoveCommittee, Epoch: uint32(e)}
	if args[0] == "create" {
		op = system.Operation{Kind: system.OpCreateCommittee, Epoch: uint32(e), Committee: r.n.Genesis.Committee}
	}
	return r.certified(r.wallets["0"].Execute(r.ctx, op.AsBlockOperation()))
}

func (r *transcript) deliver() []string {
	before := r.n.Delivered
	err := r.n.Deliver(r.ctx)
	out := fmt.Sprintf("delivered %d messages", r.n.Delivered-before)
	if p := r.n.Pending(); p > 0 {
		out += fmt.Sprintf(", %d waiting for offline validators", p)
	}
	if err != nil {
		return []string{out, "error: " + err.Error()}
	}
	return []string{out}
}

func (r *transcript) process(args []string) []string {
	if len(args) != 1 {
		return usage("process-inbox NAME")
	}
	w, err := r.wallet(args[0])
	if err != nil {
		return errorLines(err)
	}
	c, err := w.ProcessInbox(r.ctx)
	out := r.certified(c, err)
	if c == nil || err != nil {
		return out
	}
	for _, tx := range c.Value.Block.Block.Transactions {
		action := "accept"
		if tx.Bundle.Action == block.Reject {
			action = "reject"
		}
		out = append(out, fmt.Sprintf("  %s bundle %s from %s: %s", action, tx.Bundle.Bundle.Cursor(), tx.Bundle.Origin.Short(), describeMessages(tx.Bundle.Bundle.Messages)))
	}
	return out
}

func describeMessages(ms []block.PostedMessage) string {
	var parts []string
	for _, pm := range ms {
		m, err := system.DecodeMessage(pm.Message.Bytes)
		if err != nil {
			parts = append(parts, "?")
			continue
		}
		s := fmt.Sprintf("%s %s", pm.Kind, m.Kind)
		if m.Kind == system.MsgCredit {
			s += " " + m.Amount.String()
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func (r *transcript) sync(args []string) []string {
	if len(args) != 1 {
		return usage("sync NAME")
	}
	w, err := r.wallet(args[0])
	if err != nil {
		return errorLines(err)
	}
	if err := w.Sync(r.ctx); err != nil {
		return errorLines(err)
	}
	return []string{fmt.Sprintf("wallet at height %d", localState(w).Tip().NextHeight)}
}

func (r *transcript) fault(args []string) []string {
	if len(args) != 2 {
		return usage("fault VALIDATOR MODE")
	}
	v, err := strconv.Atoi(args[0])
	if err != nil || v < 0 || v >= len(r.n.Validators) {
		return []string{"error: no validator " + args[0]}
	}
	for f, name := range faultNames {
		if name == args[1] {
			r.n.Validators[v].Fault = f
			return []string{fmt.Sprintf("validator %d %s", v, f)}
		}
	}
	return []string{"error: unknown fault " + args[1]}
}

func (r *transcript) advance(args []string) []string {
	if len(args) != 1 {
		return usage("advance DURATION")
	}
	d, err := time.ParseDuration(args[0])
	if err != nil || d < 0 {
		return []string{"error: bad duration " + args[0]}
	}
	r.n.Advance(uint64(d.Microseconds()))
	return []string{fmt.Sprintf("clock %s", time.Duration(r.n.Clock-1_000_000)*time.Microsecond)}
}

func (r *transcript) balance(args []string) []string {
	if len(args) != 1 {
		return usage("balance NAME[:owner]")
	}
	a, err := r.account(args[0])
	if err != nil {
		return errorLines(err)
	}
	seen := map[string][]string{}
	for i, v := range r.n.Validators {
		if v.Fault == Offline {
			continue
		}
		b := ownerBalance(r.n, i, a.Chain, a.Owner).String()
		seen[b] = append(seen[b], fmt.Sprintf("v%d", i))
	}
	if w, ok := r.wallets[strings.Split(args[0], ":")[0]]; ok {
		b := localState(w).System.OwnerBalance(a.Owner).String()
		seen[b] = append(seen[b], "wallet")
	}
	if len(seen) == 1 {
		for b := range seen {
			return []string{b}
		}
	}
	var parts []string
	for b, who := range seen {
		parts = append(parts, fmt.Sprintf("%s (%s)", b, strings.Join(who, " ")))
	}
	sort.Strings(parts)
	return []string{"disagree: " + strings.Join(parts, "; ")}
}

func (r *transcript) tips(args []string) []string {
	if len(args) != 1 {
		return usage("tips NAME")
	}
	id, ok := r.chains[args[0]]
	if !ok {
		return []string{"error: unknown chain " + args[0]}
	}
	var parts []string
	for i := range r.n.Validators {
		s := state(r.n, i, id)
		h := "-"
		if s.Active() {
			h = strconv.FormatUint(s.Tip().NextHeight, 10)
		}
		parts = append(parts, fmt.Sprintf("v%d:%s", i, h))
	}
	return []string{strings.Join(parts, " ")}
}

func (r *transcript) epoch(args []string) []string {
	if len(args) != 1 {
		return usage("epoch NAME")
	}
	id, ok := r.chains[args[0]]
	if !ok {
		return []string{"error: unknown chain " + args[0]}
	}
	seen := map[string]bool{}
	var out []string
	for i := range r.n.Validators {
		e, trusted := epochs(r.n, i, id)
		s := fmt.Sprintf("epoch %d, trusts %v", e, trusted)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) > 1 {
		return []string{"disagree: " + strings.Join(out, "; ")}
	}
	return out
}

func (r *transcript) supply() []string {
	var chains []ids.ChainID
	for _, name := range r.names {
		chains = append(chains, r.chains[name])
	}
	return []string{supply(r.t, r.n, firstOnline(r.n), chains).String()}
}
