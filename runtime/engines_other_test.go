//go:build !js

package runtime

import "testing"

func testEngines() []engineCase {
	return []engineCase{{"compiler", Config{}}, {"interpreter", Config{Interpreter: true}}}
}

// prebuilt returns a test guest built before the test (GOOS=js only:
// natively the tests build their guests).
func prebuilt(testing.TB, string) []byte { return nil }
