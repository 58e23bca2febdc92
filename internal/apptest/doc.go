// Package apptest runs Wasm applications on the in-process test network:
// the real runtime on every validator and wallet, blocks certified by a
// quorum, so every validator must reach the same state hash.
package apptest
