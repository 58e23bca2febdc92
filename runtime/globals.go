package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// memoryExport is the name exportGlobals exports a module's memory under.
const memoryExport = "myriad_memory"

// exportGlobals returns wasm with every defined mutable global exported
// as "myriad_g<index>", so a snapshot can save and restore the globals a
// Go guest keeps its stack pointer and scheduler state in, and its memory
// as memoryExport. It runs on
// modules the metering instrumenter has already validated.
func exportGlobals(wasm []byte) ([]byte, []string, error) {
	if len(wasm) < 8 {
		return nil, nil, errors.New("runtime: module too short")
	}
	type section struct {
		id   byte
		body []byte
	}
	var secs []section
	for p := 8; p < len(wasm); {
		id := wasm[p]
		n, k, err := uleb(wasm[p+1:])
		if err != nil || p+1+k+int(n) > len(wasm) {
			return nil, nil, fmt.Errorf("runtime: bad section at %d", p)
		}
		body := wasm[p+1+k : p+1+k+int(n)]
		secs = append(secs, section{id, body})
		p += 1 + k + int(n)
	}
	imported := 0
	var mutable []int
	exportAt := -1
	memories := false
	for i, s := range secs {
		switch s.id {
		case 5:
			memories = len(s.body) > 0 && s.body[0] > 0
		case 2:
			g, err := countImportedGlobals(s.body)
			if err != nil {
				return nil, nil, err
			}
			imported = g
		case 6:
			m, err := mutableGlobals(s.body)
			if err != nil {
				return nil, nil, err
			}
			mutable = m
		case 7:
			exportAt = i
		}
	}
	var names []string
	var add []byte
	for _, g := range mutable {
		idx := imported + g
		name := fmt.Sprintf("myriad_g%d", idx)
		names = append(names, name)
		add = binary.AppendUvarint(add, uint64(len(name)))
		add = append(add, name...)
		add = append(add, 3) // global export
		add = binary.AppendUvarint(add, uint64(idx))
	}
	count := len(names)
	if memories {
		// The browser engine reaches the memory through an export.
		add = binary.AppendUvarint(add, uint64(len(memoryExport)))
		add = append(add, memoryExport...)
		add = append(add, 2, 0) // memory 0
		count++
	}
	var exports []byte
	if exportAt >= 0 {
		n, k, err := uleb(secs[exportAt].body)
		if err != nil {
			return nil, nil, err
		}
		exports = binary.AppendUvarint(nil, n+uint64(count))
		exports = append(exports, secs[exportAt].body[k:]...)
	} else {
		exports = binary.AppendUvarint(nil, uint64(count))
	}
	exports = append(exports, add...)
	out := append([]byte{}, wasm[:8]...)
	emit := func(id byte, body []byte) {
		out = append(out, id)
		out = binary.AppendUvarint(out, uint64(len(body)))
		out = append(out, body...)
	}
	placed := false
	for _, s := range secs {
		if s.id == 7 {
			emit(7, exports)
			placed = true
			continue
		}
		// Sections are ordered; the export section comes before start
		// (8), element (9), code (10) and data (11, 12).
		if !placed && s.id != 0 && exportOrder(s.id) > exportOrder(7) {
			emit(7, exports)
			placed = true
		}
		emit(s.id, s.body)
	}
	if !placed {
		emit(7, exports)
	}
	return out, names, nil
}

// exportOrder is a section's place in the required order (custom
// sections, id 0, may appear anywhere). Data count (12) comes before code.
func exportOrder(id byte) int {
	switch id {
	case 12:
		return 95
	case 10:
		return 100
	case 11:
		return 110
	}
	return int(id) * 10
}

func uleb(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errors.New("runtime: bad LEB128")
}

func name(b []byte) ([]byte, error) {
	n, k, err := uleb(b)
	if err != nil || k+int(n) > len(b) {
		return nil, errors.New("runtime: bad name")
	}
	return b[k+int(n):], nil
}

func countImportedGlobals(b []byte) (int, error) {
	n, k, err := uleb(b)
	if err != nil {
		return 0, err
	}
	b = b[k:]
	globals := 0
	for range n {
		if b, err = name(b); err != nil {
			return 0, err
		}
		if b, err = name(b); err != nil {
			return 0, err
		}
		if len(b) < 1 {
			return 0, errors.New("runtime: bad import")
		}
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0: // function: type index
			_, k, err := uleb(b)
			if err != nil {
				return 0, err
			}
			b = b[k:]
		case 3: // global: value type, mutability
			if len(b) < 2 {
				return 0, errors.New("runtime: bad global import")
			}
			b = b[2:]
			globals++
		default: // tables and memories are refused by the instrumenter
			return 0, fmt.Errorf("runtime: import of kind %d", kind)
		}
	}
	return globals, nil
}

// mutableGlobals returns the indices (among defined globals) of the
// mutable ones. Initialisers are constant expressions ending in 0x0b.
func mutableGlobals(b []byte) ([]int, error) {
	n, k, err := uleb(b)
	if err != nil {
		return nil, err
	}
	b = b[k:]
	var out []int
	for i := range int(n) {
		if len(b) < 2 {
			return nil, errors.New("runtime: bad global")
		}
		if b[1] == 1 {
			out = append(out, i)
		}
		b = b[2:]
		for {
			if len(b) == 0 {
				return nil, errors.New("runtime: bad global initialiser")
			}
			op := b[0]
			b = b[1:]
			if op == 0x0b {
				break
			}
			switch op {
			case 0x41, 0x42, 0x23, 0xd2: // i32/i64.const, global.get, ref.func: LEB
				_, k, err := uleb(b)
				if err != nil {
					return nil, err
				}
				b = b[k:]
			case 0x43:
				b = b[min(4, len(b)):]
			case 0x44:
				b = b[min(8, len(b)):]
			case 0xd0: // ref.null type
				b = b[min(1, len(b)):]
			default:
				return nil, fmt.Errorf("runtime: global initialiser opcode %#x", op)
			}
		}
	}
	return out, nil
}
