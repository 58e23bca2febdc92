package runtime

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/app"
)

// TestHelperModules checks the browser engine's helper modules against
// wazero's validator: the trampoline for the test guest's imports and the
// accessor for its globals compile, and the imports read are the ones
// appstest reads.
func TestHelperModules(t *testing.T) {
	vm := newVM(t, Config{Interpreter: true})
	code, globals, err := vm.instrument(app.BlobContract, guest(t))
	if err != nil {
		t.Fatal(err)
	}
	imps, err := funcImports(code)
	if err != nil {
		t.Fatal(err)
	}
	want, err := appstest.Imports(code)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != len(want) {
		t.Fatalf("funcImports found %d imports, appstest %d", len(imps), len(want))
	}
	for i, imp := range imps {
		if imp.module != want[i].Module || imp.name != want[i].Name {
			t.Errorf("import %d = %s.%s, want %s", i, imp.module, imp.name, want[i])
		}
	}
	types, err := globalTypes(code, globals)
	if err != nil {
		t.Fatal(err)
	}
	if len(types) == 0 {
		t.Fatal("no mutable globals")
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer rt.Close(ctx)
	for name, mod := range map[string][]byte{"trampoline": trampoline(imps), "accessor": accessor(types)} {
		if _, err := rt.CompileModule(ctx, mod); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
