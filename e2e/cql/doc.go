// Package cqle2e is the end-to-end test of a validator split over
// processes on a shared Cassandra cluster: a proxy and one process per
// shard, each on its own loopback address, with three ordinary validators
// on pebble, driven through the myriad CLI while shard processes and
// Cassandra nodes are stopped and started. It needs a real cluster
// (storage/cql/cqltest starts one; make cql runs it).
package cqle2e
