// Package idbstore is the browser's kv.Store: IndexedDB, through
// github.com/hack-pad/go-indexeddb. It builds for GOOS=js GOARCH=wasm only,
// and runs in a page, a worker or an extension's service worker.
//
//	s, err := idbstore.New(ctx, idbstore.Config{Name: "myriad-wallet-" + id})
//	switch {
//	case errors.Is(err, idbstore.ErrLocked):
//		// another tab has this wallet open: say so, or retry with WaitForLock
//	case errors.Is(err, idbstore.ErrNewerFormat), errors.Is(err, idbstore.ErrDamaged):
//		// idbstore.Reset(ctx, name), then New again and resync from the network
//	}
//	defer s.Close()
//
// # Layout
//
// One database per store. Its object store "kv" holds the pairs, keyed by
// the key's bytes as a binary key (IndexedDB orders binary keys bytewise,
// as kv wants), with the value as a Uint8Array. A prefix scan is a key
// range [prefix, kv.PrefixEnd(prefix)). The object store "meta" holds the
// record "format": the version of this layout.
//
// # Writes
//
// Apply is one readwrite transaction with durability "strict" (Chromium
// flushes it to disk before reporting it complete), and returns only once
// the transaction has completed or failed. Once the batch is handed to
// IndexedDB, Apply waits for its outcome even if ctx ends, so that its error
// says truthfully whether the batch was written.
//
// # Reads
//
// Get and MultiGet read in one readonly transaction, which sees whole
// batches. Scan reads every pair under the prefix in one readonly
// transaction (getAllKeys and getAll) before it calls fn: an IndexedDB
// transaction ends as soon as the program waits for anything else, so the
// only snapshot it can offer is a copy. A scan holds its whole range in
// memory; scan by narrower prefixes where that is large.
//
// Opening, upgrades, migrations and Reset go through go-indexeddb; the data
// paths call IndexedDB through syscall/js on the same connection, because
// the library has no getAll and wraps every request at a cost (raw.go). No JavaScript is evaluated: an extension's content
// security policy forbids it.
//
// # Versions and recovery
//
// Two numbers describe a database: the IndexedDB version, which says which
// object stores exist and is raised by an upgrade step in the versionchange
// transaction, and the format in "meta", which says how pairs are encoded
// and is raised by a migration in an ordinary readwrite transaction after
// the upgrade. New walks both forward from what it finds. A database where
// either is newer than this code knows fails with ErrNewerFormat: an older
// wallet must not write into a newer one's data. A database without its
// object stores or with an unreadable meta record, or whose upgrade or
// migration failed, fails with ErrDamaged.
//
// Either way the remedy is Reset, which deletes the database, and a resync
// from the network: the database is a cache of chain state. The wallet's
// keys are never in it; they live in the vault, so a reset loses nothing
// that cannot be fetched again.
//
// # One writer
//
// New takes the Web Lock "myriad/idbstore/NAME" in exclusive mode and holds
// it until Close, so two tabs, workers or stores in one page never write one
// wallet's database at once: the second New fails with ErrLocked, or with
// Config.WaitForLock waits for the first to close. Reset takes the same lock,
// so it cannot delete a database a store has open. Web Locks need a secure
// context (https, or http on a loopback address); without them New fails
// with an error wrapping errors.ErrUnsupported.
package idbstore
