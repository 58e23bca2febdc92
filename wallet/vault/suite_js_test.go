//go:build js

package vault

import "testing"

// TestPlatformIsWebCrypto checks that the js/wasm build seals through
// WebCrypto where the host has it (Node 19 and later, browsers): the other
// tests then compare it with the Go suite byte for byte.
func TestPlatformIsWebCrypto(t *testing.T) {
	if got := platform().name(); got != "webcrypto" {
		t.Errorf("platform().name() = %q, want webcrypto (globalThis.crypto.subtle)", got)
	}
}
