//go:build js && wasm

package worker_test

import (
	"path/filepath"
	"syscall/js"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/faucet/worker"
	"github.com/myriadchain/myriad/storage/storagetest"
)

// importModule loads an ES module from a file (in Node, where the js/wasm
// tests run: GOOS=js GOARCH=wasm go test -exec=go_js_wasm_exec).
func importModule(t *testing.T, path string) js.Value {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := worker.Await(js.Global().Call("eval", `import("file://`+filepath.ToSlash(abs)+`")`))
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return m
}

// TestStoreConformance runs the kv conformance suite against Store over
// js/storage.mjs, the very adapter the Durable Object uses, on a fake
// Durable Object storage.
func TestStoreConformance(t *testing.T) {
	adapter := importModule(t, "js/storage.mjs").Get("storage")
	fake := importModule(t, "testdata/fakestorage.mjs").Get("fakeStorage")
	storagetest.Run(t, func(t *testing.T) kv.Store {
		return worker.NewStore(adapter.Invoke(fake.Invoke()))
	})
}
