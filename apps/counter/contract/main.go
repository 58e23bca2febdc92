// Command contract is the counter's contract module:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o contract.wasm ./apps/counter/contract
package main

import (
	"math"

	"github.com/myriadchain/myriad/apps/counter"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// Counter is the counter's contract.
type Counter struct{}

// Instantiate sets the value to the argument, a JSON number (0 if empty).
func (Counter) Instantiate(rt *contract.Runtime, arg []byte) {
	var start uint64
	if len(arg) > 0 {
		start = sdk.FromJSON[uint64](arg)
	}
	counter.Value(rt).Set(start)
}

// ExecuteOperation adds to the value and returns the new value as JSON.
func (Counter) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
	inc := sdk.FromJSON[counter.Operation](op).Increment
	v := counter.Value(rt)
	n := v.Get()
	sdk.Require(n <= math.MaxUint64-inc, "counter: overflow")
	v.Set(n + inc)
	return sdk.JSON(n + inc)
}

// ExecuteMessage refuses: the counter sends no messages.
func (Counter) ExecuteMessage(rt *contract.Runtime, msg []byte) {
	panic("counter: no messages")
}

func init() {
	contract.Register(Counter{})
	sdk.Warm(counter.Operation{}, uint64(0))
}

func main() {}
