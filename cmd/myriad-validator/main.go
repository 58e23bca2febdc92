// Command myriad-validator runs a Myriad validator: its shards, the proxy
// clients connect to, or both in one process. See package validator and
// docs/validator.md.
//
// With MYRIAD_CPUPROFILE=PREFIX in its environment, the process writes a
// CPU profile to PREFIX.<pid> when it exits (for `go tool pprof`), starting
// after MYRIAD_CPUPROFILE_DELAY (a duration, default 0).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/myriadchain/myriad/validator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tuneGC()
	stopProfile := profile(os.Getenv("MYRIAD_CPUPROFILE"))
	code := validator.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	os.Exit(code)
}

// tuneGC trades memory for CPU unless GOGC or GOMEMLIMIT say otherwise:
// a validator's live heap is small (tens of MiB; idle chains live in
// storage), so collecting at 4x the live heap rather than 2x halves the
// collector's share of the CPU, and a soft limit of 768 MiB makes it
// collect harder before the process nears 1 GiB.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
}

// profile starts a CPU profile to prefix.<pid> if prefix is set, and
// returns what stops it.
func profile(prefix string) func() {
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", prefix, os.Getpid()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "myriad-validator: cpu profile: %v\n", err)
		return func() {}
	}
	delay, _ := time.ParseDuration(os.Getenv("MYRIAD_CPUPROFILE_DELAY"))
	started := make(chan bool, 1)
	t := time.AfterFunc(delay, func() { started <- pprof.StartCPUProfile(f) == nil })
	return func() {
		if !t.Stop() && <-started {
			pprof.StopCPUProfile()
		}
		f.Close()
	}
}
