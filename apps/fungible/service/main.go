// Command service is the fungible token's service module: balances,
// accounts and ticker; transfer and claim mutations.
package main

import (
	"context"

	"github.com/myriadchain/myriad/apps/fungible"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/service"
)

const schema = `
type Query {
	"The token's ticker."
	ticker: String!
	"An owner's balance on this chain (0 if it has no account)."
	balance(owner: String!): String!
	"Every account on this chain, by owner."
	accounts: [Account!]!
}

type Account {
	owner: String!
	balance: String!
}

type Mutation {
	"Transfers amount from owner's account here to targetOwner on targetChain (this chain or another)."
	transfer(owner: String!, amount: String!, targetChain: String!, targetOwner: String!): Boolean!
	"Claims amount from owner's account on sourceChain to targetOwner on targetChain."
	claim(owner: String!, sourceChain: String!, amount: String!, targetChain: String!, targetOwner: String!): Boolean!
}
`

// Root resolves the token's queries and mutations.
type Root struct{}

// Ticker resolves `ticker`.
func (Root) Ticker(ctx context.Context) string {
	return sdk.FromJSON[fungible.Parameters](service.RuntimeOf(ctx).Parameters()).Ticker
}

// Balance resolves `balance(owner:)`.
func (Root) Balance(ctx context.Context, args struct{ Owner string }) (string, error) {
	o, err := ids.ParseHash(args.Owner)
	if err != nil {
		return "", err
	}
	return fungible.Accounts(service.RuntimeOf(ctx)).Get(o).String(), nil
}

// Account is an account in a query's answer.
type Account struct{ owner, balance string }

// Owner resolves Account.owner.
func (a Account) Owner() string { return a.owner }

// Balance resolves Account.balance.
func (a Account) Balance() string { return a.balance }

// Accounts resolves `accounts`.
func (Root) Accounts(ctx context.Context) []Account {
	var out []Account
	for o, a := range fungible.Accounts(service.RuntimeOf(ctx)).Entries() {
		out = append(out, Account{o.String(), a.String()})
	}
	return out
}

type transferArgs struct{ Owner, Amount, TargetChain, TargetOwner string }

// Transfer resolves the `transfer` mutation: it schedules the operation.
func (Root) Transfer(ctx context.Context, args transferArgs) (bool, error) {
	var t fungible.Transfer
	var err error
	if t.Owner, t.Amount, err = ownerAmount(args.Owner, args.Amount); err != nil {
		return false, err
	}
	if t.Target, err = account(args.TargetChain, args.TargetOwner); err != nil {
		return false, err
	}
	service.RuntimeOf(ctx).Schedule(sdk.JSON(fungible.Operation{Transfer: &t}))
	return true, nil
}

type claimArgs struct{ Owner, SourceChain, Amount, TargetChain, TargetOwner string }

// Claim resolves the `claim` mutation: it schedules the operation.
func (Root) Claim(ctx context.Context, args claimArgs) (bool, error) {
	var c fungible.Claim
	var err error
	if c.Source, err = account(args.SourceChain, args.Owner); err != nil {
		return false, err
	}
	if _, c.Amount, err = ownerAmount(args.Owner, args.Amount); err != nil {
		return false, err
	}
	if c.Target, err = account(args.TargetChain, args.TargetOwner); err != nil {
		return false, err
	}
	service.RuntimeOf(ctx).Schedule(sdk.JSON(fungible.Operation{Claim: &c}))
	return true, nil
}

func ownerAmount(owner, amount string) (ids.Owner, sdk.Amount, error) {
	o, err := ids.ParseHash(owner)
	if err != nil {
		return o, sdk.Amount{}, err
	}
	var a sdk.Amount
	err = a.UnmarshalText([]byte(amount))
	return o, a, err
}

func account(chain, owner string) (fungible.Account, error) {
	c, err := ids.ParseHash(chain)
	if err != nil {
		return fungible.Account{}, err
	}
	o, err := ids.ParseHash(owner)
	return fungible.Account{Chain: c, Owner: o}, err
}

// Service is the token's service.
var Service = service.MustGraphQL(schema, &Root{})

func init() { service.Register(Service) }

func main() {}
