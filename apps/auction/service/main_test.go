package main

import (
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/auction"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestService(t *testing.T) {
	net := sdktest.NewNetwork()
	a, b := net.NewChain("a"), net.NewChain("b")
	alice, bob := sdktest.Owner("alice"), sdktest.Owner("bob")
	id, err := a.CreateApplication(net.Publish(nil, Service), nil, nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	resp, _, _ := a.GraphQL(id, `query { auction { item } bids { amount } }`, nil)
	if resp.Err() != nil || string(resp.Data) != `{"auction":null,"bids":[]}` {
		t.Fatalf("before: %s %v", resp.Data, resp.Err())
	}
	s := a.Store(id)
	auction.State(s).Set(auction.Auction{Item: "vase", ClosesAt: 5000, MinimumBid: amount.Tokens(10), Seller: alice})
	auction.Bids(s).Append(auction.Bid{Bidder: bob, Chain: b.ID, Amount: amount.Tokens(12), Timestamp: 7})
	q := `query { auction { item closesAt minimumBid seller status highestBid { bidder amount } winner { amount } } bids { bidder chain amount timestamp } }`
	resp, _, _ = a.GraphQL(id, q, nil)
	want := fmt.Sprintf(`{"auction":{"item":"vase","closesAt":5000,"minimumBid":"10","seller":"%s","status":"open","highestBid":{"bidder":"%s","amount":"12"},"winner":null},"bids":[{"bidder":"%s","chain":"%s","amount":"12","timestamp":7}]}`, alice, bob, bob, b.ID)
	if resp.Err() != nil || string(resp.Data) != want {
		t.Errorf("query = %s (%v)\nwant %s", resp.Data, resp.Err(), want)
	}
	_, ops, _ := a.GraphQL(id, `mutation { bid(amount: "12.5") }`, nil)
	if len(ops) != 1 || sdk.FromJSON[auction.Operation](ops[0]).Bid.String() != "12.5" {
		t.Errorf("bid scheduled %q", ops)
	}
	_, ops, _ = a.GraphQL(id, `mutation { close }`, nil)
	if len(ops) != 1 || string(ops[0]) != `{"close":true}` {
		t.Errorf("close scheduled %q", ops)
	}
}
