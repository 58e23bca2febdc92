// Command service is the counter's service module: GraphQL
// `query { value }` and `mutation { increment(value: N) }`.
package main

import (
	"context"

	"github.com/myriadchain/myriad/apps/counter"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/service"
)

const schema = `
scalar U64

type Query {
	"The counter's value."
	value: U64!
}

type Mutation {
	"Schedules an operation adding value to the counter; returns true."
	increment(value: U64!): Boolean!
}
`

// Root resolves the counter's queries and mutations.
type Root struct{}

// Value resolves `value`.
func (Root) Value(ctx context.Context) service.U64 {
	return service.U64(counter.Value(service.RuntimeOf(ctx)).Get())
}

// Increment resolves `increment(value:)`.
func (Root) Increment(ctx context.Context, args struct{ Value service.U64 }) bool {
	service.RuntimeOf(ctx).Schedule(sdk.JSON(counter.Operation{Increment: uint64(args.Value)}))
	return true
}

// Service is the counter's service.
var Service = service.MustGraphQL(schema, &Root{})

func init() { service.Register(Service) }

func main() {}
