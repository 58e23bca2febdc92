// Package validator is a Myriad validator: it owns a kv.Store and a
// validator key, runs the chain.Worker of every chain it stores, and
// serves the wire protocol (package rpc) to clients and to its own shards.
//
//	srv, err := validator.New(validator.Config{
//		Store:   store, // pebblestore.New(…) for real, kv.NewMemory() in tests
//		Key:     key,
//		Genesis: genesis, // validator.LoadGenesis("genesis.json")
//		Shards:  2,
//	})
//	if err != nil { … }
//	defer srv.Close()
//	go srv.ServeMetrics(metricsListener)
//	srv.Serve(listener) // WebSocket at /ws, HTTP POST at /rpc
//
// # Shards
//
// Chain c belongs to shard ShardOf(c, n): the first 8 bytes of its id,
// big-endian, modulo n. A shard serialises the requests of each of its
// chains (a lock per chain) and runs different chains concurrently. One
// process runs every shard (Config.Local empty: "myriad-validator run"),
// one shard ("myriad-validator shard", Config.Internal), or none
// ("myriad-validator proxy", no Store): requests for a chain whose shard
// is elsewhere are forwarded, as rpc frames, to the process in
// Config.Peers that runs it.
//
// # Order of effects
//
// Every request's chain.Effects are applied in the order the core asks:
// the batch is made durable first (so a vote is on disk before it is
// sent), then the reply is sent, then cross-chain updates and
// acknowledgements go out, then notifications are published.
//
// # Cross-chain delivery
//
// A confirmed block's outgoing bundles stay in the sender chain's outbox
// until the recipient's shard acknowledges them. The batch that fills an
// outbox also records the chain in a pending index in the store
// ("v/pending/" + chain id); each shard retries the chains of that index
// with capped exponential backoff (Config.RetryBase, RetryMax),
// re-deriving the updates from the outboxes (chain.Worker.PendingUpdates),
// and resumes them after a restart. Updates to a local shard are handed
// over in-process, to another process as rpc Update frames; the recipient
// answers with Ack frames, and a chain leaves the index once nothing is
// unacknowledged. Delivery queues are bounded: a full queue makes the
// producer wait, and nothing is dropped.
//
// # Limits
//
// Frames are at most rpc.MaxFrameSize (a larger WebSocket message closes
// the connection with StatusMessageTooBig); each connection may have
// Config.MaxInFlight requests in flight (more get rpc.ErrTooManyFlight);
// each remote address may make Config.RateLimit requests per second
// (more get rpc.ErrRateLimited). A malformed or unknown frame gets an
// error reply; a panic while handling a request is recovered, logged,
// counted and answered with rpc.ErrInternal.
//
// Main is the myriad-validator command; docs/validator.md says how to run
// a validator by hand.
package validator
