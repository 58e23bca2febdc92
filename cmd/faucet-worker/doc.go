// Command faucet-worker is the faucet as a Cloudflare Worker: built with
// GOOS=js GOARCH=wasm (make faucet-worker) and run by the Durable Object
// of faucet/worker/js/worker.mjs, one Go instance per Durable Object. Built
// for any other platform it only says so. See package worker and
// docs/faucet.md.
package main
