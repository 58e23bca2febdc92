// Command contract is the fungible token's contract module.
package main

import (
	"github.com/myriadchain/myriad/apps/fungible"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// Token is the fungible token's contract.
type Token struct{}

// Instantiate checks the parameters and opens the initial accounts.
func (Token) Instantiate(rt *contract.Runtime, arg []byte) {
	p := sdk.FromJSON[fungible.Parameters](rt.Parameters())
	sdk.Require(p.Ticker != "", "fungible: the parameters need a ticker")
	state := sdk.FromJSON[fungible.InitialState](arg)
	accounts := fungible.Accounts(rt)
	for owner, a := range state.Accounts {
		sdk.Require(!owner.IsZero(), "fungible: an account needs an owner")
		accounts.Set(owner, a)
	}
}

// ExecuteOperation runs a transfer or a claim.
func (Token) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
	o := sdk.FromJSON[fungible.Operation](op)
	switch {
	case o.Transfer != nil && o.Claim == nil:
		transfer(rt, o.Transfer)
	case o.Claim != nil && o.Transfer == nil:
		claim(rt, o.Claim)
	default:
		panic("fungible: an operation is one of transfer or claim")
	}
	return nil
}

func transfer(rt *contract.Runtime, t *fungible.Transfer) {
	signer := rt.MustSigner()
	sdk.Require(t.Owner == signer, "fungible: only %s may transfer from its account", t.Owner.Short())
	sdk.Require(!t.Amount.IsZero(), "fungible: nothing to transfer")
	debit(rt, t.Owner, t.Amount)
	creditOrSend(rt, t.Target, t.Amount, t.Owner)
}

func claim(rt *contract.Runtime, c *fungible.Claim) {
	signer := rt.MustSigner()
	sdk.Require(c.Source.Owner == signer, "fungible: only %s may claim from its account", c.Source.Owner.Short())
	sdk.Require(!c.Amount.IsZero(), "fungible: nothing to claim")
	w := fungible.Withdraw{Owner: c.Source.Owner, Amount: c.Amount, Target: c.Target}
	if c.Source.Chain == rt.ChainID() {
		withdraw(rt, &w)
		return
	}
	rt.Send(c.Source.Chain, sdk.JSON(fungible.Message{Withdraw: &w}), contract.Tracked(), contract.Authenticated())
}

// ExecuteMessage credits, re-credits a bounced credit, or withdraws for a
// claim.
func (Token) ExecuteMessage(rt *contract.Runtime, msg []byte) {
	m := sdk.FromJSON[fungible.Message](msg)
	switch {
	case m.Credit != nil && rt.IsBouncing():
		credit(rt, m.Credit.Source, m.Credit.Amount)
	case m.Credit != nil:
		credit(rt, m.Credit.Owner, m.Credit.Amount)
	case m.Withdraw != nil && rt.IsBouncing():
		// A refused claim moved nothing.
	case m.Withdraw != nil:
		signer, _ := rt.Signer()
		sdk.Require(signer == m.Withdraw.Owner, "fungible: a withdrawal must be signed by its owner")
		withdraw(rt, m.Withdraw)
	default:
		panic("fungible: empty message")
	}
}

func withdraw(rt *contract.Runtime, w *fungible.Withdraw) {
	debit(rt, w.Owner, w.Amount)
	creditOrSend(rt, w.Target, w.Amount, w.Owner)
}

func debit(rt *contract.Runtime, owner ids.Owner, a sdk.Amount) {
	accounts := fungible.Accounts(rt)
	bal := accounts.Get(owner)
	rest, err := bal.Sub(a)
	sdk.Require(err == nil, "fungible: %s has %s, not %s", owner.Short(), bal, a)
	if rest.IsZero() {
		accounts.Delete(owner)
	} else {
		accounts.Set(owner, rest)
	}
}

func credit(rt *contract.Runtime, owner ids.Owner, a sdk.Amount) {
	sdk.Require(!owner.IsZero(), "fungible: cannot credit the zero owner")
	accounts := fungible.Accounts(rt)
	sum, err := accounts.Get(owner).Add(a)
	sdk.Require(err == nil, "fungible: balance overflow")
	accounts.Set(owner, sum)
}

// creditOrSend credits a local account, or sends a tracked credit that
// bounces back to source if the target chain rejects it.
func creditOrSend(rt *contract.Runtime, to fungible.Account, a sdk.Amount, source ids.Owner) {
	if to.Chain == rt.ChainID() {
		credit(rt, to.Owner, a)
		return
	}
	c := fungible.Credit{Owner: to.Owner, Amount: a, Source: source}
	rt.Send(to.Chain, sdk.JSON(fungible.Message{Credit: &c}), contract.Tracked())
}

func init() {
	contract.Register(Token{})
	sdk.Warm(fungible.Operation{}, fungible.Message{}, fungible.Account{}, fungible.InitialState{}, fungible.Parameters{})
}

func main() {}
