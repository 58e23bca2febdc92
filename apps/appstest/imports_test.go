package appstest

import (
	"slices"
	"testing"
)

// The host functions of docs/app-abi.md by who may import them.
var (
	common       = []string{"take", "output", "abort", "log", "context", "parameters", "read", "scan", "read_blob"}
	contractOnly = []string{"write", "delete", "send", "transfer", "claim", "emit", "subscribe", "call", "create_application", "open_chain"}
	serviceOnly  = []string{"query", "schedule"}
)

// TestImports builds every sample app and checks that its contract imports
// no service function and its service no contract function, nothing beyond
// the myriad and WASI modules, and exports the ABI's entry points.
func TestImports(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			contract, service := Build(t, name)
			checkImports(t, "contract", contract, append(slices.Clone(common), contractOnly...))
			checkImports(t, "service", service, append(slices.Clone(common), serviceOnly...))
		})
	}
}

func checkImports(t *testing.T, kind string, module []byte, allowed []string) {
	t.Helper()
	imps, err := Imports(module)
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	var myriad []string
	for _, imp := range imps {
		switch imp.Module {
		case "wasi_snapshot_preview1":
		case "myriad":
			myriad = append(myriad, imp.Name)
			if !slices.Contains(allowed, imp.Name) {
				t.Errorf("%s imports myriad.%s, which a %s may not import", kind, imp.Name, kind)
			}
		default:
			t.Errorf("%s imports %s from module %q", kind, imp, imp.Module)
		}
	}
	t.Logf("%s (%d bytes) imports myriad: %v", kind, len(module), myriad)
}

func TestImportsOfCounter(t *testing.T) {
	contract, _ := Build(t, "counter")
	imps, err := Imports(contract)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, imp := range imps {
		if imp.Module == "myriad" {
			got = append(got, imp.Name)
		}
	}
	// The counter reads and writes one key: no messages, no tokens.
	for _, f := range []string{"take", "abort", "read", "write"} {
		if !slices.Contains(got, f) {
			t.Errorf("counter contract imports %v, want %s among them", got, f)
		}
	}
	for _, f := range []string{"send", "transfer", "query", "schedule"} {
		if slices.Contains(got, f) {
			t.Errorf("counter contract imports %v, want no %s", got, f)
		}
	}
}

func TestImportsRefusesGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00\x02\x05\x01")} {
		if _, err := Imports(b); err == nil {
			t.Errorf("Imports(%q) = nil error, want one", b)
		}
	}
}
