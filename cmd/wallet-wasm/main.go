//go:build js && wasm

// Command wallet-wasm is the wallet core for the browser (wallet.wasm):
// the same wallet package as the CLI, on IndexedDB, exposing the
// JavaScript API of wallet/jsapi. `make wallet` builds it into
// dist/wallet; wallet.js beside it loads it.
package main

import (
	"os"
	"syscall/js"

	"github.com/myriadchain/myriad/wallet/jsapi"
)

func main() {
	name := os.Getenv("MYRIAD_WALLET_NAME")
	if name == "" {
		name = "default"
	}
	api := jsapi.New(browserConfig(name))
	if ready := js.Global().Get("__myriadWalletReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(api.Object())
	}
	select {} // serve JavaScript's calls until the page goes
}
