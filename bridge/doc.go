// Package bridge holds the tests of the in-page provider, window.myriad. The
// provider itself is JavaScript (src/, bundled by build.sh into inpage.js,
// which the extension injects into pages' main world); the protocol it speaks
// with the extension's content script is docs/bridge-protocol.md.
//
// The tests load inpage.js in headless Chromium (internal/browser) on a page
// whose stand-in content script (testdata/stub.js) answers like the real one,
// and check the provider's request matching, error codes, timeouts, limits,
// events, its EIP-6963-style announcement and its Wallet Standard
// registration, and that it ignores messages from other windows and origins.
package bridge
