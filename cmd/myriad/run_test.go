package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

// runCLI runs the CLI with no wallet environment.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	for _, args := range [][]string{{"demo"}, {"demo", "--offline", "--seed", "7"}} {
		code, out, errs := runCLI(args...)
		if code != 0 {
			t.Fatalf("run(%v) = %d, stderr %s", args, code, errs)
		}
		// alice: 100 - 12.5 + 7 - 0.25; bob: 100 + 12.5 - 40; carol: 40 - 7 + 0.25.
		for _, want := range []string{"alice balance 94.25 ", "bob   balance 72.5 ", "carol balance 33.25 "} {
			if !strings.Contains(out, want) {
				t.Errorf("run(%v) output lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestDemoJSON(t *testing.T) {
	code, out, errs := runCLI("--json", "demo")
	if code != 0 {
		t.Fatalf("demo --json = %d, stderr %s", code, errs)
	}
	var v demoView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("demo --json printed no JSON: %v\n%s", err, out)
	}
	if len(v.Balances) != 3 || v.Balances[0].Balance.String() != "94.25" {
		t.Errorf("demo --json balances = %+v, want alice 94.25 first", v.Balances)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: myriad"},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"wallet", "bogus"}, 2, `unknown command "wallet bogus"`},
		{[]string{"demo", "--validators", "0"}, 2, "need at least one validator"},
		{[]string{"demo", "extra"}, 2, "too many arguments"},
		{[]string{"transfer", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"--json", "transfer", "--nope"}, 2, `"hint":"usage: myriad transfer AMOUNT --to CHAIN[:OWNER] [flags]`},
	} {
		code, _, errs := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("run(%q) = %d, %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	code, out, _ := runCLI("help", "transfer")
	if code != 0 || !strings.Contains(out, "--from") || !strings.Contains(out, "--to") {
		t.Errorf("help transfer = %d, %q; want the transfer flags", code, out)
	}
	code, out, _ = runCLI("transfer", "--help")
	if code != 0 || !strings.Contains(out, "usage: myriad transfer") {
		t.Errorf("transfer --help = %d, %q; want its usage", code, out)
	}
}

// TestCLIDoc checks that docs/cli.md matches the command table; -rewrite
// regenerates it.
func TestCLIDoc(t *testing.T) {
	const path = "../../docs/cli.md"
	want := cliDoc()
	if *rewrite {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s is out of date (%v): run go test ./cmd/myriad -run TestCLIDoc -rewrite", path, err)
	}
}

func cliDoc() string {
	var b strings.Builder
	b.WriteString("# The `myriad` command line\n\n")
	b.WriteString("<!-- Generated from cmd/myriad's command table by `go test ./cmd/myriad -run TestCLIDoc -rewrite`. Do not edit. -->\n\n")
	b.WriteString("`myriad [--wallet PATH] [--storage PATH] [--json] COMMAND [flags] [args]`\n\n")
	b.WriteString("Flags may come before or after a command's arguments. Exit codes: 0 success, 1 the command failed, 2 a usage error. ")
	b.WriteString("Errors go to standard error with a hint saying what to do (with `--json`: one JSON object, `{\"error\", \"hint\"}`).\n\n")
	b.WriteString("CHAIN is a chain id (64 hex digits) or a unique prefix of a tracked chain's id; OWNER is an owner as `myriad keygen` prints it; ")
	b.WriteString("AMOUNT is a decimal number of tokens such as `12.5`.\n\n")
	b.WriteString("## Global flags\n\n| flag | meaning |\n|---|---|\n")
	fs := flag.NewFlagSet("myriad", flag.ContinueOnError)
	(&env{}).globalFlags(fs)
	fs.VisitAll(func(f *flag.Flag) { fmt.Fprintf(&b, "| `--%s` | %s |\n", f.Name, f.Usage) })
	b.WriteString("\n## Commands\n\n")
	for i := range commands {
		c := &commands[i]
		fmt.Fprintf(&b, "- [`%s`](#myriad-%s) — %s\n", c.name, strings.ReplaceAll(c.name, " ", "-"), summary(c))
	}
	for i := range commands {
		c := &commands[i]
		fmt.Fprintf(&b, "\n### myriad %s\n\n`%s`\n\n%s\n", c.name, usageLine(c), c.help)
		if flags := commandFlags(c); len(flags) > 0 {
			b.WriteString("\n| flag | default | meaning |\n|---|---|---|\n")
			for _, f := range flags {
				fmt.Fprintf(&b, "| `--%s` | %s | %s |\n", f.Name, codeOrEmpty(f.DefValue), f.Usage)
			}
		}
	}
	return b.String()
}

func codeOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
