package testnet

import (
	"flag"
	"testing"
)

var (
	seedFlag = flag.Uint64("testnet.seed", 0, "seed of the randomised tests (0: their default seeds)")
	bugsFlag = flag.Bool("testnet.bugs", false, "run the tests of known, not yet fixed bugs (they fail)")
	rewrite  = flag.Bool("rewrite", false, "re-record the expected output of testdata transcripts")
)

// knownBug skips a test that shows a known bug unless -testnet.bugs.
func knownBug(t *testing.T, what string) {
	t.Helper()
	if !*bugsFlag {
		t.Skipf("known bug (run with -testnet.bugs): %s", what)
	}
}
