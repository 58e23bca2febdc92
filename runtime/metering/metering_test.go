package metering

import (
	"errors"
	"slices"
	"testing"
)

func TestInfiniteLoopRunsOutOfFuel(t *testing.T) {
	out, _ := runBoth(t, infiniteLoop, DefaultOptions(), 100_000)
	if !out.trapped || !IsOutOfFuel(out.fuel) {
		t.Fatalf("infinite loop = %+v, want an out-of-fuel trap", out)
	}
}

func TestCountedLoopFuel(t *testing.T) {
	const fuel = 10_000
	out, _ := runBoth(t, countedLoop, DefaultOptions(), fuel)
	if out.trapped || len(out.results) != 1 || out.results[0] != countedN {
		t.Fatalf("counted loop = %+v, want %d", out, countedN)
	}
	if used := fuel - out.fuel; used != countedCost {
		t.Fatalf("counted loop used %d fuel, want %d", used, countedCost)
	}
	if out.depth != 0 {
		t.Fatalf("depth after the call = %d, want 0", out.depth)
	}
	// With exactly the fuel it needs it completes; with one less it traps.
	if out, _ := runBoth(t, countedLoop, DefaultOptions(), countedCost); out.trapped || out.fuel != 0 {
		t.Fatalf("with %d fuel: %+v, want completion with 0 left", countedCost, out)
	}
	if out, _ := runBoth(t, countedLoop, DefaultOptions(), countedCost-1); !out.trapped || !IsOutOfFuel(out.fuel) {
		t.Fatalf("with %d fuel: %+v, want an out-of-fuel trap", countedCost-1, out)
	}
}

func TestRecursionHitsDepthLimit(t *testing.T) {
	o := DefaultOptions()
	out, _ := runBoth(t, recursion, o, 1<<40)
	if !out.trapped || IsOutOfFuel(out.fuel) {
		t.Fatalf("recursion = %+v, want a trap with fuel left", out)
	}
	if out.depth != o.MaxCallDepth+1 {
		t.Fatalf("depth at the trap = %d, want %d", out.depth, o.MaxCallDepth+1)
	}
	o.MaxCallDepth = MaxCallDepthLimit
	if out, _ := runBoth(t, recursion, o, 1<<40); !out.trapped || out.depth != MaxCallDepthLimit+1 {
		t.Fatalf("recursion at the deepest limit = %+v, want the depth trap", out)
	}
	// Frames as large as allowed: 5000 values live across the call.
	var body []byte
	for range 5000 {
		body = append(body, 0x42, 0)
	}
	body = append(body, 0x10, 0)
	for range 5000 {
		body = append(body, 0x1a)
	}
	wide := oneFunc(nil, code(nil, append(body, 0x0b)...))
	o.MaxCallDepth = 1000
	if out, _ := runBoth(t, wide, o, 1<<40); !out.trapped || out.depth != o.MaxCallDepth+1 {
		t.Fatalf("recursion with wide frames = %+v, want the depth trap", out)
	}
}

func TestMemoryGrow(t *testing.T) {
	o := DefaultOptions()
	o.MaxMemoryPages = 4
	o.MemoryGrowCost = 1000
	noMax := []byte{0, 1}           // min 1
	bigMax := []byte{1, 1, 0x80, 2} // min 1, max 256
	for _, mem := range [][]byte{noMax, bigMax} {
		out, _ := runBoth(t, memGrow(4, mem), o, 1_000_000)
		if out.trapped || int32(out.results[0]) != -1 {
			t.Fatalf("grow beyond the cap = %+v, want -1", out)
		}
		// Charged per requested page, whether or not it succeeds.
		if used := 1_000_000 - out.fuel; used != 4*1000+3 {
			t.Fatalf("grow by 4 pages used %d fuel, want %d", used, 4*1000+3)
		}
		out, _ = runBoth(t, memGrow(3, mem), o, 1_000_000)
		if out.trapped || out.results[0] != 1 {
			t.Fatalf("grow within the cap = %+v, want 1", out)
		}
		out, _ = runBoth(t, memGrow(3, mem), o, 2000)
		if !out.trapped || !IsOutOfFuel(out.fuel) {
			t.Fatalf("grow without the fuel = %+v, want an out-of-fuel trap", out)
		}
	}
}

