// Package runtime runs application modules on wazero, deterministically
// and metered: it implements app.VM for validators (wazero's compiler), and
// the browser wallet (its interpreter) with the same results and fuel.
//
// A module is validated and instrumented by runtime/metering, its mutable
// globals are exported, it is compiled once (cached in memory and, with
// Config.CacheDir, on disk), and initialised once: _initialize runs with a
// constant random seed and its memory and globals become the module's
// snapshot. Every call then runs on a fresh instance restored from that
// snapshot, so a call never sees what an earlier one left in memory and a
// Go guest's map order depends only on the call. The host functions of
// docs/app-abi.md (module "myriad") reach the chain through app.ContractHost
// or app.ServiceHost; WASI (module "wasi_snapshot_preview1") answers from
// the block: its timestamp for clocks, a per-call seed for randomness, and
// no files, arguments or environment.
package runtime
