package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// result is what a command prints: as JSON with --json (through its json
// tags), else as text.
type result interface {
	text(w io.Writer)
}

// runner runs a command with its positional arguments.
type runner func(ctx context.Context, e *env, args []string) (result, error)

// command is one entry of the command table. setup registers the
// command's flags on fs and returns the function that runs it (reading the
// flags' values).
type command struct {
	name  string // one or two words: "keygen", "wallet init"
	args  string // positional arguments and required flags, for usage lines
	help  string // first sentence: the summary; the rest: details
	setup func(fs *flag.FlagSet) runner
}

// commands is the command table. To add a command, write its setup
// function and add a line here; docs/cli.md is regenerated from this table
// (go test ./cmd/myriad -run TestCLIDoc -rewrite).
var commands []command

func init() {
	commands = []command{
		{"wallet init", "[--genesis FILE | --faucet URL]", "Create a wallet for a network. " +
			"The genesis comes from a file or from a faucet; --with-new-chain also asks the faucet for a chain.", cmdWalletInit},
		{"wallet show", "", "Show the wallet: network, keys and tracked chains with their local state.", cmdWalletShow},
		{"wallet request-chain", "[--faucet URL]", "Ask a faucet for a new chain owned by a new key, and track it. " +
			"The faucet defaults to the one the wallet was made from, then $MYRIAD_FAUCET_URL. " +
			"It is asked over GraphQL: `mutation { claim(owner: \"OWNER\") }` answers the new chain's description " +
			"`{\"parent\": CHAIN, \"height\": H, \"index\": I}`, and `query { genesisConfig }` the genesis file.", cmdRequestChain},
		{"wallet follow-chain", "CHAIN", "Track a chain: download it into the local node. " +
			"If one of the wallet's keys owns the chain, the wallet can then propose on it.", cmdFollowChain},
		{"wallet set-default", "CHAIN", "Make a tracked chain the one commands use when none is named.", cmdSetDefault},
		{"keygen", "", "Make a new key and add it to the wallet; prints its owner, to give to open-chain --owner.", cmdKeygen},
		{"balance", "[CHAIN[:OWNER]]", "Print an account's balance in the local node, without asking the validators. " +
			"The default is the default chain's own account.", cmdBalance},
		{"query-balance", "[CHAIN[:OWNER]]", "Synchronise a chain from the validators and print an account's balance, " +
			"counting the incoming transfers waiting in its inbox.", cmdQueryBalance},
		{"sync", "[CHAIN]", "Download a chain's new blocks and waiting incoming messages from the validators.", cmdSync},
		{"process-inbox", "[CHAIN]", "Take a chain's waiting incoming messages into a new block " +
			"(a closed chain rejects them).", cmdProcessInbox},
		{"transfer", "AMOUNT --to CHAIN[:OWNER]", "Send tokens from an account of a chain the wallet owns to any account.", cmdTransfer},
		{"open-chain", "", "Open a new chain from one of the wallet's chains. " +
			"It is owned by --owner (default: the parent's owner) and tracked if the wallet holds that key.", cmdOpenChain},
		{"open-multi-owner-chain", "--owners OWNER,…", "Open a chain shared by several owners, " +
			"who propose in multi-leader rounds, then take turns.", cmdOpenMultiOwnerChain},
		{"change-ownership", "[--owners OWNER,…] [--super-owners OWNER,…]", "Replace the owners of a chain the wallet owns.", cmdChangeOwnership},
		{"close-chain", "CHAIN", "Close a chain: it then only rejects incoming messages, and its owners can propose nothing else.", cmdCloseChain},
		{"query-validators", "[CHAIN]", "Ask every validator of the committee how far it has a chain (default: the default chain).", cmdQueryValidators},
		{"sync-validator", "ADDRESS", "Send a validator the blocks of the tracked chains it lacks.", cmdSyncValidator},
		{"set-validator-address", "PUBLIC_KEY [ADDRESS]", "Reach the validator with this public key at ADDRESS (ws://host:port: " +
			"a proxy, a tunnel) instead of the committee's address; without ADDRESS, at the committee's again. " +
			"Its key still authenticates it.", cmdSetValidatorAddress},
		{"watch", "[CHAIN…]", "Follow chains and print their new blocks and incoming messages until interrupted; " +
			"--process-inbox takes incoming messages as they come.", cmdWatch},
		{"publish-module", "CONTRACT SERVICE", "Publish an application's contract and service modules (Wasm files) " +
			"as blobs from a chain the wallet owns; prints the module id to give to create-application.", cmdPublishModule},
		{"publish-data-blob", "FILE", "Publish a file as a data blob applications can read; prints its id.", cmdPublishDataBlob},
		{"create-application", "MODULE", "Create an application of a published module on a chain the wallet owns, " +
			"with JSON parameters and instantiation argument; prints the application id.", cmdCreateApplication},
		{"publish-and-create", "CONTRACT SERVICE", "Publish a module and create an application of it in one go; " +
			"prints the application id.", cmdPublishAndCreate},
		{"query-application", "APPLICATION GRAPHQL", "Ask an application's service on a chain, in the local node. " +
			"A query prints the service's JSON answer; a mutation submits the operations it makes in a block.", cmdQueryApplication},
		{"sign-message", "MESSAGE --origin ORIGIN", "Sign a text message for a web origin with one of the wallet's keys " +
			"(default: the default chain's owner), as the browser wallet does for a dApp that asks (myriad_signMessage). " +
			"The signature is valid for that origin only, and never as a block or a vote; docs/keys.md gives its layout " +
			"and how a server verifies it.", cmdSignMessage},
		{"verify-message", "MESSAGE --origin ORIGIN --public-key KEY --signature SIG", "Check a message signature " +
			"(sign-message's or the browser wallet's) for an origin; needs no wallet. --owner also checks whose key it is.", cmdVerifyMessage},
		{"service", "[--port P]", "Serve the wallet over GraphQL until interrupted: the system schema at /, " +
			"each application's GraphQL at /chains/CHAIN/applications/APP (a mutation submits a block and answers its hash), " +
			"notifications as subscriptions at /ws, and GraphiQL in a browser. It keeps the tracked chains in sync.", cmdService},
		{"net up", "", "Start a local network on 127.0.0.1: validator processes (myriad-validator, next to this binary " +
			"or on $PATH) with pebble storage, and a faucet; prints the faucet URL and the genesis path, and runs until " +
			"interrupted, then stops everything it started.", cmdNetUp},
		{"faucet", "--genesis FILE --key FILE --storage DIR", "Serve a faucet: a GraphQL endpoint whose " +
			"`mutation { claim(owner) }` opens a chain for that owner from the faucet chain.", cmdFaucet},
		{"bench", "--path DIR | --spawn", "Drive transfers over many user chains against a network and report " +
			"blocks/s, transfers/s, latency p50/p99, and validator CPU per block beside the signature work alone.", cmdBench},
		{"demo", "", "Run transfers between three chains on an in-process committee and print what happens.", cmdDemo},
		{"help", "[COMMAND]", "Show the commands, or one command's flags.", cmdHelp},
	}
}

