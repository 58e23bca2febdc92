//go:build js && wasm

package jsapi

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/msgsig"
	"github.com/myriadchain/myriad/wallet"
)

// MessageRequest is the argument of signMessage().
type MessageRequest struct {
	// Message is the text to sign (core/msgsig: UTF-8 without control
	// characters other than tab and line breaks, at most 16 KiB).
	Message string `json:"message"`
	// Origin is the web origin that asks, which the signature binds.
	Origin string `json:"origin"`
	// Owner names the key to sign with (hex); empty: the default chain's
	// owner.
	Owner string `json:"owner,omitempty"`
}

// messageCall is a signMessage() call as the policy sees it (Owner empty:
// the default chain's owner). Mutation is true so that a policy that
// knows only queries and mutations asks the user about it as it would
// about a block.
type messageCall struct {
	Origin   string `json:"origin"`
	Kind     string `json:"kind"` // "signMessage"
	Message  string `json:"message"`
	Owner    string `json:"owner"`
	Mutation bool   `json:"mutation"`
}

// SignedMessage is the answer of signMessage(): hex strings, and what was
// signed.
type SignedMessage struct {
	Signature string `json:"signature"`
	PublicKey string `json:"publicKey"`
	Owner     string `json:"owner"`
	Origin    string `json:"origin"`
	Message   string `json:"message"`
}

// signMessage({message, origin, owner?}) signs message for origin after
// the policy let it through; the key never leaves the wallet.
func (a *API) signMessage(ctx context.Context, args []js.Value) (any, error) {
	var req MessageRequest
	if err := arg(args, 0, &req); err != nil {
		return nil, err
	}
	if req.Origin == "" {
		return nil, badRequest("signMessage: give the web origin that asks: the signature is for it alone")
	}
	if err := msgsig.Check(req.Origin, req.Message); err != nil {
		return nil, badRequest("signMessage: %v", err)
	}
	call := messageCall{Origin: req.Origin, Kind: "signMessage", Message: req.Message, Owner: req.Owner, Mutation: true}
	if err := a.askPolicy(req.Origin, call); err != nil {
		return nil, err
	}
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	var signed wallet.SignedMessage
	err = ql.WithWallet(func(w *wallet.Wallet) error {
		if w.Locked() {
			return &Error{Code: CodeLocked, Message: "the wallet is locked: unlock it to sign messages"}
		}
		owner, err := signer(w, req.Owner)
		if err != nil {
			return err
		}
		signed, err = w.SignMessage(owner, req.Origin, req.Message)
		return err
	})
	if err != nil {
		return nil, err
	}
	return SignedMessage{Signature: signed.Signature.String(), PublicKey: signed.PublicKey.String(),
		Owner: signed.Owner.String(), Origin: req.Origin, Message: req.Message}, nil
}

// signer returns the owner named in hex, or the default chain's owner.
func signer(w *wallet.Wallet, hex string) (ids.Owner, error) {
	if hex == "" {
		return w.DefaultOwner()
	}
	o, err := ids.ParseHash(hex)
	if err != nil {
		return o, badRequest("signMessage: owner: %v", err)
	}
	return o, nil
}

// askPolicy asks the policy registered with setPolicy about a call from
// origin (described by call: a value sent as JSON, or a js.Value as it
// is): DENIED without a policy, when it fails (with its message) or when
// it answers false. Every call from a web origin goes through it
// (permit for GraphQL, signMessage).
func (a *API) askPolicy(origin string, call any) error {
	a.mu.Lock()
	policy := a.approver
	a.mu.Unlock()
	if policy.IsUndefined() || policy.IsNull() || policy.Type() != js.TypeFunction {
		return &Error{Code: CodeDenied, Message: fmt.Sprintf("origin %s is not allowed to use the wallet", origin)}
	}
	ok, err := await(policy.Invoke(value(call)))
	if err != nil {
		return &Error{Code: CodeDenied, Message: fmt.Sprintf("origin %s: %v", origin, err)}
	}
	if !ok.Truthy() {
		return &Error{Code: CodeDenied, Message: fmt.Sprintf("origin %s: refused", origin)}
	}
	return nil
}
