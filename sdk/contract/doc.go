// Package contract is the contract side of the Myriad Go SDK: the Contract
// interface an app implements, Register to make it the module's contract,
// and the Runtime through which the contract reaches its chain.
//
//	func init() { contract.Register(Counter{}) }
//
//	func main() {}
//
// Built with GOOS=wasip1 (as a reactor, -buildmode=c-shared), the package
// exports myriad_instantiate, myriad_execute_operation and
// myriad_execute_message and imports only the contract's host functions of
// docs/app-abi.md. On every other platform, NewRuntime runs the same app code
// against any app.ContractHost, such as the mock chains of sdk/sdktest.
//
// A panic in app code aborts the call with its message: the operation fails
// (and with it the block), or the incoming message is rejected (and bounces
// if it was tracked). sdk.Require is the usual way to refuse.
package contract
