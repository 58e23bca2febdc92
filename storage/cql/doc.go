// Package cqlstore is a kv.Store on a CQL database (Apache Cassandra or
// ScyllaDB) through github.com/gocql/gocql, so that the proxy and the shards
// of one validator can run on separate hosts over one replicated database.
//
//	s, err := cqlstore.New(ctx, cqlstore.Config{
//		Hosts:     []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"},
//		Keyspace:  "myriad",
//		Namespace: "v_08d7e4dc",
//	})
//	if err != nil { ... }
//	defer s.Close()
//
// # Schema
//
// Each namespace is one table, kv_<namespace>, in the keyspace:
//
//	CREATE TABLE kv_NS (p blob, k blob, c int, n int, v blob, PRIMARY KEY (p, k, c))
//
// p is the partition of key k (Partition), c the chunk number of the value
// (values over Config.ChunkSize are split; chunk 0 holds the count n).
// Clustering order is bytewise, so a prefix scan is a range of k. Two
// partitions no key maps to hold the store's own records: "\x00journal"
// (the journal: k is an entry id, c a chunk, -1 the commit row) and
// "\x00partitions" (the chain partitions written so far, for scans and
// prefix deletes shorter than a chain).
//
// # Partitions
//
// A chain's state lives under c/<32-byte chain id>/, so the partition of a
// key that starts with "c/" and is at least 34 bytes long is its first 34
// bytes, "c/" and the chain id. Every other key (v/genesis, the pending
// index v/pending/<id>) lives in one fixed partition, "g". A chain's write
// batch is then one partition: Cassandra applies it atomically and readers
// see all of it or none of it.
//
// # Apply
//
// A batch is first reduced to its net effect: deletes (of keys and of key
// ranges) at timestamp T and puts at T+1, so a put after a delete of the
// same key wins, as in the batch's order. Then:
//   - one partition within Config.MaxBatchBytes: one unlogged batch;
//   - several partitions within Config.MaxLoggedBytes: one logged batch
//     (Cassandra's batch log makes it eventually whole);
//   - anything larger goes through the journal: the reduced batch is
//     written to the journal table, then a commit row, then applied in
//     parts, then the journal entry is deleted. New replays every committed
//     entry; so does the next Apply after a failed one. Replays write the
//     same cells with the same timestamps, so they are idempotent.
//
// Transient failures (no host reachable, not enough replicas for the
// consistency level, timeouts) are retried with bounded, logged backoff
// for up to Config.RetryFor, then returned wrapping ErrUnavailable. A retry
// rewrites the same cells with the same timestamps, so a write that did
// land the first time is not changed by its retry.
//
// Writes from one process get increasing timestamps; writes to the shared
// partition "g" from several processes are ordered by their clocks, so keep
// the hosts' clocks synchronised (NTP), as Cassandra itself requires.
package cqlstore
