package metering

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// engines are wazero's two engines, which must agree. They share an
// in-memory compilation cache, so the Go guest is compiled once per engine
// and version.
var engines = []struct {
	name   string
	config func() wazero.RuntimeConfig
}{
	{"compiler", func() wazero.RuntimeConfig { return wazero.NewRuntimeConfigCompiler().WithCompilationCache(cache) }},
	{"interpreter", func() wazero.RuntimeConfig { return wazero.NewRuntimeConfigInterpreter().WithCompilationCache(cache) }},
}

var cache = wazero.NewCompilationCache()

// outcome is the result of one metered call.
type outcome struct {
	results []uint64
	trapped bool
	fuel    int64
	depth   uint32
}

// instance is an instantiated metered module.
type instance struct {
	rt  wazero.Runtime
	mod api.Module
}

func instantiate(ctx context.Context, config wazero.RuntimeConfig, wasm []byte, wasi bool) (*instance, error) {
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	if wasi {
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	}
	mod, err := rt.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithStartFunctions())
	if err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return &instance{rt, mod}, nil
}

func (in *instance) close(ctx context.Context) { in.rt.Close(ctx) }

// call sets the fuel, resets the depth and calls the export name.
func (in *instance) call(ctx context.Context, fuel int64, name string, args ...uint64) (outcome, error) {
	fg, ok := in.mod.ExportedGlobal(FuelGlobal).(api.MutableGlobal)
	if !ok {
		return outcome{}, errors.New("no mutable fuel global")
	}
	dg, ok := in.mod.ExportedGlobal(DepthGlobal).(api.MutableGlobal)
	if !ok {
		return outcome{}, errors.New("no mutable depth global")
	}
	f := in.mod.ExportedFunction(name)
	if f == nil {
		return outcome{}, errors.New("no export " + name)
	}
	fg.Set(uint64(fuel))
	dg.Set(0)
	res, err := f.Call(ctx, args...)
	o := outcome{results: res, trapped: err != nil, fuel: int64(fg.Get()), depth: uint32(dg.Get())}
	if err != nil && !isTrap(err) {
		return o, err
	}
	return o, nil
}

// isTrap reports whether err is a guest trap (as opposed to a host error).
func isTrap(err error) bool {
	var exit interface{ ExitCode() uint32 }
	return err != nil && !errors.As(err, &exit)
}

// runBoth instruments wasm and calls "run" in both engines, requiring the
// same outcome; it returns the compiler's.
func runBoth(t *testing.T, wasm []byte, o Options, fuel int64) (outcome, []error) {
	t.Helper()
	ctx := context.Background()
	w, err := Instrument(wasm, o)
	if err != nil {
		t.Fatalf("Instrument: %v", err)
	}
	var outs []outcome
	var errs []error
	for _, e := range engines {
		in, err := instantiate(ctx, e.config(), w, false)
		if err != nil {
			t.Fatalf("%s: instantiate: %v", e.name, err)
		}
		out, err := in.call(ctx, fuel, "run")
		in.close(ctx)
		if err != nil {
			t.Fatalf("%s: call: %v", e.name, err)
		}
		outs = append(outs, out)
		errs = append(errs, err)
	}
	if !sameOutcome(outs[0], outs[1]) {
		t.Fatalf("compiler %+v, interpreter %+v", outs[0], outs[1])
	}
	return outs[0], errs
}

func sameOutcome(a, b outcome) bool {
	if a.trapped != b.trapped || a.fuel != b.fuel || len(a.results) != len(b.results) {
		return false
	}
	for i := range a.results {
		if a.results[i] != b.results[i] {
			return false
		}
	}
	return true
}
