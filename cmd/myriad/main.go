// Command myriad is the Myriad command-line wallet: it keeps keys and
// tracked chains in a wallet file, runs a local node of those chains in
// pebble storage, and talks to the validators to transfer tokens, open and
// close chains and follow them. `myriad help` lists the commands;
// docs/cli.md documents every command and flag. The demo command runs
// transfers on an in-process committee.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, systemEnv(), os.Args[1:]))
}
