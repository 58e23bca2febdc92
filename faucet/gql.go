package faucet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"

	"github.com/myriadchain/myriad/core/ids"
)

// Schema is the faucet's GraphQL schema. claim answers with the
// description alone, as a JSON scalar, which is what wallet clients ask
// for (`mutation { claim(owner: "…") }`, as Linera's faucet); claimChain
// answers with an object that also carries the chain id and certificate.
const Schema = `
schema {
	query: Query
	mutation: Mutation
}

"""
A chain description as a JSON object: {"parent": "<64 hex>", "height": 7, "index": 0}.
"""
scalar ChainDescription

"A block height: a JSON number (below 2^53 in practice)."
scalar BlockHeight

type Query {
	"The network's genesis, as a JSON document in a string: what a wallet needs to join."
	genesisConfig: String!
	"The faucet's version."
	version: String!
	"""
	The chains the faucet opened for owner (64 hex digits), oldest first: how a wallet
	restored from its recovery phrase finds its chains. Empty for an owner the faucet
	never served.
	"""
	chains(owner: String!): [OpenedChain!]!
}

type Mutation {
	"Opens a chain owned by owner (64 hex digits) and returns its description."
	claim(owner: String!): ChainDescription!
	"Opens a chain owned by owner (64 hex digits) and returns it with its certificate."
	claimChain(owner: String!): Claim!
}

"A chain the faucet opened."
type Claim {
	"The new chain's id (64 hex digits)."
	chainId: String!
	"Where the chain comes from: the faucet chain's block and the operation's index in it."
	description: Description!
	"The hash of the confirmed certificate of the block that opened the chain."
	certificateHash: String!
	"The height of that block in the faucet chain."
	height: BlockHeight!
}

"""
A chain the faucet opened. The description is what a wallet needs to follow the chain:
the faucet chain's block that opened it, whose message creates the chain.
"""
type OpenedChain {
	"The chain's id (64 hex digits)."
	chainId: String!
	"Where the chain comes from: the faucet chain's block and the operation's index in it."
	description: Description!
}

"The OpenChain operation that made a chain."
type Description {
	"The faucet chain's id."
	parent: String!
	height: BlockHeight!
	index: Int!
}
`

// root resolves the schema's queries and mutations.
type root struct {
	claimer Claimer
	genesis string
	version string
	log     *slog.Logger
}

func (r *root) GenesisConfig() string { return r.genesis }

func (r *root) Version() string { return r.version }

type ownerArgs struct{ Owner string }

func (r *root) Chains(args ownerArgs) ([]*openedResolver, error) {
	o, err := parseOwner(args.Owner)
	if err != nil {
		return nil, err
	}
	chains := r.claimer.Chains(o)
	out := make([]*openedResolver, len(chains))
	for i, d := range chains {
		out[i] = &openedResolver{d}
	}
	return out, nil
}

type openedResolver struct{ d ids.Description }

func (o *openedResolver) ChainID() string { return o.d.ID().String() }

func (o *openedResolver) Description() *descriptionResolver { return &descriptionResolver{o.d} }

// parseOwner parses an owner argument, or returns the INVALID_OWNER error.
func parseOwner(s string) (ids.Owner, error) {
	o, err := ids.ParseHash(s)
	if err != nil {
		return ids.Owner{}, publicError(fmt.Errorf("%w: %q is not 64 hex digits", ErrInvalidOwner, s))
	}
	return o, nil
}

func (r *root) Claim(ctx context.Context, args ownerArgs) (descriptionJSON, error) {
	res, err := r.claim(ctx, args.Owner)
	return descriptionJSON(res.Description), err
}

func (r *root) ClaimChain(ctx context.Context, args ownerArgs) (*claimResolver, error) {
	res, err := r.claim(ctx, args.Owner)
	if err != nil {
		return nil, err
	}
	return &claimResolver{res}, nil
}

func (r *root) claim(ctx context.Context, owner string) (ClaimResult, error) {
	o, err := parseOwner(owner)
	if err != nil {
		return ClaimResult{}, err
	}
	addr, _ := ctx.Value(addrKey{}).(string)
	res, err := r.claimer.Claim(ctx, o, addr)
	if err != nil {
		r.log.Info("claim refused", "owner", o.Short(), "addr", addr, "err", err)
		return res, publicError(err)
	}
	return res, nil
}

