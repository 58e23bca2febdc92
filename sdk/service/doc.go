// Package service is the service side of the Myriad Go SDK: the read-only
// module that answers queries about an application's state, usually in
// GraphQL with the app's own schema, and turns GraphQL mutations into
// operations for the wallet to put in a block (Runtime.Schedule).
//
//	const schema = `
//		type Query { value: U64! }
//		type Mutation { increment(value: U64!): Boolean! }
//		scalar U64`
//
//	type root struct{}
//
//	func (root) Value(ctx context.Context) service.U64 { … service.RuntimeOf(ctx) … }
//
//	func init() { service.Register(service.MustGraphQL(schema, root{})) }
//
//	func main() {}
//
// The schema is parsed in init, which runs once in the reactor's
// _initialize and is part of the snapshot every query starts from, so a
// query pays only for its own execution. The query's input is a JSON GraphQL
// request {"query", "variables", "operationName"}; the output is the JSON
// response {"data", "errors"}.
//
// Built with GOOS=wasip1 the package exports myriad_query and imports only
// the service's host functions; elsewhere NewRuntime runs the same code
// against any app.ServiceHost (see sdk/sdktest).
package service
