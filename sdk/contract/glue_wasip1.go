//go:build wasip1

package contract

import (
	"unsafe"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk/internal/abi"
)

// The contract-only host functions of docs/app-abi.md. The linker keeps
// only those the app reaches, so a module imports what it uses.

//go:wasmimport myriad write
func hostWrite(k unsafe.Pointer, kn uint32, v unsafe.Pointer, vn uint32)

//go:wasmimport myriad delete
func hostDelete(k unsafe.Pointer, kn uint32)

//go:wasmimport myriad send
func hostSend(p unsafe.Pointer, n uint32)

//go:wasmimport myriad transfer
func hostTransfer(p unsafe.Pointer, n uint32)

//go:wasmimport myriad claim
func hostClaim(p unsafe.Pointer, n uint32)

//go:wasmimport myriad emit
func hostEmit(s unsafe.Pointer, sn uint32, v unsafe.Pointer, vn uint32)

//go:wasmimport myriad subscribe
func hostSubscribe(p unsafe.Pointer, n uint32)

//go:wasmimport myriad call
func hostCall(p unsafe.Pointer, n uint32) int32

//go:wasmimport myriad create_application
func hostCreateApplication(p unsafe.Pointer, n uint32) int32

//go:wasmimport myriad open_chain
func hostOpenChain(p unsafe.Pointer, n uint32) int32

// host is app.ContractHost over the ABI. A failing host function traps, so
// no method returns an error.
type host struct{ abi.Host }

func (host) Query(app.QueryRequest) ([]byte, error) {
	panic("sdk: contracts cannot query services")
}

func (host) Schedule([]byte) error { panic("sdk: contracts cannot schedule operations") }

func (host) Write(key, value []byte) error {
	hostWrite(abi.Ptr(key), uint32(len(key)), abi.Ptr(value), uint32(len(value)))
	return nil
}

func (host) Delete(key []byte) error {
	hostDelete(abi.Ptr(key), uint32(len(key)))
	return nil
}

func (host) Send(s app.SendRequest) error {
	b := codec.Marshal(s)
	hostSend(abi.Ptr(b), uint32(len(b)))
	return nil
}

func (host) Transfer(t app.TransferRequest) error {
	b := codec.Marshal(t)
	hostTransfer(abi.Ptr(b), uint32(len(b)))
	return nil
}

func (host) Claim(c app.ClaimRequest) error {
	b := codec.Marshal(c)
	hostClaim(abi.Ptr(b), uint32(len(b)))
	return nil
}

func (host) Emit(stream string, value []byte) error {
	hostEmit(abi.StrPtr(stream), uint32(len(stream)), abi.Ptr(value), uint32(len(value)))
	return nil
}

func (host) Subscribe(s app.SubscribeRequest) error {
	b := codec.Marshal(s)
	hostSubscribe(abi.Ptr(b), uint32(len(b)))
	return nil
}

func (host) Call(c app.CallRequest) ([]byte, error) {
	b := codec.Marshal(c)
	out, _ := abi.Take(hostCall(abi.Ptr(b), uint32(len(b))))
	return out, nil
}

func takeID(n int32) ids.Hash {
	b, _ := abi.Take(n)
	var id ids.Hash
	if len(b) != len(id) {
		panic("sdk: host returned an id of the wrong size")
	}
	copy(id[:], b)
	return id
}

func (host) CreateApplication(c app.CreateRequest) (ids.ApplicationID, error) {
	b := codec.Marshal(c)
	return takeID(hostCreateApplication(abi.Ptr(b), uint32(len(b)))), nil
}

func (host) OpenChain(o app.OpenChainRequest) (ids.ChainID, error) {
	b := codec.Marshal(o)
	return takeID(hostOpenChain(abi.Ptr(b), uint32(len(b)))), nil
}

func mustRegistered() Contract {
	if registered == nil {
		panic("sdk: no contract registered (call contract.Register in an init function)")
	}
	return registered
}

//go:wasmexport myriad_instantiate
func exportInstantiate(n int32) {
	abi.Run(n, func(in []byte) []byte {
		mustRegistered().Instantiate(NewRuntime(host{}), in)
		return nil
	})
}

//go:wasmexport myriad_execute_operation
func exportExecuteOperation(n int32) {
	abi.Run(n, func(in []byte) []byte {
		return mustRegistered().ExecuteOperation(NewRuntime(host{}), in)
	})
}

//go:wasmexport myriad_execute_message
func exportExecuteMessage(n int32) {
	abi.Run(n, func(in []byte) []byte {
		mustRegistered().ExecuteMessage(NewRuntime(host{}), in)
		return nil
	})
}
