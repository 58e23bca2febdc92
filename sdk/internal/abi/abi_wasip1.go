//go:build wasip1

package abi

import (
	"unsafe"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

//go:wasmimport myriad take
func take(ptr unsafe.Pointer)

//go:wasmimport myriad output
func output(ptr unsafe.Pointer, n uint32)

//go:wasmimport myriad abort
func abort(ptr unsafe.Pointer, n uint32)

//go:wasmimport myriad log
func hostLog(level uint32, ptr unsafe.Pointer, n uint32)

//go:wasmimport myriad context
func hostContext() int32

//go:wasmimport myriad parameters
func parameters() int32

//go:wasmimport myriad read
func read(k unsafe.Pointer, kn uint32) int32

//go:wasmimport myriad scan
func scan(p unsafe.Pointer, pn uint32) int32

//go:wasmimport myriad read_blob
func readBlob(id unsafe.Pointer) int32

// Ptr returns the address of b's first byte (nil for an empty slice).
func Ptr(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

// StrPtr returns the address of s's first byte.
func StrPtr(s string) unsafe.Pointer { return unsafe.Pointer(unsafe.StringData(s)) }

// Take receives the host's pending buffer of n bytes (nil, false if n is
// -1, the host's "absent").
func Take(n int32) ([]byte, bool) {
	if n < 0 {
		return nil, false
	}
	b := make([]byte, n)
	take(Ptr(b))
	return b, true
}

// Run runs an entry point: it takes the n-byte input, calls f, passes f's
// result to output, and turns a panic into abort with its message.
func Run(n int32, f func(input []byte) []byte) {
	defer func() {
		if r := recover(); r != nil {
			msg := sdk.PanicMessage(r)
			abort(StrPtr(msg), uint32(len(msg)))
		}
	}()
	in, _ := Take(n)
	if out := f(in); len(out) > 0 {
		output(Ptr(out), uint32(len(out)))
	}
}

// Host implements the functions of app.ServiceHost that both kinds of
// module import. A failing host function traps, so no method returns an
// error.
type Host struct{}

// Context returns the call's context.
func (Host) Context() app.Context {
	b, _ := Take(hostContext())
	var c app.Context
	if err := codec.Unmarshal(b, &c); err != nil {
		panic("sdk: host context: " + err.Error())
	}
	return c
}

// Parameters returns the application's parameters.
func (Host) Parameters() []byte {
	b, _ := Take(parameters())
	return b
}

// Read returns the value of a key.
func (Host) Read(key []byte) ([]byte, bool, error) {
	b, ok := Take(read(Ptr(key), uint32(len(key))))
	return b, ok, nil
}

// Scan returns the keys with a prefix and their values, in key order.
func (Host) Scan(prefix []byte) ([]app.KV, error) {
	b, _ := Take(scan(Ptr(prefix), uint32(len(prefix))))
	r := codec.NewReader(b)
	kvs := app.DecodeKVs(r)
	if err := r.Done(); err != nil {
		panic("sdk: host scan: " + err.Error())
	}
	return kvs, nil
}

// ReadBlob returns a published data blob's content.
func (Host) ReadBlob(id ids.BlobID) ([]byte, error) {
	b, _ := Take(readBlob(unsafe.Pointer(&id[0])))
	return b, nil
}

// Log logs msg; it never affects execution.
func (Host) Log(level uint8, msg string) { hostLog(uint32(level), StrPtr(msg), uint32(len(msg))) }
