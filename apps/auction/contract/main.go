// Command contract is the auction's contract module.
package main

import (
	"github.com/myriadchain/myriad/apps/auction"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// Contract is the auction's contract.
type Contract struct{}

// Instantiate opens the auction; the creator is the seller.
func (Contract) Instantiate(rt *contract.Runtime, arg []byte) {
	a := sdk.FromJSON[auction.Auction](arg)
	sdk.Require(a.Item != "", "auction: no item")
	sdk.Require(a.ClosesAt > rt.Timestamp(), "auction: closing time %d is not after %d", a.ClosesAt, rt.Timestamp())
	sdk.Require(!a.MinimumBid.IsZero(), "auction: the minimum bid must be positive")
	a.Seller, a.Closed, a.Winner = rt.MustSigner(), false, nil
	auction.State(rt).Set(a)
}

// ExecuteOperation bids or closes.
func (Contract) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
	o := sdk.FromJSON[auction.Operation](op)
	switch {
	case o.Bid != nil && !o.Close:
		bid(rt, *o.Bid)
	case o.Close && o.Bid == nil:
		closeAuction(rt)
	default:
		panic("auction: an operation is one of bid or close")
	}
	return nil
}

// bid moves the tokens to the application's account on the auction chain
// and delivers the bid there.
func bid(rt *contract.Runtime, amount sdk.Amount) {
	b := auction.Bid{Bidder: rt.MustSigner(), Chain: rt.ChainID(), Amount: amount}
	sdk.Require(!amount.IsZero(), "auction: the bid must be positive")
	auctionChain := rt.Creator()
	rt.Transfer(b.Bidder, sdk.AppAccount(auctionChain, rt.AppID()), amount)
	if auctionChain == rt.ChainID() {
		accept(rt, b)
		return
	}
	rt.Send(auctionChain, sdk.JSON(b), contract.Tracked(), contract.Authenticated())
}

// accept records a bid on the auction chain, or refuses it.
func accept(rt *contract.Runtime, b auction.Bid) {
	a, ok := auction.State(rt).Lookup()
	sdk.Require(ok, "auction: this is not the auction chain")
	sdk.Require(!a.Closed && rt.Timestamp() < a.ClosesAt, "auction: closed")
	sdk.Require(b.Amount.Cmp(a.MinimumBid) >= 0, "auction: bid %s is below the minimum %s", b.Amount, a.MinimumBid)
	bids := auction.Bids(rt)
	if n := bids.Len(); n > 0 {
		best := bids.Get(highest(bids))
		sdk.Require(b.Amount.Cmp(best.Amount) > 0, "auction: bid %s does not beat %s", b.Amount, best.Amount)
	}
	b.Timestamp = rt.Timestamp()
	bids.Append(b)
}

// highest returns the index of the highest bid (the first of equals).
func highest(bids sdk.Log[auction.Bid]) uint64 {
	all := bids.All()
	best := 0
	for i, b := range all {
		if b.Amount.Cmp(all[best].Amount) > 0 {
			best = i
		}
	}
	return uint64(best)
}

// closeAuction pays the seller and refunds the other bids.
func closeAuction(rt *contract.Runtime) {
	state := auction.State(rt)
	a, ok := state.Lookup()
	sdk.Require(ok, "auction: this is not the auction chain")
	sdk.Require(!a.Closed, "auction: already closed")
	sdk.Require(rt.Timestamp() >= a.ClosesAt, "auction: open until %d, now %d", a.ClosesAt, rt.Timestamp())
	bids := auction.Bids(rt)
	if bids.Len() > 0 {
		w := highest(bids)
		for i, b := range bids.All() {
			if uint64(i) == w {
				rt.TransferFromApp(sdk.Account{Chain: rt.ChainID(), Owner: a.Seller}, b.Amount)
				a.Winner = &b
			} else {
				rt.TransferFromApp(sdk.Account{Chain: b.Chain, Owner: b.Bidder}, b.Amount)
			}
		}
	}
	a.Closed = true
	state.Set(a)
}

// ExecuteMessage accepts a bid on the auction chain, or records on the
// bidder's chain that its bid bounced.
func (Contract) ExecuteMessage(rt *contract.Runtime, msg []byte) {
	b := sdk.FromJSON[auction.Bid](msg)
	if rt.IsBouncing() {
		auction.Refused(rt).Append(b)
		return
	}
	signer, _ := rt.Signer()
	sdk.Require(signer == b.Bidder && rt.Origin() == b.Chain, "auction: a bid must be signed by its bidder")
	accept(rt, b)
}

func init() {
	contract.Register(Contract{})
	sdk.Warm(auction.Auction{}, auction.Operation{}, auction.Bid{})
}

func main() {}
