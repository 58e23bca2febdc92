// Package sdk is what a Myriad application written in Go shares between its
// contract and its service: typed state over the application's key-value
// store (Register, Map, Log, Queue), the JSON helpers every app uses for its
// operations, messages, parameters and instantiation argument, and
// re-exports of the protocol types an app meets (Context, Account, Amount).
//
// An app imports sdk/contract in its contract module and sdk/service in its
// service module, never both in one module: the two glue packages import
// different host functions, and the runtime refuses a contract that imports
// service functions and the converse. A minimal contract:
//
//	type Counter struct{}
//
//	func (Counter) Instantiate(rt *contract.Runtime, arg []byte) {
//		value(rt).Set(sdk.FromJSON[uint64](arg))
//	}
//
//	func (Counter) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
//		v := value(rt)
//		v.Set(v.Get() + sdk.FromJSON[counter.Operation](op).Increment)
//		return nil
//	}
//
//	func (Counter) ExecuteMessage(rt *contract.Runtime, msg []byte) { panic("no messages") }
//
//	func value(s sdk.Store) sdk.Register[uint64] { return sdk.NewRegister[uint64](s, "value") }
//
//	func init() { contract.Register(Counter{}) }
//
//	func main() {}
//
// Build it as a reactor:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o contract.wasm ./contract
//
// Natively (any GOOS but wasip1) the same code runs against a mocked host:
// see sdk/sdktest. docs/sdk.md is the guide; docs/app-abi.md the ABI.
package sdk
