//go:build js

package runtime

import (
	"embed"
	"os"
	"syscall/js"
	"testing"

	"github.com/myriadchain/myriad/core/app"
)

func testEngines() []engineCase {
	return []engineCase{{"interpreter", Config{Interpreter: true}}, {"browser", Config{Engine: EngineBrowser}}}
}

//go:embed testdata/browser
var prebuiltGuests embed.FS

// prebuilt returns a test guest `make runtime-guests` built into
// testdata/browser (there is no go command in a browser). Without it the
// test skips, except in CI.
func prebuilt(t testing.TB, name string) []byte {
	t.Helper()
	b, err := prebuiltGuests.ReadFile("testdata/browser/" + name + ".wasm")
	if err != nil {
		msg := "testdata/browser/" + name + ".wasm is missing: run make runtime-guests"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return b
}

// awaitingHost is a fakeHost whose reads wait for the JavaScript event
// loop, as the wallet's IndexedDB reads do.
type awaitingHost struct{ *fakeHost }

func (h awaitingHost) Read(k []byte) ([]byte, bool, error) {
	done := make(chan struct{})
	f := js.FuncOf(func(js.Value, []js.Value) any { close(done); return nil })
	defer f.Release()
	js.Global().Call("setTimeout", f, 1)
	<-done
	return h.fakeHost.Read(k)
}

// TestHostMayAwait: a host function may wait for a JavaScript promise
// while the guest runs (the browser engine suspends the guest).
func TestHostMayAwait(t *testing.T) {
	engines(t, func(t *testing.T, r *runner) {
		h := awaitingHost{newHost()}
		for i := range 3 {
			out, err := r.vm.Contract(&app.Run{Module: r.mod, Code: func() ([]byte, error) { return r.code, nil },
				Entry: app.EntryOperation, Input: op('i', 5), Fuel: &app.Fuel{Left: 1e9}}, h)
			if err != nil || u64(out) != uint64(5*(i+1)) {
				t.Fatalf("call %d: %d, %v", i, u64(out), err)
			}
		}
	})
}
