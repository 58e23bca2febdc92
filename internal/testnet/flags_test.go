package testnet

import "flag"

var (
	seedFlag = flag.Uint64("testnet.seed", 0, "seed of the randomised tests (0: their default seeds)")
	rewrite  = flag.Bool("rewrite", false, "re-record the expected output of testdata transcripts")
)
