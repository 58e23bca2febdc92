package metering

// A tiny Wasm assembler for the tests: a module is a list of sections,
// each a list of byte slices.

func u32(v uint32) []byte { return appendU32(nil, v) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func vec(items ...[]byte) []byte { return cat(u32(uint32(len(items))), cat(items...)) }

func str(s string) []byte { return cat(u32(uint32(len(s))), []byte(s)) }

func sec(id byte, items ...[]byte) []byte {
	p := vec(items...)
	return cat([]byte{id}, u32(uint32(len(p))), p)
}

func wasmModule(sections ...[]byte) []byte { return cat(header, cat(sections...)) }

// fn is a function type.
func fn(params, results []byte) []byte { return cat([]byte{0x60}, vec1(params), vec1(results)) }

// vec1 is a vector of single bytes.
func vec1(b []byte) []byte { return cat(u32(uint32(len(b))), b) }

// code is a function body with locals (count, type pairs) and instructions
// (the final end included).
func code(locals [][2]byte, instrs ...byte) []byte {
	var l [][]byte
	for _, d := range locals {
		l = append(l, []byte{d[0], d[1]})
	}
	b := cat(vec(l...), instrs)
	return cat(u32(uint32(len(b))), b)
}

func export(name string, kind byte, idx uint32) []byte { return cat(str(name), []byte{kind}, u32(idx)) }

const (
	i32 = 0x7f
	i64 = 0x7e
	f32 = 0x7d
	f64 = 0x7c
)

// oneFunc is a module with one function of type () → results, exported as
// "run", and the extra sections given (by id order: memory 5, etc.).
func oneFunc(results []byte, body []byte, extra ...[]byte) []byte {
	var mem, others []byte
	for _, e := range extra {
		if e[0] == 5 || e[0] == 4 {
			mem = cat(mem, e)
		} else {
			others = cat(others, e)
		}
	}
	return wasmModule(
		sec(1, fn(nil, results)),
		sec(3, u32(0)),
		mem,
		sec(7, export("run", 0, 0)),
		sec(10, body),
		others,
	)
}

// Tiny test modules.
var (
	infiniteLoop = oneFunc(nil, code(nil, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b))

	// countedLoop counts a local to countedN and returns it.
	countedLoop = oneFunc([]byte{i32}, code([][2]byte{{1, i32}},
		0x03, 0x40, // loop
		0x20, 0, 0x41, 1, 0x6a, 0x22, 0, // local.get 0; i32.const 1; i32.add; local.tee 0
		0x41, byte(countedN), 0x48, 0x0d, 0, // i32.const countedN; i32.lt_s; br_if 0
		0x0b,    // end
		0x20, 0, // local.get 0
		0x0b))

	recursion = oneFunc(nil, code(nil, 0x10, 0, 0x0b))

	// memGrow grows the memory by the pages given as its own i32.const.
	memGrow = func(pages byte, mem []byte) []byte {
		return oneFunc([]byte{i32}, code(nil, 0x41, pages, 0x40, 0, 0x0b), sec(5, mem))
	}
)

// countedN is the iteration count of countedLoop (a one-byte LEB).
const countedN = 50

// countedCost is the fuel countedLoop uses: the loop instruction, 7 per
// iteration, the loop's end, then local.get and end.
const countedCost = 1 + 7*countedN + 1 + 2

// More seeds, exercising control flow, multi-value, floats and bulk memory.
var (
	// ifBrTable returns (1 ? 2 : 3) + 7 through an if/else and a br_table.
	ifBrTable = oneFunc([]byte{i32}, code(nil,
		0x41, 1, 0x04, i32, 0x41, 2, 0x05, 0x41, 3, 0x0b, // if (result i32) 2 else 3 end
		0x02, i32, 0x41, 7, 0x41, 0, 0x0e, 1, 0, 0, 0x0b, // block (result i32) 7 br_table 0 0 end
		0x6a, 0x0f, 0x0b)) // i32.add; return; end

	// nan divides 0 by 0 in f32 and f64 and returns the f32 result.
	nan = oneFunc([]byte{f32}, code(nil,
		0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x1a, // f64 0/0; drop
		0x43, 0, 0, 0, 0, 0x43, 0, 0, 0, 0, 0x95, 0x0b)) // f32 0/0

	// bulk fills and copies memory, returning the memory size.
	bulk = oneFunc([]byte{i32}, code(nil,
		0x41, 0, 0x41, 7, 0x41, 0xe8, 0x07, 0xfc, 11, 0, // memory.fill 0 7 1000
		0x41, 0xe4, 0, 0x41, 0, 0x41, 0xf4, 0x03, 0xfc, 10, 0, 0, // memory.copy 100 0 500
		0x3f, 0, 0x0b), sec(5, []byte{0, 1}))

	// multiValue returns two values.
	multiValue = oneFunc([]byte{i32, i64}, code(nil, 0x41, 1, 0x42, 2, 0x0b))

	// outerBranch leaves the function with a br to its own label.
	outerBranch = oneFunc([]byte{i32}, code(nil,
		0x02, 0x40, 0x02, 0x40, 0x41, 5, 0x0c, 2, 0x0b, 0x0b, 0x41, 6, 0x0b))
)

// outerBrIf leaves the function with a br_if to its own label.
var outerBrIf = oneFunc([]byte{i32}, code(nil, 0x41, 5, 0x41, 1, 0x0d, 0, 0x1a, 0x41, 6, 0x0b))

// seeds are all the tiny modules.
var seeds = [][]byte{infiniteLoop, countedLoop, recursion, memGrow(2, []byte{0, 1}),
	ifBrTable, nan, bulk, multiValue, outerBranch, outerBrIf}
