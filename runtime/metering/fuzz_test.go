package metering

import (
	"context"
	"slices"
	"testing"

	"github.com/tetratelabs/wazero"
)

// fuzzOptions keep every fuzz execution small.
func fuzzOptions() Options {
	o := DefaultOptions()
	o.MaxModuleSize = 16 << 10
	o.MaxFunctions = 100
	o.MaxMemoryPages = 4
	o.MaxTableSize = 100
	o.MaxCallDepth = 100
	o.MaxLocals = 1000
	o.InitialFuel = 10_000
	return o
}

const fuzzFuel = 10_000

// FuzzInstrument checks that Instrument never panics, that what it returns
// for a module wazero accepts compiles in both engines, and that both
// engines run each exported zero-argument function to the same outcome.
func FuzzInstrument(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, wasm []byte) {
		w, err := Instrument(wasm, fuzzOptions())
		if err != nil {
			return
		}
		ctx := context.Background()
		plain := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
		defer plain.Close(ctx)
		if _, err := plain.CompileModule(ctx, wasm); err != nil {
			return
		}
		var outs [][]outcome
		for _, e := range engines {
			outs = append(outs, fuzzRun(t, ctx, e.config(), w))
		}
		if len(outs[0]) != len(outs[1]) {
			t.Fatalf("compiler instantiated %v, interpreter %v", outs[0] != nil, outs[1] != nil)
		}
		for i := range outs[0] {
			if a, b := outs[0][i], outs[1][i]; !sameOutcome(a, b) {
				t.Fatalf("function %d: compiler %+v, interpreter %+v", i, a, b)
			}
		}
	})
}

// fuzzRun compiles the instrumented module w, which must succeed, then
// calls each exported zero-argument function on a fresh instance. It
// returns nil if instantiation fails.
func fuzzRun(t *testing.T, ctx context.Context, config wazero.RuntimeConfig, w []byte) []outcome {
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	defer rt.Close(ctx)
	cm, err := rt.CompileModule(ctx, w)
	if err != nil {
		t.Fatalf("instrumented module does not compile: %v", err)
	}
	var names []string
	for name, d := range cm.ExportedFunctions() {
		if len(d.ParamTypes()) == 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	outs := []outcome{}
	for i, name := range names {
		if i == 3 {
			break
		}
		mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			return nil
		}
		in := &instance{rt, mod}
		out, err := in.call(ctx, fuzzFuel, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !out.trapped && out.fuel < 0 {
			t.Fatalf("%s completed with fuel %d", name, out.fuel)
		}
		outs = append(outs, out)
		mod.Close(ctx)
	}
	return outs
}
