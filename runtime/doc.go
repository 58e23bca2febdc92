// Package runtime runs application modules deterministically and metered:
// it implements app.VM on wazero for validators (its compiler, the
// reference engine) and, in the browser wallet, on the browser's own
// WebAssembly engine (EngineBrowser, DefaultEngine under GOOS=js; wazero's
// interpreter stays available), with the same results and fuel.
//
//	vm, err := runtime.New(runtime.Config{Engine: runtime.DefaultEngine})
//	out, err := vm.Contract(run, host)
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
// no files, arguments or environment (wazero's module; wasi.go gives the
// same answers for the browser engine). The browser engine compiles the
// same instrumented module with WebAssembly.compile and links it to the
// same host functions through small generated helper modules (wasmgen.go);
// docs/app-abi.md says how; differential tests check it against wazero.
package runtime
