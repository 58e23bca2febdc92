package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

const usage = `usage: myriad demo [--validators N] [--seed S] [--offline]

Commands:
  demo    run transfers between three chains on an in-process committee
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "demo" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := fs.Int("validators", 4, "number of validators")
	seed := fs.Uint64("seed", 1, "seed of the delivery order")
	offline := fs.Bool("offline", false, "take one validator offline halfway")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if err := demo(ctx, stdout, *vals, *seed, *offline); err != nil {
		fmt.Fprintf(stderr, "myriad demo: %v\n", err)
		return 1
	}
	return 0
}

func demo(ctx context.Context, w io.Writer, validators int, seed uint64, offline bool) error {
	if validators < 1 {
		return errors.New("need at least one validator")
	}
	n := testnet.New(testnet.Config{Validators: validators, Seed: seed,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100), amount.Zero}})
	wallets := []*client.Client{n.Wallet(1), n.Wallet(2), n.Wallet(3)}
	names := []string{"alice", "bob", "carol"}
	fmt.Fprintf(w, "network: %d validators, quorum weight %d\n", validators, n.Genesis.Committee.Quorum())
	for i, c := range wallets {
		fmt.Fprintf(w, "%-5s owns chain %s\n", names[i], c.Chain.Short())
	}
	steps := []struct {
		from, to int
		amount   string
	}{{0, 1, "12.5"}, {1, 2, "40"}, {2, 0, "7"}, {0, 2, "0.25"}}
	for i, s := range steps {
		if offline && i == len(steps)/2 {
			n.Validators[validators-1].Fault = testnet.Offline
			fmt.Fprintf(w, "validator %d goes offline\n", validators-1)
		}
		a := amount.MustParse(s.amount)
		op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: wallets[s.to].Chain}, Amount: a}
		cert, err := wallets[s.from].Transfer(ctx, op)
		if err != nil {
			return fmt.Errorf("transfer %s from %s: %w", a, names[s.from], err)
		}
		fmt.Fprintf(w, "%s sends %s to %s: block %d confirmed by %d validators\n",
			names[s.from], a, names[s.to], cert.Value.Height(), len(cert.Signatures))
		if err := n.Deliver(ctx); err != nil {
			return err
		}
		if _, err := wallets[s.to].ProcessInbox(ctx); err != nil {
			return fmt.Errorf("%s processes inbox: %w", names[s.to], err)
		}
	}
	n.Deliver(ctx) //nolint:errcheck // final acknowledgements only
	for i, c := range wallets {
		s := chain.Open(ctx, c.Local.Store, c.Chain)
		fmt.Fprintf(w, "%-5s balance %s (height %d, state %s)\n", names[i], s.System.Balance(), s.Tip().NextHeight, s.Tip().StateHash.Short())
	}
	return nil
}
