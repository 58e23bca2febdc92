//go:build js && wasm

package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"

	"github.com/myriadchain/myriad/faucet"
	"github.com/myriadchain/myriad/faucet/worker"
)

func main() {
	host := worker.Host()
	f, err := start(context.Background(), host)
	if err != nil {
		worker.Fail(host, err)
		return
	}
	worker.Ready(host, f.Handler)
	select {} // serve until the Durable Object is evicted
}

func start(ctx context.Context, host worker.Value) (*faucet.Faucet, error) {
	cfg, err := worker.Config(os.Getenv)
	if err != nil {
		return nil, err
	}
	http.DefaultClient = httpClient(host) // client.PostFrame's
	cfg.Store = worker.NewStore(host.Get("storage"))
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	return faucet.Start(ctx, cfg)
}
