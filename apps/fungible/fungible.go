// Package fungible is a fungible token: accounts per owner on every chain,
// transfers within a chain and across chains (as tracked messages: a
// rejected credit bounces and re-credits the sender), and claims (an owner
// pulls tokens from its account on another chain with an authenticated
// message). Its contract is in ./contract, its service in ./service; this
// package holds the types both share. Everything crosses as JSON; amounts
// are decimal strings ("12.5"), ids lowercase hex.
package fungible

import (
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Parameters are the token's parameters: {"ticker": "MYT"}.
type Parameters struct {
	Ticker string `json:"ticker"`
}

// InitialState is the instantiation argument: the accounts on the creating
// chain, {"accounts": {"OWNER": "100"}}.
type InitialState struct {
	Accounts map[ids.Owner]sdk.Amount `json:"accounts"`
}

// Account is an owner's account on a chain.
type Account struct {
	Chain ids.ChainID `json:"chain"`
	Owner ids.Owner   `json:"owner"`
}

// Operation is one of the token's operations, as JSON: exactly one field is
// set.
type Operation struct {
	Transfer *Transfer `json:"transfer,omitempty"`
	Claim    *Claim    `json:"claim,omitempty"`
}

// Transfer moves Amount from Owner's account on this chain (Owner must be
// the block's signer) to Target, on this chain or another.
type Transfer struct {
	Owner  ids.Owner  `json:"owner"`
	Amount sdk.Amount `json:"amount"`
	Target Account    `json:"target"`
}

// Claim moves Amount from Source (an account of the block's signer on
// another chain) to Target.
type Claim struct {
	Source Account    `json:"source"`
	Amount sdk.Amount `json:"amount"`
	Target Account    `json:"target"`
}

// Message is one of the messages between the token's chains, as JSON.
type Message struct {
	// Credit credits Owner; if the recipient rejects it, it bounces and
	// Source is re-credited on the sending chain.
	Credit *Credit `json:"credit,omitempty"`
	// Withdraw debits Owner (who must have signed it) and sends the
	// tokens to Target.
	Withdraw *Withdraw `json:"withdraw,omitempty"`
}

// Credit is a cross-chain credit.
type Credit struct {
	Owner  ids.Owner  `json:"owner"`
	Amount sdk.Amount `json:"amount"`
	Source ids.Owner  `json:"source"`
}

// Withdraw is the message of a claim.
type Withdraw struct {
	Owner  ids.Owner  `json:"owner"`
	Amount sdk.Amount `json:"amount"`
	Target Account    `json:"target"`
}

// Accounts is the balances of the owners on a chain.
func Accounts(s sdk.Store) sdk.Map[ids.Owner, sdk.Amount] {
	return sdk.NewMap[ids.Owner, sdk.Amount](s, "accounts")
}
