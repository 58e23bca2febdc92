package runtime

import (
	"context"
	"testing"

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
