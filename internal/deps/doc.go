// Package deps holds no code, only tests that keep the module's import graph
// the shape the design says it is.
//
// The rules are data in rules_test.go:
//
//   - the protocol core (core/...) imports only the standard library minus
//     anything that reaches a file, socket, clock, process or global
//     randomness, and nothing outside core/ (coreBanned, coreAllowedModules);
//   - imports between the module's top-level folders point one way, from cmd
//     down to core (layers);
//   - the browser build (GOOS=js GOARCH=wasm, ./wallet/... and ./core/...)
//     never pulls in pebble, os/exec or net/http/pprof (wasmBanned);
//   - in the browser wallet's build (cmd/wallet-wasm), only the listed
//     packages import net/http, whose client would weigh 0.7 MB brotli
//     (walletWasmImporters);
//   - every package has a package comment.
//
// The tests run `go list -deps -json` for native, js/wasm and wasip1/wasm and
// check only direct imports of the module's own packages (go list's Imports
// field, not test imports: tests may read testdata files), except the wasm
// rules, which are about everything linked into the binary. Run them with
//
//	go test ./internal/deps
//
// To change a rule, change its table and say why in the commit message.
package deps
