// Command service is the auction's service module: the auction's status
// and bids; bid and close mutations.
package main

import (
	"context"

	"github.com/myriadchain/myriad/apps/auction"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/service"
)

const schema = `
scalar U64

type Query {
	"The auction (null on chains other than the auction chain)."
	auction: Auction
	"The accepted bids, in order (auction chain)."
	bids: [Bid!]!
	"This chain's bids that the auction chain refused (bidder chains)."
	refused: [Bid!]!
}

type Auction {
	item: String!
	"Block timestamp, microseconds."
	closesAt: U64!
	minimumBid: String!
	seller: String!
	"open, or closed once the close operation ran."
	status: String!
	"The highest bid so far (null without bids)."
	highestBid: Bid
	"The winning bid once closed (null if none)."
	winner: Bid
}

type Bid {
	bidder: String!
	chain: String!
	amount: String!
	timestamp: U64!
}

type Mutation {
	"Bids amount native tokens of the signer from this chain."
	bid(amount: String!): Boolean!
	"Closes the auction after its closing time (on the auction chain)."
	close: Boolean!
}
`

// Root resolves the auction's queries and mutations.
type Root struct{}

// Auction is the auction in an answer.
type Auction struct {
	a    auction.Auction
	bids []auction.Bid
}

// Bid is a bid in an answer.
type Bid struct{ b auction.Bid }

// Auction resolves `auction`.
func (Root) Auction(ctx context.Context) *Auction {
	rt := service.RuntimeOf(ctx)
	a, ok := auction.State(rt).Lookup()
	if !ok {
		return nil
	}
	return &Auction{a, auction.Bids(rt).All()}
}

// Item resolves Auction.item.
func (a *Auction) Item() string { return a.a.Item }

// ClosesAt resolves Auction.closesAt.
func (a *Auction) ClosesAt() service.U64 { return service.U64(a.a.ClosesAt) }

// MinimumBid resolves Auction.minimumBid.
func (a *Auction) MinimumBid() string { return a.a.MinimumBid.String() }

// Seller resolves Auction.seller.
func (a *Auction) Seller() string { return a.a.Seller.String() }

// Status resolves Auction.status.
func (a *Auction) Status() string {
	if a.a.Closed {
		return "closed"
	}
	return "open"
}

// HighestBid resolves Auction.highestBid.
func (a *Auction) HighestBid() *Bid {
	var best *Bid
	for _, b := range a.bids {
		if best == nil || b.Amount.Cmp(best.b.Amount) > 0 {
			best = &Bid{b}
		}
	}
	return best
}

// Winner resolves Auction.winner.
func (a *Auction) Winner() *Bid {
	if a.a.Winner == nil {
		return nil
	}
	return &Bid{*a.a.Winner}
}

// Bidder resolves Bid.bidder.
func (b *Bid) Bidder() string { return b.b.Bidder.String() }

// Chain resolves Bid.chain.
func (b *Bid) Chain() string { return b.b.Chain.String() }

// Amount resolves Bid.amount.
func (b *Bid) Amount() string { return b.b.Amount.String() }

// Timestamp resolves Bid.timestamp.
func (b *Bid) Timestamp() service.U64 { return service.U64(b.b.Timestamp) }

func bids(l sdk.Log[auction.Bid]) []*Bid {
	out := []*Bid{}
	for _, b := range l.All() {
		out = append(out, &Bid{b})
	}
	return out
}

// Bids resolves `bids`.
func (Root) Bids(ctx context.Context) []*Bid { return bids(auction.Bids(service.RuntimeOf(ctx))) }

// Refused resolves `refused`.
func (Root) Refused(ctx context.Context) []*Bid { return bids(auction.Refused(service.RuntimeOf(ctx))) }

// Bid resolves the `bid` mutation.
func (Root) Bid(ctx context.Context, args struct{ Amount string }) (bool, error) {
	var a sdk.Amount
	if err := a.UnmarshalText([]byte(args.Amount)); err != nil {
		return false, err
	}
	service.RuntimeOf(ctx).Schedule(sdk.JSON(auction.Operation{Bid: &a}))
	return true, nil
}

// Close resolves the `close` mutation.
func (Root) Close(ctx context.Context) bool {
	service.RuntimeOf(ctx).Schedule(sdk.JSON(auction.Operation{Close: true}))
	return true
}

// Service is the auction's service.
var Service = service.MustGraphQL(schema, &Root{})

func init() { service.Register(Service) }

func main() {}
