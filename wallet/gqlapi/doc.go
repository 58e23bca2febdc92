// Package gqlapi is the wallet's GraphQL API without a transport: the
// system schema (chains, balances, inboxes, blocks, applications,
// transfers, chain opening and closing, notifications) and each
// application's own GraphQL, answered in-process. `myriad service`
// (package nodeservice) serves it over HTTP and WebSocket; the browser
// wallet (GOOS=js GOARCH=wasm) calls it directly.
//
//	api, err := gqlapi.New(gqlapi.Config{Wallet: w})
//	go api.Follow(ctx) // keep the tracked chains in sync from the validators' notifications
//	resp := api.Exec(ctx, gqlapi.Request{Query: `{ chains { id height balance } }`})
//	out, err := json.Marshal(resp)
//	ch, err := api.Subscribe(ctx, gqlapi.Request{Query: `subscription { notifications { chainId kind height hash } }`})
//	res, err := api.ExecApplication(ctx, chainID, appID, []byte(`{"query": "{ value }"}`))
//	err = api.WithWallet(func(w *wallet.Wallet) error { c, err = w.RequestChain(ctx, faucet); return err })
//	api.Watch(c.ID) // a chain tracked outside the API: Follow listens to it too
//
// The schema is schema.graphql in this folder (Schema returns it), checked
// in as docs/schema.graphql. Errors come back as GraphQL errors; a
// subscription's errors as a single response on a closed channel.
//
// An application's GraphQL runs its service in the local node. A query is
// answered with the service's response; a mutation makes the service
// schedule operations, which become one block of the chain signed with
// the wallet's key, and the answer is {"data": "BLOCK_HASH"}.
//
// # Concurrency
//
// A Wallet is not safe for concurrent use, so the Service orders its
// calls. Operations that talk to validators or propose blocks — every
// mutation, application mutations, and the synchronisations Follow starts
// — run one at a time. Queries only read the wallet's document and local
// store (kv stores are safe for concurrent use, and applying a block is one
// atomic batch), so they run beside an operation: a long synchronisation
// does not hold them up. Only openChain, which adds a chain to the
// document, keeps queries waiting until it is done. A query that reads a
// chain while a synchronisation applies its blocks sees the chain before or
// after each block; the fields of one Chain are read together, once.
//
// Notifications come from Follow (the validators' news, after the chain is
// synchronised) and from the Service's own blocks, each announced once.
package gqlapi
