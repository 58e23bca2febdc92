// Package browsertest holds the wallet's tests that need a real browser.
// They build for GOOS=js GOARCH=wasm only and run in headless Chromium,
// with the wallet's document and chain states in IndexedDB (storage-idb)
// and its keys in a vault sealed through WebCrypto:
//
//	GOOS=js GOARCH=wasm go test -exec=$PWD/scripts/go_js_wasm_chromium_exec ./wallet/browsertest/
//
// (make browser runs them). The package has no code of its own; natively
// it has no tests.
package browsertest
