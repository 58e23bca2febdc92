package testnet

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
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
