package contract

import (
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Runtime is a running contract's view of its chain: the call's context,
// the application's parameters and key-value state, messages, tokens,
// streams, other applications and chains. It implements sdk.Store. A host
// failure (insufficient funds, an unauthorized transfer, a value too large)
// panics, which aborts the call.
type Runtime struct {
	h   app.ContractHost
	ctx *app.Context
}

// NewRuntime returns a Runtime over h. Apps get theirs from the entry
// points; tests use sdk/sdktest.
func NewRuntime(h app.ContractHost) *Runtime { return &Runtime{h: h} }

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// Context returns the call's context (asked of the host once per call).
func (rt *Runtime) Context() app.Context {
	if rt.ctx == nil {
		c := rt.h.Context()
		rt.ctx = &c
	}
	return *rt.ctx
}

// ChainID returns the chain the contract runs on.
func (rt *Runtime) ChainID() ids.ChainID { return rt.Context().Chain }

// Height returns the block's height.
func (rt *Runtime) Height() uint64 { return rt.Context().Height }

// Timestamp returns the block's timestamp in microseconds.
func (rt *Runtime) Timestamp() uint64 { return rt.Context().Timestamp }

// AppID returns the running application's id.
func (rt *Runtime) AppID() ids.ApplicationID { return rt.Context().App }

// Creator returns the chain where the application was created.
func (rt *Runtime) Creator() ids.ChainID { return rt.Context().Creator }

// Signer returns the authenticated owner (the block's signer, or the signer
// an authenticated message or call carries), or ok false if none.
func (rt *Runtime) Signer() (ids.Owner, bool) {
	s := rt.Context().Signer
	return s, !s.IsZero()
}

// MustSigner returns the authenticated owner, or aborts if there is none.
func (rt *Runtime) MustSigner() ids.Owner {
	s, ok := rt.Signer()
	sdk.Require(ok, "no authenticated signer")
	return s
}

// Caller returns the application calling this one synchronously, or ok
// false if the call did not come from an application.
func (rt *Runtime) Caller() (ids.ApplicationID, bool) {
	c := rt.Context().Caller
	return c, !c.IsZero()
}

// Origin returns the chain that sent the message being executed (zero
// outside ExecuteMessage).
func (rt *Runtime) Origin() ids.ChainID { return rt.Context().Origin }

// IsBouncing reports whether the message being executed is a tracked
// message of this application that its recipient rejected.
func (rt *Runtime) IsBouncing() bool { return rt.Context().IsBouncing }

// IsEvent reports whether the message being executed delivers an event of a
// stream this chain subscribed to; Event tells which.
func (rt *Runtime) IsEvent() bool { return rt.Context().Event }

// Event returns the stream and index of the event being delivered.
func (rt *Runtime) Event() (stream string, index uint32) {
	c := rt.Context()
	return c.EventStream, c.EventIndex
}

// Parameters returns the application's parameters.
func (rt *Runtime) Parameters() []byte { return rt.h.Parameters() }

// Read returns the value of key and whether it is present.
func (rt *Runtime) Read(key []byte) ([]byte, bool) {
	v, ok, err := rt.h.Read(key)
	check(err)
	return v, ok
}

// ReadDataBlob returns the content of a published data blob (see
// `myriad publish-data-blob`).
func (rt *Runtime) ReadDataBlob(id ids.BlobID) []byte {
	b, err := rt.h.ReadBlob(id)
	check(err)
	return b
}

// Scan returns every key with the prefix, whole, with its value, in key
// order.
func (rt *Runtime) Scan(prefix []byte) []sdk.KV {
	kvs, err := rt.h.Scan(prefix)
	check(err)
	return kvs
}

// Write sets key to value. The block's writes commit together or not at
// all.
func (rt *Runtime) Write(key, value []byte) { check(rt.h.Write(key, value)) }

// Delete deletes key.
func (rt *Runtime) Delete(key []byte) { check(rt.h.Delete(key)) }

// Log logs a message; it never affects execution.
func (rt *Runtime) Log(level sdk.LogLevel, msg string) { rt.h.Log(uint8(level), msg) }

var _ sdk.Store = (*Runtime)(nil)
