package jsapi

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/msgsig"
	"github.com/myriadchain/myriad/wallet"
)

// Error is how the JavaScript face reports a failure: a stable code to
// branch on and a message for people. In JavaScript it is an Error whose
// code property is Code.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// The codes of Error.
const (
	CodeBadRequest    = "BAD_REQUEST"    // the call's arguments are wrong
	CodeNoWallet      = "NO_WALLET"      // create or import a wallet first
	CodeExists        = "WALLET_EXISTS"  // a wallet exists already
	CodeLocked        = "LOCKED"         // unlock the wallet first
	CodeWrongPassword = "WRONG_PASSWORD" // the password does not open the vault
	CodeSession       = "BAD_SESSION"    // the session token does not open the vault
	CodeUnknownChain  = "UNKNOWN_CHAIN"  // the wallet does not track that chain
	CodeUnreachable   = "UNREACHABLE"    // no validator (or faucet) answered
	CodeFaucet        = "FAUCET"         // the faucet refused
	CodeDenied        = "DENIED"         // the origin may not do that
	CodeStorage       = "STORAGE"        // the browser's storage failed or is damaged
	CodeWouldFail     = "WOULD_FAIL"     // the mutation's block would fail: its preview says why
	CodeChanged       = "CHANGED"        // the mutation would now sign another block than the one approved
	CodeInternal      = "INTERNAL"       // anything else
)

func badRequest(format string, args ...any) error {
	return &Error{Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// codes maps the wallet's errors to codes; the first match wins.
var codes = []struct {
	err  error
	code string
}{
	{wallet.ErrLocked, CodeLocked},
	{wallet.ErrWrongPassword, CodeWrongPassword},
	{wallet.ErrSession, CodeSession},
	{wallet.ErrNoWallet, CodeNoWallet},
	{wallet.ErrExists, CodeExists},
	{wallet.ErrUnknownChain, CodeUnknownChain},
	{wallet.ErrNoKey, CodeUnknownChain},
	{wallet.ErrNoDefault, CodeUnknownChain},
	{wallet.ErrUnreachable, CodeUnreachable},
	{wallet.ErrNotFound, CodeUnknownChain},
	{wallet.ErrFaucet, CodeFaucet},
	{wallet.ErrFormat, CodeStorage},
	{wallet.ErrChanged, CodeChanged},
	{msgsig.ErrOrigin, CodeBadRequest},
	{msgsig.ErrMessage, CodeBadRequest},
	{msgsig.ErrTooLarge, CodeBadRequest},
}

// classify returns the Error to report for err.
func classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return &Error{Code: c.code, Message: err.Error()}
		}
	}
	return &Error{Code: CodeInternal, Message: err.Error()}
}
