package contract

import (
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/sdk"
)

// Contract is an application's contract. Each entry point runs on a fresh
// instance: anything kept in Go variables is lost after the call, so state
// lives in rt's key-value store.
type Contract interface {
	// Instantiate runs once, on the chain where the application is
	// created, with the instantiation argument.
	Instantiate(rt *Runtime, argument []byte)
	// ExecuteOperation runs an operation of a block, or a synchronous
	// call of another application (rt.Caller() is then set). Its result
	// goes back to the caller or into the block's outcome.
	ExecuteOperation(rt *Runtime, operation []byte) []byte
	// ExecuteMessage runs a message sent by the same application on
	// another chain (rt.Origin()), a bounced tracked message
	// (rt.IsBouncing()) or an event of a subscribed stream (rt.IsEvent()).
	ExecuteMessage(rt *Runtime, message []byte)
}

var registered Contract

// Register makes c the module's contract. Call it from an init function:
// a reactor module never runs main.
func Register(c Contract) { registered = c }

// Registered returns the contract passed to Register, or nil.
func Registered() Contract { return registered }

// Instantiate runs c's Instantiate on h, turning a panic into an error.
func Instantiate(c Contract, h app.ContractHost, argument []byte) error {
	return protect(func() { c.Instantiate(NewRuntime(h), argument) })
}

// ExecuteOperation runs c's ExecuteOperation on h, turning a panic into an
// error.
func ExecuteOperation(c Contract, h app.ContractHost, operation []byte) (out []byte, err error) {
	err = protect(func() { out = c.ExecuteOperation(NewRuntime(h), operation) })
	return out, err
}

// ExecuteMessage runs c's ExecuteMessage on h, turning a panic into an
// error.
func ExecuteMessage(c Contract, h app.ContractHost, message []byte) error {
	return protect(func() { c.ExecuteMessage(NewRuntime(h), message) })
}

// AbortError is the error of a call whose app code panicked.
// Err is the panic value if it was an error (such as a host error).
type AbortError struct {
	Message string
	Err     error
}

func (e *AbortError) Error() string { return "contract aborted: " + e.Message }

// Unwrap makes errors.Is(err, app.ErrAborted) true, and errors.Is and
// errors.As see Err.
func (e *AbortError) Unwrap() []error { return []error{app.ErrAborted, e.Err} }

func protect(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = abortError(r)
		}
	}()
	f()
	return nil
}

func abortError(r any) *AbortError {
	e, _ := r.(error)
	return &AbortError{Message: sdk.PanicMessage(r), Err: e}
}
