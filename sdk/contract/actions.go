package contract

import (
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// SendOption modifies a message sent with Send.
type SendOption func(*app.SendRequest)

// Tracked makes the message bounce back (rt.IsBouncing() on this chain) if
// its recipient rejects it.
func Tracked() SendOption { return func(s *app.SendRequest) { s.Tracked = true } }

// Authenticated makes the message carry the current authenticated signer,
// which the recipient sees as its rt.Signer().
func Authenticated() SendOption { return func(s *app.SendRequest) { s.Authenticated = true } }

// Send sends message to this application on chain to.
func (rt *Runtime) Send(to ids.ChainID, message []byte, opts ...SendOption) {
	req := app.SendRequest{Destination: to, Message: message}
	for _, o := range opts {
		o(&req)
	}
	check(rt.h.Send(req))
}

// Transfer moves native tokens from source (the authenticated signer, or
// the application's own account, app.AccountOwner(rt.AppID())) on this
// chain to an account on any chain.
func (rt *Runtime) Transfer(source ids.Owner, to ids.Account, a sdk.Amount) {
	check(rt.h.Transfer(app.TransferRequest{Source: source, Recipient: to, Amount: a}))
}

// TransferFromApp moves native tokens from the application's own account on
// this chain.
func (rt *Runtime) TransferFromApp(to ids.Account, a sdk.Amount) {
	rt.Transfer(app.AccountOwner(rt.AppID()), to, a)
}

// AppAccount returns the application's own account on this chain.
func (rt *Runtime) AppAccount() ids.Account { return sdk.AppAccount(rt.ChainID(), rt.AppID()) }

// Claim takes native tokens from the authenticated signer's account on
// another chain (source) to an account; the claim travels as a message.
func (rt *Runtime) Claim(source, to ids.Account, a sdk.Amount) {
	check(rt.h.Claim(app.ClaimRequest{Source: source, Recipient: to, Amount: a}))
}

// Emit publishes value on this application's stream on this chain; every
// subscribed chain receives it as an event message.
func (rt *Runtime) Emit(stream string, value []byte) { check(rt.h.Emit(stream, value)) }

// Subscribe makes this chain follow this application's stream on chain c.
func (rt *Runtime) Subscribe(c ids.ChainID, stream string) {
	check(rt.h.Subscribe(app.SubscribeRequest{Chain: c, Stream: stream}))
}

// Unsubscribe stops following a stream.
func (rt *Runtime) Unsubscribe(c ids.ChainID, stream string) {
	check(rt.h.Subscribe(app.SubscribeRequest{Chain: c, Stream: stream, Unsubscribe: true}))
}

// Call runs application a's ExecuteOperation on this chain synchronously
// with argument and returns its result; with authenticated, the callee
// sees this call's signer. Calling an application already running is
// refused.
func (rt *Runtime) Call(a ids.ApplicationID, argument []byte, authenticated bool) []byte {
	out, err := rt.h.Call(app.CallRequest{App: a, Authenticated: authenticated, Argument: argument})
	check(err)
	return out
}

// CreateApplication creates an application on this chain and returns its
// id; its Instantiate runs before CreateApplication returns.
func (rt *Runtime) CreateApplication(req app.CreateRequest) ids.ApplicationID {
	id, err := rt.h.CreateApplication(req)
	check(err)
	return id
}

// OpenChain opens a child chain with the ownership, funded with balance
// from this chain's account, and returns its id.
func (rt *Runtime) OpenChain(o app.Ownership, balance sdk.Amount) ids.ChainID {
	id, err := rt.h.OpenChain(app.OpenChainRequest{Ownership: o, Balance: balance})
	check(err)
	return id
}
