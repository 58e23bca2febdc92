package testnet

// The commands of the transcript tests (see TestTranscripts).

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

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
