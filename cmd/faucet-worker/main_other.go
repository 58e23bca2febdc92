//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "faucet-worker: build with GOOS=js GOARCH=wasm (make faucet-worker)")
	os.Exit(2)
}
