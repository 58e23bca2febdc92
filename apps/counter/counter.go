// Package counter is the smallest Myriad application, and the example of
// docs/sdk.md: one unsigned 64-bit value, set by the instantiation argument
// (a JSON number) and increased by operations. Its contract is in
// ./contract, its service (`query { value }`, `mutation { increment(value:
// N) }`) in ./service; this package holds what both share.
package counter

import "github.com/myriadchain/myriad/sdk"

// Operation is the counter's only operation, as JSON: {"increment": N}.
type Operation struct {
	Increment uint64 `json:"increment"`
}

// Value is the counter's value in the application's state.
func Value(s sdk.Store) sdk.Register[uint64] { return sdk.NewRegister[uint64](s, "value") }
