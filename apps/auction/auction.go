// Package auction is a real-time auction with bids from many chains. The
// application is created on the auction chain with the auction as its
// instantiation argument; the creator is the seller. A bid is an operation
// on the bidder's own chain: the contract there moves the bid's native
// tokens from the bidder to the application's account on the auction chain
// (a tracked system credit) and, in the same transaction and so the same
// bundle, sends the bid as an authenticated tracked message. The auction
// chain accepts the bid, or refuses it (too low, or too late), which
// rejects the whole bundle: the credit bounces to the bidder and the bid
// bounces to the bidder's chain. After the closing time anyone's close
// operation pays the seller the winning bid and refunds every other bid to
// its bidder's chain. Its contract is in ./contract, its service in
// ./service; this package holds the types both share.
package auction

import (
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Auction is the instantiation argument and the auction's state.
type Auction struct {
	Item       string     `json:"item"`
	ClosesAt   uint64     `json:"closesAt"` // block timestamp, microseconds
	MinimumBid sdk.Amount `json:"minimumBid"`
	// Set by the contract:
	Seller ids.Owner `json:"seller"`
	Closed bool      `json:"closed"`
	Winner *Bid      `json:"winner,omitempty"`
}

// Operation is one of the auction's operations, as JSON: exactly one field
// is set.
type Operation struct {
	// Bid bids Amount of the signer's native tokens.
	Bid *sdk.Amount `json:"bid,omitempty"`
	// Close ends the auction after its closing time (any signer).
	Close bool `json:"close,omitempty"`
}

// Bid is a bid: the message a bidder's chain sends, and the record the
// auction chain keeps.
type Bid struct {
	Bidder    ids.Owner   `json:"bidder"`
	Chain     ids.ChainID `json:"chain"`
	Amount    sdk.Amount  `json:"amount"`
	Timestamp uint64      `json:"timestamp,omitempty"` // when accepted
}

// State is the auction, on the auction chain only.
func State(s sdk.Store) sdk.Register[Auction] { return sdk.NewRegister[Auction](s, "auction") }

// Bids is the accepted bids, on the auction chain, in order.
func Bids(s sdk.Store) sdk.Log[Bid] { return sdk.NewLog[Bid](s, "bids") }

// Refused is the bids of this chain that the auction chain refused (their
// tokens came back with the bounced credit).
func Refused(s sdk.Store) sdk.Log[Bid] { return sdk.NewLog[Bid](s, "refused") }
