package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// This file reads what the browser engine needs of an instrumented
// module (its imported functions' signatures, its exported mutable
// globals' types) and writes the two small helper modules it
// instantiates beside every guest instance:
//
//   - a trampoline, which the guest imports its host functions from: each
//     calls the Go function and then traps (unreachable) if the Go side
//     set the trap global, since a Go function called from JavaScript
//     cannot throw;
//   - an accessor, which reads and writes the guest's i64 fuel global as
//     two i32 halves (no BigInt crosses into Go) and saves and restores
//     all its mutable globals to and from the module's snapshot globals in
//     one call.

// funcImport is a function a module imports and its signature.
type funcImport struct {
	module, name    string
	params, results []byte // value types
}

// sections returns the body of every section of wasm, by id (custom
// sections are skipped).
func sections(wasm []byte) (map[byte][]byte, error) {
	if len(wasm) < 8 {
		return nil, errors.New("runtime: module too short")
	}
	out := map[byte][]byte{}
	for p := 8; p < len(wasm); {
		id := wasm[p]
		n, k, err := uleb(wasm[p+1:])
		if err != nil || p+1+k+int(n) > len(wasm) {
			return nil, fmt.Errorf("runtime: bad section at %d", p)
		}
		if id != 0 {
			out[id] = wasm[p+1+k : p+1+k+int(n)]
		}
		p += 1 + k + int(n)
	}
	return out, nil
}

type funcType struct{ params, results []byte }

func readTypes(b []byte) ([]funcType, error) {
	n, k, err := uleb(b)
	if err != nil {
		return nil, err
	}
	b = b[k:]
	var out []funcType
	for range n {
		if len(b) < 1 || b[0] != 0x60 {
			return nil, errors.New("runtime: bad type")
		}
		b = b[1:]
		var t funcType
		for _, dst := range []*[]byte{&t.params, &t.results} {
			c, k, err := uleb(b)
			if err != nil || k+int(c) > len(b) {
				return nil, errors.New("runtime: bad type")
			}
			*dst = append([]byte{}, b[k:k+int(c)]...)
			b = b[k+int(c):]
		}
		out = append(out, t)
	}
	return out, nil
}

