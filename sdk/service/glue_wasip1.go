//go:build wasip1

package service

import (
	"unsafe"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/sdk/internal/abi"
)

// The service-only host functions of docs/app-abi.md.

//go:wasmimport myriad query
func hostQuery(p unsafe.Pointer, n uint32) int32

//go:wasmimport myriad schedule
func hostSchedule(p unsafe.Pointer, n uint32)

// host is app.ServiceHost over the ABI. A failing host function traps.
type host struct{ abi.Host }

func (host) Query(q app.QueryRequest) ([]byte, error) {
	b := codec.Marshal(q)
	out, _ := abi.Take(hostQuery(abi.Ptr(b), uint32(len(b))))
	return out, nil
}

func (host) Schedule(op []byte) error {
	hostSchedule(abi.Ptr(op), uint32(len(op)))
	return nil
}

//go:wasmexport myriad_query
func exportQuery(n int32) {
	abi.Run(n, func(in []byte) []byte {
		if registered == nil {
			panic("sdk: no service registered (call service.Register in an init function)")
		}
		return registered.Query(NewRuntime(host{}), in)
	})
}
