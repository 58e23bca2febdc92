package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

// demoView is the demo's transcript and final balances.
type demoView struct {
	Log      []string      `json:"log"`
	Balances []demoBalance `json:"balances"`
}

type demoBalance struct {
	Name    string        `json:"name"`
	Chain   ids.ChainID   `json:"chain"`
	Balance amount.Amount `json:"balance"`
	Height  uint64        `json:"height"`
}

func (d *demoView) logf(format string, args ...any) {
	d.Log = append(d.Log, fmt.Sprintf(format, args...))
}

func (d *demoView) text(w io.Writer) { fmt.Fprintln(w, strings.Join(d.Log, "\n")) }

func cmdDemo(fs *flag.FlagSet) runner {
	vals := fs.Int("validators", 4, "number of validators")
	seed := fs.Uint64("seed", 1, "seed of the delivery order")
	offline := fs.Bool("offline", false, "take one validator offline halfway")
	return func(ctx context.Context, _ *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		return demo(ctx, *vals, *seed, *offline)
	}
}

func demo(ctx context.Context, validators int, seed uint64, offline bool) (*demoView, error) {
	if validators < 1 {
		return nil, usageErrorf("need at least one validator")
	}
	n := testnet.New(testnet.Config{Validators: validators, Seed: seed,
		Chains: []amount.Amount{amount.Zero, amount.Tokens(100), amount.Tokens(100), amount.Zero}})
	wallets := []*client.Client{n.Wallet(1), n.Wallet(2), n.Wallet(3)}
	names := []string{"alice", "bob", "carol"}
	d := &demoView{}
	d.logf("network: %d validators, quorum weight %d", validators, n.Genesis.Committee.Quorum())
	for i, c := range wallets {
		d.logf("%-5s owns chain %s", names[i], c.Chain.Short())
	}
	steps := []struct {
		from, to int
		amount   string
	}{{0, 1, "12.5"}, {1, 2, "40"}, {2, 0, "7"}, {0, 2, "0.25"}}
	for i, s := range steps {
		if offline && i == len(steps)/2 {
			n.Validators[validators-1].Fault = testnet.Offline
			d.logf("validator %d goes offline", validators-1)
		}
		a := amount.MustParse(s.amount)
		op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: wallets[s.to].Chain}, Amount: a}
		cert, err := wallets[s.from].Transfer(ctx, op)
		if err != nil {
			return nil, fmt.Errorf("transfer %s from %s: %w", a, names[s.from], err)
		}
		d.logf("%s sends %s to %s: block %d confirmed by %d validators",
			names[s.from], a, names[s.to], cert.Value.Height(), len(cert.Signatures))
		if err := n.Deliver(ctx); err != nil {
			return nil, err
		}
		if _, err := wallets[s.to].ProcessInbox(ctx); err != nil {
			return nil, fmt.Errorf("%s processes inbox: %w", names[s.to], err)
		}
	}
	n.Deliver(ctx) //nolint:errcheck // final acknowledgements only
	for i, c := range wallets {
		s := chain.Open(ctx, c.Local.Store, c.Chain)
		d.logf("%-5s balance %s (height %d, state %s)", names[i], s.System.Balance(), s.Tip().NextHeight, s.Tip().StateHash.Short())
		d.Balances = append(d.Balances, demoBalance{names[i], c.Chain, s.System.Balance(), s.Tip().NextHeight})
	}
	return d, nil
}
