package main

import (
	"fmt"
	"io"

	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// previewView is what --dry-run prints: the blocks the command would have
// signed, executed in the local node (gqlapi.Preview, the same preview the
// browser wallet shows before it signs).
type previewView struct {
	*gqlapi.Preview
}

func (v previewView) text(w io.Writer) {
	for _, c := range v.Follows {
		fmt.Fprintf(w, "would follow chain %s\n", c)
	}
	for _, b := range v.Blocks {
		fmt.Fprintf(w, "block %d of chain %s:\n", b.Height, b.ChainID)
		if b.PendingFirst {
			fmt.Fprintln(w, "  (an interrupted block of this chain is finished first)")
		}
		for _, o := range b.Operations {
			if o.Application != "" {
				fmt.Fprintf(w, "  operation of application %s: %s\n", o.Application, o.Summary)
			} else {
				fmt.Fprintf(w, "  %s\n", o.Summary)
			}
		}
		if b.IncomingBundles > 0 {
			fmt.Fprintf(w, "  takes %d incoming bundle(s)\n", b.IncomingBundles)
		}
		for _, c := range b.Balances {
			who := "the chain's account"
			if c.Owner != "" {
				who = "the account of " + c.Owner
			}
			fmt.Fprintf(w, "  balance of %s: %s → %s (%s)\n", who, c.Before, c.After, c.Change)
		}
		for _, m := range b.Messages {
			fmt.Fprintf(w, "  message to %s: %s\n", m.Destination, m.Summary)
		}
		for _, r := range b.Applications {
			fmt.Fprintf(w, "  runs application %s (%s)\n", r.Application, r.Entry)
		}
		fmt.Fprintf(w, "  fuel %d, fees %s\n", b.Fuel, b.Fees)
	}
	fmt.Fprintln(w, "dry run: nothing was signed")
}
