//go:build js

package runtime

import (
	"embed"
	"os"
	"testing"
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
