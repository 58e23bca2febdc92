package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/graph-gophers/graphql-go"
)

// Request is a GraphQL request as a service receives it.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
}

// GraphQL is a Service answering GraphQL requests with an app's schema,
// executed by github.com/graph-gophers/graphql-go. Resolvers are methods of
// the root value (queries and mutations alike); those that take a
// context.Context get the query's Runtime from RuntimeOf.
type GraphQL struct{ schema *graphql.Schema }

// NewGraphQL parses schema and binds it to root's methods.
func NewGraphQL(schema string, root any) (*GraphQL, error) {
	// One resolver at a time: a query runs on one thread anyway, and
	// resolvers then run in a deterministic order.
	s, err := graphql.ParseSchema(schema, root, graphql.MaxParallelism(1))
	if err != nil {
		return nil, fmt.Errorf("service: parse schema: %w", err)
	}
	g := &GraphQL{schema: s}
	g.warm()
	return g, nil
}

// warmQueries touch every step of a query but the app's resolvers: decode
// the request, parse, validate and execute it, encode the response (with
// data, and with errors).
var warmQueries = [][]byte{
	[]byte(`{"query":"query Warm($v: Boolean!) { __typename @include(if: $v) }","variables":{"v":true},"operationName":"Warm"}`),
	[]byte(`{"query":"{ __warm }"}`),
}

// warm answers warmQueries, so that encoding/json's per-type encoders and
// decoders (of Request and of graphql-go's response), graphql-go's and
// reflect's caches and sync.Pool's per-P pools are filled. NewGraphQL runs
// in init: every query starts from the state init left (docs/app-abi.md),
// so what a query fills is lost with its memory, while what init fills is
// in every query's snapshot. For the counter this makes a query about
// twice as fast (docs/benchmarks.md).
func (g *GraphQL) warm() {
	for _, q := range warmQueries {
		g.Query(nil, q)
	}
}

// MustGraphQL is NewGraphQL for init functions: it panics on error.
func MustGraphQL(schema string, root any) *GraphQL {
	g, err := NewGraphQL(schema, root)
	if err != nil {
		panic(err)
	}
	return g
}

type runtimeKey struct{}

// RuntimeOf returns the Runtime of the query a resolver runs in.
func RuntimeOf(ctx context.Context) *Runtime { return ctx.Value(runtimeKey{}).(*Runtime) }

// Query implements Service: query is a JSON GraphQL request and the answer
// the JSON response. A malformed request is answered with an error
// response, not an abort.
func (g *GraphQL) Query(rt *Runtime, query []byte) []byte {
	var req Request
	if err := json.Unmarshal(query, &req); err != nil {
		return errorResponse("malformed GraphQL request: " + err.Error())
	}
	ctx := context.WithValue(context.Background(), runtimeKey{}, rt)
	resp := g.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	out, err := json.Marshal(resp)
	if err != nil {
		return errorResponse("encode response: " + err.Error())
	}
	return out
}

func errorResponse(msg string) []byte {
	return []byte(`{"errors":[{"message":` + strconv.Quote(msg) + `}]}`)
}

// U64 is the GraphQL scalar U64: an unsigned 64-bit integer, a JSON number
// in responses, accepted as a number or a decimal string in requests.
// Declare it in a schema with `scalar U64`.
type U64 uint64

// ImplementsGraphQLType tells graphql-go that U64 is the scalar U64.
func (U64) ImplementsGraphQLType(name string) bool { return name == "U64" }

// UnmarshalGraphQL reads a U64 from a query literal or variable.
func (u *U64) UnmarshalGraphQL(input any) error {
	switch v := input.(type) {
	case int32:
		if v < 0 {
			return fmt.Errorf("U64: negative value %d", v)
		}
		*u = U64(v)
	case int64:
		if v < 0 {
			return fmt.Errorf("U64: negative value %d", v)
		}
		*u = U64(v)
	case float64:
		if v < 0 || v != float64(uint64(v)) || v >= 1<<64 {
			return fmt.Errorf("U64: %v is not an unsigned integer", v)
		}
		*u = U64(v)
	case string:
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("U64: %w", err)
		}
		*u = U64(n)
	default:
		return fmt.Errorf("U64: unexpected %T", input)
	}
	return nil
}

// MarshalJSON writes a U64 as a JSON number.
func (u U64) MarshalJSON() ([]byte, error) { return strconv.AppendUint(nil, uint64(u), 10), nil }
