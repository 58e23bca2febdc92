package service

import (
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Service answers queries about an application's state. Each query runs on
// a fresh instance.
type Service interface {
	// Query answers query; a panic aborts it with its message.
	Query(rt *Runtime, query []byte) []byte
}

var registered Service

// Register makes s the module's service. Call it from an init function: a
// reactor module never runs main.
func Register(s Service) { registered = s }

// Registered returns the service passed to Register, or nil.
func Registered() Service { return registered }

// Query runs s on h, turning a panic into an error.
func Query(s Service, h app.ServiceHost, query []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = abortError(r)
		}
	}()
	return s.Query(NewRuntime(h), query), nil
}

// AbortError is the error of a query whose service code panicked.
// Err is the panic value if it was an error (such as a host error).
type AbortError struct {
	Message string
	Err     error
}

func (e *AbortError) Error() string { return "service aborted: " + e.Message }

// Unwrap makes errors.Is(err, app.ErrAborted) true, and errors.Is and
// errors.As see Err.
func (e *AbortError) Unwrap() []error { return []error{app.ErrAborted, e.Err} }

// Runtime is a running service's view of its chain: the context, the
// application's parameters and state (read-only), other applications'
// services, and operations to schedule. It implements sdk.Store, whose
// Write and Delete panic. A host failure panics, aborting the query.
type Runtime struct {
	h   app.ServiceHost
	ctx *app.Context
}

// NewRuntime returns a Runtime over h.
func NewRuntime(h app.ServiceHost) *Runtime { return &Runtime{h: h} }

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// Context returns the query's context: the chain, its height and timestamp
// (of the chain's last block) and the application.
func (rt *Runtime) Context() app.Context {
	if rt.ctx == nil {
		c := rt.h.Context()
		rt.ctx = &c
	}
	return *rt.ctx
}

// ChainID returns the chain the service answers for.
func (rt *Runtime) ChainID() ids.ChainID { return rt.Context().Chain }

// AppID returns the application's id.
func (rt *Runtime) AppID() ids.ApplicationID { return rt.Context().App }

// Parameters returns the application's parameters.
func (rt *Runtime) Parameters() []byte { return rt.h.Parameters() }

// Read returns the value of key and whether it is present.
func (rt *Runtime) Read(key []byte) ([]byte, bool) {
	v, ok, err := rt.h.Read(key)
	check(err)
	return v, ok
}

// Scan returns every key with the prefix, whole, with its value, in key
// order.
func (rt *Runtime) Scan(prefix []byte) []sdk.KV {
	kvs, err := rt.h.Scan(prefix)
	check(err)
	return kvs
}

// ReadDataBlob returns the content of a published data blob.
func (rt *Runtime) ReadDataBlob(id ids.BlobID) []byte {
	b, err := rt.h.ReadBlob(id)
	check(err)
	return b
}

// Write panics: a service cannot change state.
func (rt *Runtime) Write(key, value []byte) { panic("sdk: a service cannot write state") }

// Delete panics: a service cannot change state.
func (rt *Runtime) Delete(key []byte) { panic("sdk: a service cannot delete state") }

// Query asks application a's service on this chain and returns its answer.
func (rt *Runtime) Query(a ids.ApplicationID, query []byte) []byte {
	out, err := rt.h.Query(app.QueryRequest{App: a, Query: query})
	check(err)
	return out
}

// Schedule records an operation of this application for the wallet to put
// in a block: what a GraphQL mutation does.
func (rt *Runtime) Schedule(operation []byte) { check(rt.h.Schedule(operation)) }

// Log logs a message; it never affects the answer.
func (rt *Runtime) Log(level sdk.LogLevel, msg string) { rt.h.Log(uint8(level), msg) }

var _ sdk.Store = (*Runtime)(nil)

func abortError(r any) *AbortError {
	e, _ := r.(error)
	return &AbortError{Message: sdk.PanicMessage(r), Err: e}
}