func readName(b []byte) (string, []byte, error) {
	n, k, err := uleb(b)
	if err != nil || k+int(n) > len(b) {
		return "", nil, errors.New("runtime: bad name")
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

// funcImports returns the functions an (instrumented, validated) module
// imports, in order.
func funcImports(wasm []byte) ([]funcImport, error) {
	secs, err := sections(wasm)
	if err != nil {
		return nil, err
	}
	var types []funcType
	if len(secs[1]) > 0 {
		if types, err = readTypes(secs[1]); err != nil {
			return nil, err
		}
	}
	b := secs[2]
	if len(b) == 0 {
		return nil, nil
	}
	n, k, err := uleb(b)
	if err != nil {
		return nil, err
	}
	b = b[k:]
	var out []funcImport
	for range n {
		var imp funcImport
		if imp.module, b, err = readName(b); err != nil {
			return nil, err
		}
		if imp.name, b, err = readName(b); err != nil {
			return nil, err
		}
		if len(b) < 1 || b[0] != 0 {
			return nil, fmt.Errorf("runtime: import %s.%s is not a function", imp.module, imp.name)
		}
		t, k, err := uleb(b[1:])
		if err != nil || int(t) >= len(types) {
			return nil, errors.New("runtime: bad import type")
		}
		b = b[1+k:]
		imp.params, imp.results = types[t].params, types[t].results
		out = append(out, imp)
	}
	return out, nil
}

// globalTypes returns the value types of the globals named
// "myriad_g<index>" by exportGlobals, in the order of names.
func globalTypes(wasm []byte, names []string) ([]byte, error) {
	secs, err := sections(wasm)
	if err != nil {
		return nil, err
	}
	imported := 0
	if len(secs[2]) > 0 {
		if imported, err = countImportedGlobals(secs[2]); err != nil {
			return nil, err
		}
	}
	b := secs[6]
	n, k, err := uleb(b)
	if err != nil {
		return nil, err
	}
	b = b[k:]
	types := make([]byte, 0, n)
	for range n {
		if len(b) < 2 {
			return nil, errors.New("runtime: bad global")
		}
		types = append(types, b[0])
		b = b[2:]
		for len(b) > 0 && b[0] != 0x0b { // constant expressions: skip to end
			op := b[0]
			b = b[1:]
			switch op {
			case 0x41, 0x42, 0x23, 0xd2:
				_, k, err := uleb(b)
				if err != nil {
					return nil, err
				}
				b = b[k:]
			case 0x43:
				b = b[min(4, len(b)):]
			case 0x44:
				b = b[min(8, len(b)):]
			case 0xd0:
				b = b[min(1, len(b)):]
			default:
				return nil, fmt.Errorf("runtime: global initialiser opcode %#x", op)
			}
		}
		if len(b) == 0 {
			return nil, errors.New("runtime: bad global initialiser")
		}
		b = b[1:]
	}
	out := make([]byte, len(names))
	for i, name := range names {
		idx, err := strconv.Atoi(name[len("myriad_g"):])
		if err != nil || idx < imported || idx-imported >= len(types) {
			return nil, fmt.Errorf("runtime: bad global export %s", name)
		}
		out[i] = types[idx-imported]
	}
	return out, nil
}

// wasmModule assembles a module from its sections, in order.
func wasmModule(secs ...[]byte) []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range secs {
		out = append(out, s...)
	}
	return out
}

func wasmSection(id byte, count int, body []byte) []byte {
	b := binary.AppendUvarint(nil, uint64(count))
	b = append(b, body...)
	out := append([]byte{id}, binary.AppendUvarint(nil, uint64(len(b)))...)
	return append(out, b...)
}

func wasmName(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func wasmVec(b []byte, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func wasmCode(body []byte) []byte {
	b := append([]byte{0}, body...) // no locals
	b = append(b, 0x0b)
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

// trampoline returns a module importing ("h", "<i>") with each signature
// of imports and the mutable i32 global ("h", "trap"), and exporting "<i>"
// functions of the same signatures that call the import and then trap
// if the global is set.
func trampoline(imports []funcImport) []byte {
	var types, imps, funcs, exports, code []byte
	for i, f := range imports {
		types = append(types, 0x60)
		types = wasmVec(types, f.params)
		types = wasmVec(types, f.results)
		imps = wasmName(imps, "h")
		imps = wasmName(imps, strconv.Itoa(i))
		imps = append(imps, 0)
		imps = binary.AppendUvarint(imps, uint64(i))
		funcs = binary.AppendUvarint(funcs, uint64(i))
		exports = wasmName(exports, strconv.Itoa(i))
		exports = append(exports, 0)
		exports = binary.AppendUvarint(exports, uint64(len(imports)+i))
		var body []byte
		for j := range f.params {
			body = append(body, 0x20)
			body = binary.AppendUvarint(body, uint64(j))
		}
		body = append(body, 0x10)
		body = binary.AppendUvarint(body, uint64(i))
		body = append(body, 0x23, 0, 0x04, 0x40, 0x00, 0x0b) // global.get trap; if unreachable end
		code = append(code, wasmCode(body)...)
	}
	imps = wasmName(imps, "h")
	imps = wasmName(imps, "trap")
	imps = append(imps, 3, 0x7f, 1)
	n := len(imports)
	return wasmModule(wasmSection(1, n, types), wasmSection(2, n+1, imps), wasmSection(3, n, funcs),
		wasmSection(7, n, exports), wasmSection(10, n, code))
}

// accessor returns a module importing the guest's mutable globals
// ("g", "<i>") of types, the module's snapshot globals ("s", "<i>") of
// the same types, and its fuel (i64) and depth (i32) globals ("f",
// "fuel"), ("f", "depth"); it exports save and restore (copying g to s,
// and s to g), fuel_hi and fuel_lo (the fuel's halves), set_fuel(hi, lo)
// and depth.
func accessor(types []byte) []byte {
	k := len(types)
	var imps []byte
	for i, t := range types {
		for _, mod := range []string{"g", "s"} {
			imps = wasmName(imps, mod)
			imps = wasmName(imps, strconv.Itoa(i))
			imps = append(imps, 3, t, 1)
		}
	}
	imps = wasmName(wasmName(imps, "f"), "fuel")
	imps = append(imps, 3, 0x7e, 1)
	imps = wasmName(wasmName(imps, "f"), "depth")
	imps = append(imps, 3, 0x7f, 1)
	fuel, depth := uint64(2*k), uint64(2*k+1)
	gget := func(b []byte, g uint64) []byte { return binary.AppendUvarint(append(b, 0x23), g) }
	gset := func(b []byte, g uint64) []byte { return binary.AppendUvarint(append(b, 0x24), g) }
	var save, restore []byte
	for i := range k {
		save = gset(gget(save, uint64(2*i)), uint64(2*i+1))
		restore = gset(gget(restore, uint64(2*i+1)), uint64(2*i))
	}
	hi := append(gget(nil, fuel), 0x42, 32, 0x87, 0xa7)                           // i64.const 32; i64.shr_s; i32.wrap_i64
	lo := append(gget(nil, fuel), 0xa7)                                           // i32.wrap_i64
	set := gset([]byte{0x20, 0, 0xad, 0x42, 32, 0x86, 0x20, 1, 0xad, 0x84}, fuel) // hi<<32 | lo
	dep := gget(nil, depth)
	types3 := []byte{0x60, 0, 0, 0x60, 0, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 0}
	funcs := []byte{0, 0, 1, 1, 2, 1}
	var exports, code []byte
	for i, e := range []struct {
		name string
		body []byte
	}{{"save", save}, {"restore", restore}, {"fuel_hi", hi}, {"fuel_lo", lo}, {"set_fuel", set}, {"depth", dep}} {
		exports = wasmName(exports, e.name)
		exports = append(exports, 0, byte(i))
		code = append(code, wasmCode(e.body)...)
	}
	return wasmModule(wasmSection(1, 3, types3), wasmSection(2, 2*k+2, imps), wasmSection(3, 6, funcs),
		wasmSection(7, 6, exports), wasmSection(10, 6, code))
}