type claimResolver struct{ res ClaimResult }

func (c *claimResolver) ChainID() string { return c.res.Chain.String() }

func (c *claimResolver) Description() *descriptionResolver {
	return &descriptionResolver{c.res.Description}
}

func (c *claimResolver) CertificateHash() string { return c.res.Certificate.String() }

func (c *claimResolver) Height() blockHeight { return blockHeight(c.res.Height) }

type descriptionResolver struct{ d ids.Description }

func (d *descriptionResolver) Parent() string { return d.d.Parent.String() }

func (d *descriptionResolver) Height() blockHeight { return blockHeight(d.d.Height) }

func (d *descriptionResolver) Index() int32 { return int32(min(d.d.Index, math.MaxInt32)) }

// descriptionJSON is the ChainDescription scalar: a child chain's
// description in the wallet's JSON form (wallet.Description).
type descriptionJSON ids.Description

// ImplementsGraphQLType maps the type to the schema's scalar.
func (descriptionJSON) ImplementsGraphQLType(name string) bool { return name == "ChainDescription" }

// UnmarshalGraphQL refuses input: the scalar is only returned.
func (*descriptionJSON) UnmarshalGraphQL(any) error {
	return errors.New("faucet: ChainDescription is an output type")
}

// MarshalJSON encodes the description as {"parent", "height", "index"}.
func (d descriptionJSON) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Parent ids.ChainID `json:"parent"`
		Height uint64      `json:"height"`
		Index  uint32      `json:"index"`
	}{d.Parent, d.Height, d.Index})
}

// blockHeight is the BlockHeight scalar.
type blockHeight uint64

// ImplementsGraphQLType maps the type to the schema's scalar.
func (blockHeight) ImplementsGraphQLType(name string) bool { return name == "BlockHeight" }

// UnmarshalGraphQL refuses input: the scalar is only returned.
func (*blockHeight) UnmarshalGraphQL(any) error {
	return errors.New("faucet: BlockHeight is an output type")
}

// gqlError is a resolver error with the GraphQL extensions clients
// branch on: {"code": "RATE_LIMITED", "retryAfterSeconds": 42}.
type gqlError struct {
	msg  string
	code string
	ext  map[string]any
}

func (e *gqlError) Error() string { return e.msg }

// Extensions implements graphql-go's error extensions.
func (e *gqlError) Extensions() map[string]any {
	out := map[string]any{"code": e.code}
	for k, v := range e.ext {
		out[k] = v
	}
	return out
}

// errorCodes are the codes of the errors claimants may see, with their
// message as shown; anything else is an internal error.
var errorCodes = []struct {
	err  error
	code string
}{
	{ErrInvalidOwner, "INVALID_OWNER"},
	{ErrRateLimited, "RATE_LIMITED"},
	{ErrAlreadyClaimed, "ALREADY_CLAIMED"},
	{ErrDry, "FAUCET_DRY"},
	{ErrUnreachable, "UNAVAILABLE"},
	{ErrClosed, "UNAVAILABLE"},
	{context.Canceled, "CANCELLED"},
	{context.DeadlineExceeded, "TIMEOUT"},
}

// publicError turns a claim's failure into what the claimant sees. The
// details of unreachable validators and of internal failures stay in the
// server's log (see the handler), not in the answer.
func publicError(err error) *gqlError {
	for _, c := range errorCodes {
		if !errors.Is(err, c.err) {
			continue
		}
		e := &gqlError{msg: err.Error(), code: c.code}
		var rl *RateLimitError
		switch {
		case errors.As(err, &rl):
			e.ext = map[string]any{"retryAfterSeconds": int64(math.Ceil(rl.RetryAfter.Seconds()))}
		case c.err == ErrUnreachable:
			e.msg = ErrUnreachable.Error() + "; try again later"
		}
		return e
	}
	return &gqlError{msg: "faucet: internal error", code: "INTERNAL"}
}
