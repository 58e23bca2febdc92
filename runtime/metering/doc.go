// Package metering validates a WebAssembly module against limits and
// rewrites it so that its execution is metered deterministically: the same
// call uses the same fuel, and stops at the same point, in wazero's
// compiler and interpreter, on every machine.
//
// Usage:
//
//	o := metering.DefaultOptions()
//	o.AllowImport = func(module, name string) bool { return module == "wasi_snapshot_preview1" }
//	metered, err := metering.Instrument(wasm, o) // before wazero compiles it
//	...
//	fuel := mod.ExportedGlobal(metering.FuelGlobal).(api.MutableGlobal)
//	depth := mod.ExportedGlobal(metering.DepthGlobal).(api.MutableGlobal)
//	fuel.Set(uint64(limit))
//	depth.Set(0)
//	_, err = mod.ExportedFunction("f").Call(ctx)
//	used := limit - int64(fuel.Get())
//	if err != nil && metering.IsOutOfFuel(int64(fuel.Get())) {
//		// the call ran out of fuel
//	}
//
// # Globals
//
// Instrument appends two mutable globals to the module's globals and
// exports them; it adds no function, so no function index moves.
// FuelGlobal ("myriad_fuel", i64) is the fuel left: the host sets it before
// a call and reads it after. It starts at Options.InitialFuel, the fuel of
// a start function or an _initialize that wazero runs at instantiation.
// DepthGlobal ("myriad_depth", i32) is the current call depth; after a trap
// it is left where the trap happened, so the host resets it to 0 before
// each call.
//
// # Cost model
//
// Every instruction costs 1. A function body is cut into basic blocks,
// which start at the function's entry and after loop, if, else, end and
// br_if; a block ends with the instruction before the next start, or with
// br, br_table, return or unreachable, after which code is unreachable and
// not charged. Each block's cost (its number of instructions) is
// subtracted from the fuel before the block runs. Fuel is checked — the
// guest executes unreachable when it is below zero — at function entry, at
// every loop header (after the loop's charge), after every dynamic charge
// and before every return, so a guest never runs unboundedly and a call
// never completes with negative fuel: code between two checks is
// forward-only and runs at most once. After a trap, a negative fuel means
// the trap was out-of-fuel (IsOutOfFuel), whatever instruction trapped.
//
// Dynamic costs are charged by the instruction's length operand before it
// runs, then checked: memory.grow costs MemoryGrowCost per requested page,
// whether or not it succeeds; memory.copy, memory.fill and memory.init cost
// BulkByteCost per started 64-byte chunk; table.copy, table.fill,
// table.init and table.grow cost BulkByteCost per started chunk of 64
// elements.
//
// # Call depth
//
// Each function increments the depth global on entry and traps when it is
// above MaxCallDepth; it decrements it on every exit. To catch every exit,
// the body is wrapped in a block with the function's results: a branch to
// the function's own label (br, br_if, br_table) now ends that block, after
// which the depth is decremented before the function's end; return
// decrements it first. MaxCallDepth is at most MaxCallDepthLimit, below
// the interpreter's frame limit, and a function whose frame could exceed
// the compiler's stack at that depth is refused (its parameters, locals
// and code bytes, times 8, times MaxCallDepth, must stay under 256 MiB), so
// unbounded recursion ends with this trap, in both engines alike, and
// never with a wazero stack overflow.
//
// # Limits and features
//
// Instrument refuses, with errors wrapping ErrInvalid, ErrTooLarge,
// ErrLimit, ErrForbiddenImport or ErrUnsupported: malformed modules
// (including vectors longer than their section, since wazero allocates by
// declared counts), modules over MaxModuleSize, more functions, imports or
// locals than allowed, imports AllowImport refuses, imported memories and
// tables, a memory minimum above MaxMemoryPages or a table minimum above
// MaxTableSize (their maximums are clamped to these), and features not
// executed deterministically or not metered: SIMD (0xFD), threads and
// atomics (0xFE, shared memories), memory64, multiple memories, tail calls,
// typed function references and exception handling.
//
// Supported are the MVP, sign extension, saturating float-to-int
// conversions, bulk memory and table instructions, reference types,
// mutable globals and multi-value blocks. Go 1.26 wasip1 reactors use the
// MVP, sign extension (0xC2, 0xC4), saturating truncation (0xFC 6, 7) and
// memory.copy and memory.fill (0xFC 10, 11).
//
// With CanonicalizeNaN, the result of every float instruction that may
// produce a NaN (arithmetic, sqrt, min, max, rounding, promote, demote) is
// replaced by the canonical NaN when it is a NaN, since engines and CPUs
// differ in the NaN bits they produce. abs, neg and copysign only move bits
// and are left alone.
package metering
