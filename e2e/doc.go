// Package e2e holds the end-to-end tests: they build the real binaries,
// start real processes (validators, the faucet, `myriad net up`) on
// 127.0.0.1 and drive them through the CLI. Run them with
// `go test ./e2e`; `make test` runs them as part of `go test ./...`.
package e2e
