package metering

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// guestDir holds the Go guest built once for all tests of the process.
var guestDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if guestDir != "" {
		os.RemoveAll(guestDir)
	}
	os.Exit(code)
}

var guestOnce = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "metering-guest")
	if err != nil {
		return nil, err
	}
	guestDir = dir
	src, err := os.ReadFile(filepath.Join("testdata", "guest", "main.go"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module guest\n\ngo 1.26\n"), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", "guest.wasm", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{err, string(out)}
	}
	return os.ReadFile(filepath.Join(dir, "guest.wasm"))
})

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// goGuest returns the Go reactor of testdata/guest built for wasip1,
// skipping the test if the go command is missing.
func goGuest(tb testing.TB) []byte {
	tb.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		tb.Skip("no go command")
	}
	w, err := guestOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// guestOptions allow the WASI imports.
func guestOptions() Options {
	o := DefaultOptions()
	o.AllowImport = func(module, _ string) bool { return module == "wasi_snapshot_preview1" }
	return o
}

const guestArg = 500 // the work export's argument

// guestRun instantiates w, runs _initialize then work(arg), with fuel
// (ignored by an unmetered module), and returns work's outcome.
func guestRun(tb testing.TB, ctx context.Context, e int, w []byte, metered bool, fuel int64) outcome {
	tb.Helper()
	in, err := instantiate(ctx, engines[e].config(), w, true)
	if err != nil {
		tb.Fatalf("%s: instantiate: %v", engines[e].name, err)
	}
	defer in.close(ctx)
	if !metered {
		if _, err := in.mod.ExportedFunction("_initialize").Call(ctx); err != nil {
			tb.Fatalf("%s: unmetered _initialize: %v", engines[e].name, err)
		}
		res, err := in.mod.ExportedFunction("work").Call(ctx, guestArg)
		if err != nil {
			tb.Fatalf("%s: unmetered work: %v", engines[e].name, err)
		}
		return outcome{results: res}
	}
	init, err := in.call(ctx, fuel, "_initialize")
	if err != nil || init.trapped {
		tb.Fatalf("%s: _initialize: %+v %v", engines[e].name, init, err)
	}
	tb.Logf("%s: _initialize used %d fuel", engines[e].name, fuel-init.fuel)
	out, err := in.call(ctx, fuel, "work", guestArg)
	if err != nil {
		tb.Fatalf("%s: work: %v", engines[e].name, err)
	}
	return out
}

func TestGoGuest(t *testing.T) {
	raw := goGuest(t)
	w, err := Instrument(raw, guestOptions())
	if err != nil {
		t.Fatalf("Instrument: %v", err)
	}
	ctx := context.Background()
	const fuel = 1 << 40
	var outs []outcome
	for e := range engines {
		plain := guestRun(t, ctx, e, raw, false, 0)
		out := guestRun(t, ctx, e, w, true, fuel)
		if out.trapped || len(out.results) != 1 || out.results[0] != plain.results[0] {
			t.Fatalf("%s: metered %+v, unmetered %+v", engines[e].name, out, plain)
		}
		if out.depth != 0 {
			t.Fatalf("%s: depth after work = %d, want 0", engines[e].name, out.depth)
		}
		t.Logf("%s: work(%d) = %d using %d fuel", engines[e].name, guestArg, int64(out.results[0]), fuel-out.fuel)
		outs = append(outs, out)
	}
	if !sameOutcome(outs[0], outs[1]) {
		t.Fatalf("compiler %+v, interpreter %+v", outs[0], outs[1])
	}
	// With a little fuel, both engines stop at the same point.
	for e := range engines {
		in, err := instantiate(ctx, engines[e].config(), w, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.call(ctx, fuel, "_initialize"); err != nil {
			t.Fatal(err)
		}
		out, err := in.call(ctx, 50_000, "work", guestArg)
		in.close(ctx)
		if err != nil || !out.trapped || !IsOutOfFuel(out.fuel) {
			t.Fatalf("%s: work with 50000 fuel = %+v, %v; want an out-of-fuel trap", engines[e].name, out, err)
		}
	}
}

// TestGoGuestStartFunction runs _initialize at instantiation, on the
// InitialFuel.
func TestGoGuestStartFunction(t *testing.T) {
	w, err := Instrument(goGuest(t), guestOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var left []uint64
	for _, e := range engines {
		rt := wazero.NewRuntimeWithConfig(ctx, e.config())
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
		mod, err := rt.InstantiateWithConfig(ctx, w, wazero.NewModuleConfig().WithStartFunctions("_initialize"))
		if err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		left = append(left, mod.ExportedGlobal(FuelGlobal).Get())
		rt.Close(ctx)
	}
	if left[0] != left[1] || int64(left[0]) <= 0 || int64(left[0]) >= DefaultOptions().InitialFuel {
		t.Fatalf("fuel left after _initialize: compiler %d, interpreter %d", left[0], left[1])
	}
}
