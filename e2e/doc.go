// Package e2e holds the end-to-end tests: they build the real binaries,
// start real processes (validators, the faucet, `myriad net up`, workerd)
// on 127.0.0.1 and drive them through the CLI, the wallet core in
// headless Chromium and the extension loaded in it. Run them with
// `go test ./e2e`; `make test` runs them as part of `go test ./...`.
//
// The tests that start a network and a browser run in parallel with each
// other (t.Parallel, two at a time on two cores) so that the package stays
// within a few minutes of CI; tests that overlap others' coverage and take
// minutes run only with MYRIAD_E2E_LONG=1 (`make e2e-long`).
package e2e

import (
	"os"
	"testing"
)

// long skips a test unless MYRIAD_E2E_LONG is set.
func long(t *testing.T) {
	t.Helper()
	if os.Getenv("MYRIAD_E2E_LONG") == "" {
		t.Skip("a long test: set MYRIAD_E2E_LONG=1 (make e2e-long) to run it")
	}
}
