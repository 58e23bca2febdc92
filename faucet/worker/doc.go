// Package worker runs the faucet as a Cloudflare Worker: Go built with
// GOOS=js GOARCH=wasm (cmd/faucet-worker), hosted by a Durable Object that
// owns the faucet chain. It is glue only: the claim logic, the GraphQL
// handler and the protocol are package faucet's and node-client's, shared
// with the native `myriad faucet`.
//
// The JavaScript side (js/worker.mjs) is a front that sends every request
// to the one Durable Object, and the Durable Object class, which boots one
// Go instance, keeps it for its lifetime and hands it each request. The Go
// side reads its configuration from the Worker's bindings (Config), keeps
// the faucet chain's state in the Durable Object's storage (Store) and
// talks to validators over their HTTP endpoint (client.HTTPNode):
//
//	cfg, err := worker.Config(os.Getenv) // GENESIS, FAUCET_SEED, AMOUNT, …
//	cfg.Store = worker.NewStore(host.Get("storage"))
//	f, err := faucet.Start(ctx, cfg)
//	worker.Ready(host, f.Handler) // the Durable Object now serves requests
//
// See docs/faucet.md ("The faucet as a Cloudflare Worker").
package worker
