package runtime

import (
	"context"
	goruntime "runtime"
	"slices"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/runtime/metering"
)

// BenchmarkInstanceStart compares the ways to get an instance in the
// post-_initialize state: a new instance restored from the snapshot
// (what a call does when no idle instance is pooled), and a new instance
// that runs _initialize itself.
func BenchmarkInstanceStart(b *testing.B) {
	if InterpreterOnly {
		b.Skip("wazero's compiler is not available here")
	}
	r := newRunner(b, Config{})
	if _, _, err := r.run(newHost(), app.EntryOperation, op('w', 1), 1e9); err != nil {
		b.Fatal(err)
	}
	m := r.vm.modules[r.mod.Contract]
	ctx := context.Background()
	b.Run("restored", func(b *testing.B) {
		for range b.N {
			m.mu.Lock()
			m.idle = nil // force a new instance
			m.mu.Unlock()
			in, err := r.vm.acquire(ctx, m, 1, [32]byte{})
			if err != nil {
				b.Fatal(err)
			}
			in.mod.Close(ctx)
		}
	})
	b.Run("pooled", func(b *testing.B) {
		for range b.N {
			in, err := r.vm.acquire(ctx, m, 1, [32]byte{})
			if err != nil {
				b.Fatal(err)
			}
			r.vm.release(ctx, m, in, true)
		}
	})
	b.Run("initialize", func(b *testing.B) {
		for range b.N {
			in := &instance{clock: &clock{}, rand: &seededReader{}}
			mod, err := r.vm.rt.InstantiateModule(ctx, m.compiled, r.vm.moduleConfig(in))
			if err != nil {
				b.Fatal(err)
			}
			setGlobal(mod, metering.FuelGlobal, initFuel)
			if _, err := mod.ExportedFunction("_initialize").Call(ctx); err != nil {
				b.Fatal(err)
			}
			mod.Close(ctx)
		}
	})
}

func BenchmarkOperationInterpreter(b *testing.B) {
	r := newRunner(b, Config{Interpreter: true})
	h := newHost()
	if _, _, err := r.run(h, app.EntryOperation, op('i', 1), 1e9); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := r.run(h, app.EntryOperation, op('i', 1), 1e9); err != nil {
			b.Fatal(err)
		}
	}
}

// reportQuantiles runs f b.N times and reports the median and the 10th
// percentile of its times besides the mean: on a shared machine the
// mean follows the load, the low quantiles much less.
func reportQuantiles(b *testing.B, f func()) {
	ts := make([]time.Duration, b.N)
	for i := range b.N {
		t0 := time.Now()
		f()
		ts[i] = time.Since(t0)
	}
	slices.Sort(ts)
	b.ReportMetric(float64(ts[len(ts)/2].Microseconds()), "µs-p50")
	b.ReportMetric(float64(ts[len(ts)/10].Microseconds()), "µs-p10")
}

// BenchmarkCounter times the counter application on every engine of
// testEngines (in a browser: wazero's interpreter and the browser's
// engine): an operation and a query once the module is loaded, and a
// first use (a new VM: compile, _initialize, one query).
func BenchmarkCounter(b *testing.B) {
	cc, cs := appModules(b, "counter")
	mod := app.ModuleID{Contract: app.Blob{Kind: app.BlobContract, Bytes: cc}.ID(),
		Service: app.Blob{Kind: app.BlobService, Bytes: cs}.ID()}
	run := func(vm *VM, h *fakeHost, service bool, in []byte) {
		code := cc
		if service {
			code = cs
		}
		r := &app.Run{Module: mod, Code: func() ([]byte, error) { return code, nil }, Entry: app.EntryOperation,
			Input: in, Fuel: &app.Fuel{Left: 1e10}}
		var err error
		if service {
			_, err = vm.Service(r, h)
		} else {
			_, err = vm.Contract(r, h)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	query := []byte(`{"query":"{ value }"}`)
	for _, e := range testEngines() {
		vm, h := newVM(b, e.cfg), newHost()
		goruntime.GC() // the other engine's garbage is not this one's
		b.Run(e.name+"/operation", func(b *testing.B) {
			run(vm, h, false, []byte(`{"increment":1}`))
			b.ResetTimer()
			reportQuantiles(b, func() { run(vm, h, false, []byte(`{"increment":1}`)) })
		})
		b.Run(e.name+"/query", func(b *testing.B) {
			run(vm, h, true, query)
			b.ResetTimer()
			reportQuantiles(b, func() { run(vm, h, true, query) })
		})
		b.Run(e.name+"/first-query", func(b *testing.B) {
			for range b.N {
				vm, err := New(e.cfg)
				if err != nil {
					b.Fatal(err)
				}
				run(vm, h, true, query)
				vm.Close()
			}
		})
		vm.Close()
	}
}
