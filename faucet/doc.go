// Package faucet gives new users their first chain. A faucet owns one chain
// (a root chain of the genesis, funded there); every claim opens a child of
// it owned by the claimant's key, with a fixed balance taken from the
// faucet's chain.
//
// The claim logic is the Service, independent of any transport: it holds a
// node-client for the faucet chain, rate-limits claimants, and batches the
// claims that arrive together into one block. The GraphQL endpoint
// (NewHandler) is an http.Handler over any Claimer, and Run wires both to
// validators over WebSocket for `myriad faucet`:
//
//	err := faucet.Run(ctx, faucet.Config{
//		Listen:      "127.0.0.1:8080",
//		Genesis:     g,           // the parsed genesis
//		GenesisJSON: genesisFile, // served as genesisConfig, verbatim
//		Chain:       g.ChainID(1),
//		Seed:        seed,        // of a key that owns chain 1
//		Options:     faucet.Options{Amount: amount.Tokens(10)},
//	})
//
// In process, without HTTP:
//
//	s, err := faucet.New(ctx, c, faucet.Options{Amount: amount.Tokens(10)}) // c: a *client.Client of the faucet chain
//	defer s.Close()
//	res, err := s.Claim(ctx, owner, "203.0.113.7")
//	// res.Description is the new chain's ids.Description; res.Chain its id.
//
// # Batching and safety
//
// One goroutine, the batcher, proposes every block of the faucet chain.
// It takes the claims waiting (up to Options.MaxBatch: those that arrived
// while the previous block was in flight) and proposes one block with one
// OpenChain operation per claim. The i-th operation opens the chain
// ids.ChildDescription(faucetChain, height, i). Blocks go through the
// node-client's crash-safe path (Client.ProposeDurably): a block is stored
// before it is sent and finished after a failure or restart before any
// other, so the faucet never proposes two different blocks at one height.
//
// # Limits
//
// Each remote address has a token bucket (Options.RateLimit). Each owner
// may hold Options.PerOwner chains from the faucet (one by default); the
// count is rebuilt from the faucet chain's own blocks when the Service
// starts, so it survives restarts without storage of its own. Errors say
// what happened and callers branch with errors.Is: ErrRateLimited (the
// error is a *RateLimitError with the wait), ErrAlreadyClaimed, ErrDry,
// ErrUnreachable, ErrInvalidOwner, ErrClosed.
//
// See docs/faucet.md for the GraphQL schema and the design questions.
package faucet
