package runtime

import (
	"github.com/tetratelabs/wazero/api"

	"github.com/myriadchain/myriad/runtime/metering"
)

// memory is what the host functions need of a running instance, whatever
// the engine: its linear memory and its fuel global. Both engines run the
// same host-function code (hostFns, and wasiFns for the browser engine)
// through it.
type memory interface {
	// read returns a copy of n bytes at ptr; false if out of range.
	read(ptr, n uint32) ([]byte, bool)
	// write copies b to ptr; false if out of range.
	write(ptr uint32, b []byte) bool
	// fuel returns the fuel global (metering.FuelGlobal).
	fuel() int64
	// setFuel sets the fuel global.
	setFuel(v int64)
}

// wazeroMemory is the memory of a wazero module instance.
type wazeroMemory struct{ m api.Module }

func (w wazeroMemory) read(ptr, n uint32) ([]byte, bool) {
	b, ok := w.m.Memory().Read(ptr, n)
	if !ok {
		return nil, false
	}
	return append([]byte(nil), b...), true
}

func (w wazeroMemory) write(ptr uint32, b []byte) bool { return w.m.Memory().Write(ptr, b) }

func (w wazeroMemory) fuel() int64 {
	return int64(w.m.ExportedGlobal(metering.FuelGlobal).Get())
}

func (w wazeroMemory) setFuel(v int64) { setGlobal(w.m, metering.FuelGlobal, uint64(v)) }
