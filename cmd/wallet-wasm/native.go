//go:build !(js && wasm)

// Command wallet-wasm is the wallet core for the browser; it builds only
// with GOOS=js GOARCH=wasm (make wallet).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wallet-wasm runs in a browser: build it with `make wallet` (GOOS=js GOARCH=wasm)")
	os.Exit(2)
}
