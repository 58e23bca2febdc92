package metering

import (
	"errors"
	"fmt"
)

// FuelGlobal is the export name of the fuel counter, a mutable i64 global.
const FuelGlobal = "myriad_fuel"

// DepthGlobal is the export name of the call depth counter, a mutable i32
// global.
const DepthGlobal = "myriad_depth"

// MaxCallDepthLimit is the largest Options.MaxCallDepth accepted. It stays
// below the 2000 frames after which wazero's interpreter reports a stack
// overflow, leaving room for host function frames.
const MaxCallDepthLimit = 1800

// MaxCost is the largest MemoryGrowCost or BulkByteCost accepted: it keeps
// every dynamic charge below 2^63.
const MaxCost = 1 << 30

// The errors Instrument returns, wrapped with context. Callers branch with
// errors.Is.
var (
	// ErrInvalid reports a malformed module or invalid Options.
	ErrInvalid = errors.New("metering: invalid module")
	// ErrTooLarge reports a module larger than Options.MaxModuleSize.
	ErrTooLarge = errors.New("metering: module too large")
	// ErrLimit reports a module beyond one of the Options' limits.
	ErrLimit = errors.New("metering: limit exceeded")
	// ErrForbiddenImport reports an import Options.AllowImport refuses.
	ErrForbiddenImport = errors.New("metering: import not allowed")
	// ErrUnsupported reports a feature that is not executed
	// deterministically or not metered: SIMD, threads, memory64, multiple
	// memories, tail calls, exceptions, imported memories and tables.
	ErrUnsupported = errors.New("metering: unsupported feature")
)

// Options are the limits and costs Instrument applies.
type Options struct {
	MaxModuleSize  int    // bytes of the input
	MaxFunctions   int    // defined functions
	MaxImports     int    // imports of any kind
	MaxMemoryPages uint32 // the memory's maximum is clamped to this; a larger minimum is refused
	MaxTableSize   uint32 // a table's maximum is clamped to this; a larger minimum is refused
	MaxCallDepth   uint32 // enforced by the depth global; 1..MaxCallDepthLimit
	MaxLocals      uint32 // locals (parameters excluded) of one function

	// AllowImport reports whether the module may import name from module;
	// nil allows no import. Imported memories and tables are never allowed.
	AllowImport func(module, name string) bool

	// CanonicalizeNaN replaces the NaN produced by every float arithmetic
	// instruction by the canonical positive quiet NaN, since engines and
	// CPUs differ in the NaN bits they produce.
	CanonicalizeNaN bool

	// MemoryGrowCost is the fuel charged per page requested by memory.grow
	// (charged whether or not the growth succeeds). At most MaxCost.
	MemoryGrowCost uint64

	// BulkByteCost is the fuel charged per started 64-byte chunk of a
	// memory.copy, memory.fill or memory.init, and per started chunk of 64
	// elements of a table.copy, table.fill, table.init or table.grow,
	// charged by length before the instruction runs. At most MaxCost.
	BulkByteCost uint64

	// InitialFuel is the fuel global's initial value: the fuel a start
	// function, or an _initialize run by wazero at instantiation, may use.
	InitialFuel int64
}

// DefaultOptions returns limits that fit a Go wasip1 reactor.
func DefaultOptions() Options {
	return Options{
		MaxModuleSize:   8 << 20,
		MaxFunctions:    50000,
		MaxImports:      256,
		MaxMemoryPages:  4096, // 256 MiB
		MaxTableSize:    1 << 16,
		MaxCallDepth:    1000,
		MaxLocals:       4096,
		CanonicalizeNaN: true,
		MemoryGrowCost:  1024,
		BulkByteCost:    1,
		InitialFuel:     10_000_000, // a Go reactor's _initialize uses about 1.2 million
	}
}

func (o *Options) check() error {
	switch {
	case o.MaxCallDepth == 0 || o.MaxCallDepth > MaxCallDepthLimit:
		return fmt.Errorf("%w: options: MaxCallDepth %d not in 1..%d", ErrInvalid, o.MaxCallDepth, MaxCallDepthLimit)
	case o.MemoryGrowCost > MaxCost || o.BulkByteCost > MaxCost:
		return fmt.Errorf("%w: options: a cost above %d", ErrInvalid, MaxCost)
	case o.InitialFuel < 0:
		return fmt.Errorf("%w: options: negative InitialFuel", ErrInvalid)
	}
	return nil
}

// Instrument validates wasm against o and returns it rewritten for metered
// execution: fuel charged per basic block, call depth bounded, memory and
// tables clamped, and the FuelGlobal and DepthGlobal globals exported. The
// input is not modified. Errors wrap ErrInvalid, ErrTooLarge, ErrLimit,
// ErrForbiddenImport or ErrUnsupported.
func Instrument(wasm []byte, o Options) ([]byte, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if len(wasm) > o.MaxModuleSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(wasm), o.MaxModuleSize)
	}
	m := &module{opts: &o, counted: map[byte]int{}}
	if err := m.decode(wasm); err != nil {
		return nil, err
	}
	return m.encode(), nil
}

// IsOutOfFuel reports whether a call that trapped ran out of fuel, given the
// value of FuelGlobal after the trap.
func IsOutOfFuel(fuelAfter int64) bool { return fuelAfter < 0 }
