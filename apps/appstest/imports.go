package appstest

import (
	"errors"
	"fmt"
)

// Import is a function, table, memory or global a Wasm module imports.
type Import struct {
	Module, Name string
	Kind         byte // 0 function, 1 table, 2 memory, 3 global
}

func (i Import) String() string { return i.Module + "." + i.Name }

var errTruncated = errors.New("appstest: truncated wasm module")

type wasmReader struct {
	b   []byte
	err error
}

func (r *wasmReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errTruncated
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wasmReader) uleb() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("appstest: bad LEB128")
	return 0
}

func (r *wasmReader) bytes(n uint32) []byte {
	if r.err != nil || uint32(len(r.b)) < n {
		r.err = errTruncated
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *wasmReader) name() string { return string(r.bytes(r.uleb())) }

func (r *wasmReader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
		r.uleb()
	} else {
		r.uleb()
	}
}

// Imports returns what a Wasm module imports, from its import section.
func Imports(module []byte) ([]Import, error) {
	r := &wasmReader{b: module}
	if string(r.bytes(8)) != "\x00asm\x01\x00\x00\x00" {
		return nil, fmt.Errorf("appstest: not a wasm module")
	}
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		body := r.bytes(r.uleb())
		if id == 2 {
			return readImports(&wasmReader{b: body})
		}
	}
	return nil, r.err
}

func readImports(r *wasmReader) ([]Import, error) {
	n := r.uleb()
	var out []Import
	for i := uint32(0); i < n && r.err == nil; i++ {
		imp := Import{Module: r.name(), Name: r.name(), Kind: r.byte()}
		switch imp.Kind {
		case 0:
			r.uleb()
		case 1:
			r.byte()
			r.limits()
		case 2:
			r.limits()
		case 3:
			r.byte()
			r.byte()
		default:
			r.err = fmt.Errorf("appstest: import kind %d", imp.Kind)
		}
		out = append(out, imp)
	}
	return out, r.err
}