func TestRefusals(t *testing.T) {
	allowAll := func(string, string) bool { return true }
	simd := oneFunc(nil, code(nil, 0xfd, 0x0c, 0x0b))
	atomic := oneFunc(nil, code(nil, 0xfe, 0x03, 0, 0x0b))
	imp := func(n int) []byte {
		var is [][]byte
		for i := range n {
			is = append(is, cat(str("env"), str(string(rune('a'+i))), []byte{0}, u32(0)))
		}
		return wasmModule(sec(1, fn(nil, nil)), sec(2, is...))
	}
	tests := []struct {
		name string
		wasm []byte
		opts func(*Options)
		want error
	}{
		{"truncated", countedLoop[:len(countedLoop)-3], nil, ErrInvalid},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), nil, ErrInvalid},
		{"too large", countedLoop, func(o *Options) { o.MaxModuleSize = 10 }, ErrTooLarge},
		{"too many functions", countedLoop, func(o *Options) { o.MaxFunctions = 0 }, ErrLimit},
		{"too many imports", imp(3), func(o *Options) { o.MaxImports = 2; o.AllowImport = allowAll }, ErrLimit},
		{"import, none allowed", imp(1), nil, ErrForbiddenImport},
		{"import refused", imp(2), func(o *Options) { o.AllowImport = func(_, n string) bool { return n == "a" } }, ErrForbiddenImport},
		{"memory min above the cap", memGrow(1, []byte{0, 5}), func(o *Options) { o.MaxMemoryPages = 4 }, ErrLimit},
		{"table min above the cap", oneFunc(nil, code(nil, 0x0b), sec(4, []byte{0x70, 0, 9})), func(o *Options) { o.MaxTableSize = 8 }, ErrLimit},
		{"too many locals", oneFunc(nil, code([][2]byte{{100, i32}}, 0x0b)), func(o *Options) { o.MaxLocals = 99 }, ErrLimit},
		{"frame too large for the depth", oneFunc(nil, code([][2]byte{{100, i32}}, cat(make([]byte, 20000), []byte{0x0b})...)), func(o *Options) { o.MaxCallDepth = MaxCallDepthLimit }, ErrLimit},
		{"SIMD", simd, nil, ErrUnsupported},
		{"atomics", atomic, nil, ErrUnsupported},
		{"shared memory", memGrow(1, []byte{3, 1, 2}), nil, ErrUnsupported},
		{"memory64", memGrow(1, []byte{4, 1}), nil, ErrUnsupported},
		{"two memories", oneFunc(nil, code(nil, 0x0b), sec(5, []byte{0, 1}, []byte{0, 1})), nil, ErrUnsupported},
		{"imported memory", wasmModule(sec(2, cat(str("env"), str("m"), []byte{2, 0, 1}))), func(o *Options) { o.AllowImport = allowAll }, ErrUnsupported},
		{"functions without code", wasmModule(sec(1, fn(nil, nil)), sec(3, u32(0))), nil, ErrInvalid},
		{"huge element count", wasmModule([]byte{9, 5, 0x80, 0x80, 0x80, 0x80, 0x08}), nil, ErrInvalid},
		{"exports the fuel global", wasmModule(sec(7, export(FuelGlobal, 0, 0))), nil, ErrInvalid},
		{"depth limit too deep", countedLoop, func(o *Options) { o.MaxCallDepth = MaxCallDepthLimit + 1 }, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultOptions()
			if tt.opts != nil {
				tt.opts(&o)
			}
			_, err := Instrument(tt.wasm, o)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Instrument = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestControlFlow(t *testing.T) {
	tests := []struct {
		name string
		wasm []byte
		want []uint64
		cost int64
	}{
		{"if and br_table", ifBrTable, []uint64{9}, 2 + 2 + 4 + 2}, // the else arm and the code after return are not charged
		{"canonical NaN", nan, []uint64{0x7fc00000}, 8},
		{"bulk memory", bulk, []uint64{1}, 10 + 16 + 8}, // 10 instructions, 1000 and 500 bytes in 64-byte chunks
		{"multi-value", multiValue, []uint64{1, 2}, 3},
		{"branch to the function label", outerBranch, []uint64{5}, 4}, // the code after br is not charged
		{"br_if to the function label", outerBrIf, []uint64{5}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const fuel = 1000
			out, _ := runBoth(t, tt.wasm, DefaultOptions(), fuel)
			if out.trapped || !slices.Equal(out.results, tt.want) {
				t.Fatalf("run = %+v, want %v", out, tt.want)
			}
			if used := fuel - out.fuel; used != tt.cost {
				t.Errorf("run used %d fuel, want %d", used, tt.cost)
			}
			if out.depth != 0 {
				t.Errorf("depth after run = %d, want 0", out.depth)
			}
		})
	}
}
