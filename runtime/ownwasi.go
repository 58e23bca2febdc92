package runtime

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// instantiateOwnWASI instantiates wasi.go's functions in rt as the module
// wasi_snapshot_preview1, in place of wazero's (Config.ownWASI): natively,
// the runtime's tests then compare the browser engine's WASI answers with
// wazero's on real guests, with wazero's compiler.
func (vm *VM) instantiateOwnWASI(ctx context.Context, rt wazero.Runtime) error {
	b := rt.NewHostModuleBuilder("wasi_snapshot_preview1")
	types := map[byte]api.ValueType{'i': api.ValueTypeI32, 'I': api.ValueTypeI64}
	for name, w := range wasiFns {
		var params, results []api.ValueType
		for _, c := range []byte(w.params) {
			params = append(params, types[c])
		}
		for _, c := range []byte(w.results) {
			results = append(results, types[c])
		}
		b = b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, s []uint64) {
			e, ok := vm.wasiEnvs.Load(m)
			if !ok {
				panic(fmt.Errorf("runtime: wasi %s: unknown instance", name))
			}
			defer func() {
				if r := recover(); r != nil {
					if exit, ok := r.(exitTrap); ok {
						m.CloseWithExitCode(ctx, exit.code)
						panic(sys.NewExitError(exit.code))
					}
					panic(r)
				}
			}()
			r := w.fn(e.(*wasiEnv), wazeroMemory{m}, s)
			if len(results) > 0 {
				s[0] = r
			}
		}), params, results).Export(name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// bindWASI makes in's clock, randomness and stderr the WASI state of mod
// (Config.ownWASI only).
func (vm *VM) bindWASI(mod api.Module, in *instance) {
	if vm.cfg.ownWASI {
		vm.wasiEnvs.Store(mod, &wasiEnv{clock: in.clock, rand: in.rand, stderr: in.err})
	}
}
