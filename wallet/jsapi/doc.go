// Package jsapi is the wallet core's face to JavaScript, for the browser
// build (cmd/wallet-wasm, GOOS=js GOARCH=wasm): one object whose methods
// return Promises — create or import a wallet, unlock and lock it, claim a
// chain from a faucet, answer GraphQL (the wallet's schema and each
// application's own), sign messages for web origins (core/msgsig) and
// subscribe to notifications — with failures as
// Errors carrying a stable code. It is the only way into the wallet: keys
// never leave it. docs/wallet-js.md documents the API.
//
//	api := jsapi.New(jsapi.Config{OpenDocument: ..., OpenState: ..., ResetState: ..., Dialer: wallet.RemoteDialer{}})
//	js.Global().Set("wallet", api.Object())
//
// Calls from a web origin other than the wallet's own pages go through
// the policy the host registers (setPolicy): without one they are refused.
package jsapi
