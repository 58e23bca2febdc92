// Command myriad-validator runs a Myriad validator: its shards, the proxy
// clients connect to, or both in one process. See package validator and
// docs/validator.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/myriadchain/myriad/validator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(validator.Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
