//go:build wasip1

// Command guest is the runtime's test contract, written against the raw
// ABI of docs/app-abi.md (apps use the sdk instead). Its operation is one
// byte of command and an argument.
package main

import (
	"encoding/binary"
	"unsafe"
)

//go:wasmimport myriad take
func take(ptr unsafe.Pointer)

//go:wasmimport myriad output
func output(ptr unsafe.Pointer, n uint32)

//go:wasmimport myriad read
func read(k unsafe.Pointer, kn uint32) int32

//go:wasmimport myriad write
func write(k unsafe.Pointer, kn uint32, v unsafe.Pointer, vn uint32)

//go:wasmimport myriad read_blob
func readBlob(id unsafe.Pointer) int32

//go:wasmimport myriad abort
func abort(ptr unsafe.Pointer, n uint32)

func input(n uint32) []byte {
	b := make([]byte, n+1)
	take(unsafe.Pointer(&b[0]))
	return b[:n]
}

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

var counterKey = []byte("counter")

func counter() uint64 {
	n := read(ptr(counterKey), uint32(len(counterKey)))
	if n < 0 {
		return 0
	}
	return binary.BigEndian.Uint64(input(uint32(n)))
}

func setCounter(v uint64) {
	b := binary.BigEndian.AppendUint64(nil, v)
	write(ptr(counterKey), uint32(len(counterKey)), ptr(b), uint32(len(b)))
}

// leak is a global a call changes; the next call must not see it.
var leak uint64

var seen = map[uint64]bool{}

func recurse(n uint64) uint64 {
	if n == 0 {
		return 0
	}
	return recurse(n-1) + 1
}

//go:wasmexport myriad_instantiate
func instantiate(n uint32) {
	arg := input(n)
	if len(arg) == 8 {
		setCounter(binary.BigEndian.Uint64(arg))
	}
}

//go:wasmexport myriad_execute_operation
func executeOperation(n uint32) {
	op := input(n)
	if len(op) == 0 {
		return
	}
	var arg uint64
	if len(op) >= 9 {
		arg = binary.BigEndian.Uint64(op[1:9])
	}
	if op[0] == 'd' && len(op) == 33 { // output the data blob whose id follows
		data := input(uint32(readBlob(ptr(op[1:]))))
		output(ptr(data), uint32(len(data)))
		return
	}
	var out uint64
	switch op[0] {
	case 'i': // increment
		out = counter() + arg
		setCounter(out)
	case 'l': // loop forever
		for {
			leak++
		}
	case 'r': // recurse arg deep
		out = recurse(arg)
	case 'a': // abort
		msg := []byte("asked to abort")
		abort(ptr(msg), uint32(len(msg)))
	case 'p': // Go panic
		panic("guest panicked")
	case 'g': // return and bump the global: fresh instances always see 0
		leak++
		out = leak
	case 'm': // map iteration order from the seed
		for i := range uint64(16) {
			seen[i] = true
		}
		for k := range seen {
			out = out*31 + k
		}
	case 'w': // work: a loop of arg iterations
		for i := range arg {
			out += i * i
		}
	case 'b': // grow memory without bound
		var keep [][]byte
		for {
			keep = append(keep, make([]byte, 1<<20))
		}
	}
	res := binary.BigEndian.AppendUint64(nil, out)
	output(ptr(res), uint32(len(res)))
}

//go:wasmexport myriad_execute_message
func executeMessage(n uint32) { _ = input(n) }

func main() {}
