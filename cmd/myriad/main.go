// Command myriad is the Myriad command-line client. For now it has one
// command, demo, which runs transfers on an in-process network of four
// validators and prints what happens.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