// lookup finds the command named by the first one or two words of args.
func lookup(args []string) (*command, []string) {
	for n := min(2, len(args)); n > 0; n-- {
		name := strings.Join(args[:n], " ")
		for i := range commands {
			if commands[i].name == name {
				return &commands[i], args[n:]
			}
		}
	}
	return nil, args
}

func summary(c *command) string {
	s, _, _ := strings.Cut(c.help, ". ")
	return strings.TrimSuffix(s, ".")
}

func usageLine(c *command) string {
	return strings.Join(strings.Fields(fmt.Sprintf("myriad %s %s [flags]", c.name, c.args)), " ")
}

func overview() string {
	var b strings.Builder
	b.WriteString("usage: myriad [--wallet PATH] [--storage PATH] [--json] COMMAND [flags] [args]\n\nCommands:\n")
	for i := range commands {
		fmt.Fprintf(&b, "  %-24s %s\n", commands[i].name, summary(&commands[i]))
	}
	b.WriteString("\nRun `myriad help COMMAND` for a command's flags.\n")
	return b.String()
}

// commandFlags returns a command's own flags (not the global ones).
func commandFlags(c *command) []*flag.Flag {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(fs)
	var out []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f) })
	return out
}

func commandHelp(c *command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n\n%s\n", usageLine(c), c.help)
	if flags := commandFlags(c); len(flags) > 0 {
		b.WriteString("\nFlags:\n")
		for _, f := range flags {
			fmt.Fprintf(&b, "  --%s%s\n    \t%s\n", f.Name, defaultText(f), f.Usage)
		}
	}
	b.WriteString("\nGlobal flags: --wallet PATH, --storage PATH, --json.\n")
	return b.String()
}

func defaultText(f *flag.Flag) string {
	if f.DefValue == "" || f.DefValue == "false" {
		return ""
	}
	return fmt.Sprintf(" (default %s)", f.DefValue)
}

// message is the result of commands that only report what they did.
type message struct {
	Message string `json:"message"`
}

func (m message) text(w io.Writer) { fmt.Fprintln(w, m.Message) }

type helpResult struct {
	Help string `json:"help"`
}

func (h helpResult) text(w io.Writer) { io.WriteString(w, h.Help) }

func cmdHelp(*flag.FlagSet) runner {
	return func(_ context.Context, _ *env, args []string) (result, error) {
		if len(args) == 0 {
			return helpResult{overview()}, nil
		}
		c, rest := lookup(args)
		if c == nil || len(rest) > 0 {
			return nil, usageErrorf("no command %q", strings.Join(args, " "))
		}
		return helpResult{commandHelp(c)}, nil
	}
}
