package metering

import (
	"bytes"
	"fmt"
)

// Section ids.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
	secTag       = 13
)

// rank orders the known non-custom sections as the binary format requires.
var rank = [...]int{secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5,
	secGlobal: 6, secExport: 7, secStart: 8, secElement: 9, secDataCount: 10, secCode: 11, secData: 12}

var header = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

// section is one section of the module as it will be written.
type section struct {
	id      byte
	payload []byte
}

// funcType is a function type's parameter and result value types.
type funcType struct{ params, results []byte }

// module holds what the rewrite needs to know about the input module.
type module struct {
	opts     *Options
	sections []section

	types      []funcType
	extraTypes []funcType     // block types for multi-value function bodies, appended
	typeIndex  map[string]int // results → index of an appended type
	funcs      []uint32       // type index of each defined function

	importedFuncs, importedGlobals, definedGlobals int
	memories                                       int
	fuelIdx, depthIdx                              uint32
	exports                                        map[string]bool
	exportCount                                    int
	counted                                        map[byte]int // id → index in sections of a section whose vector grows
	sawCode                                        bool
}

func (m *module) decode(wasm []byte) error {
	if len(wasm) < len(header) || !bytes.Equal(wasm[:len(header)], header) {
		return fmt.Errorf("%w: not a wasm 1.0 binary", ErrInvalid)
	}
	r := &reader{b: wasm, pos: len(header)}
	last := 0
	for r.len() > 0 {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		off := r.pos
		payload, err := r.bytes(int(size))
		if err != nil {
			return err
		}
		if id == secTag {
			return fmt.Errorf("%w: exception handling (tag section)", ErrUnsupported)
		}
		if int(id) >= len(rank) || (id != secCustom && rank[id] == 0) {
			return fmt.Errorf("%w: unknown section %d", ErrInvalid, id)
		}
		if id != secCustom {
			if rank[id] <= last {
				return fmt.Errorf("%w: section %d out of order", ErrInvalid, id)
			}
			last = rank[id]
		}
		s := section{id: id, payload: payload}
		if err := m.section(&s, &reader{b: payload, off: off}); err != nil {
			return err
		}
		m.sections = append(m.sections, s)
	}
	if !m.sawCode && len(m.funcs) > 0 {
		return fmt.Errorf("%w: function section without code section", ErrInvalid)
	}
	m.finish()
	return nil
}

// section decodes one section, replacing its payload when it is rewritten.
func (m *module) section(s *section, r *reader) error {
	var err error
	switch s.id {
	case secType:
		err = m.typeSection(r)
	case secImport:
		err = m.importSection(r)
	case secFunction:
		err = m.functionSection(r)
	case secTable:
		s.payload, err = m.limitsSection(r, "table")
	case secMemory:
		s.payload, err = m.limitsSection(r, "memory")
	case secGlobal:
		err = m.globalSection(r)
	case secExport:
		err = m.exportSection(r)
	case secCode:
		m.sawCode = true
		s.payload, err = m.codeSection(r)
	case secElement:
		err = m.elementSection(r)
	case secData:
		err = m.dataSection(r)
	case secStart, secDataCount:
		_, err = r.u32()
	case secCustom:
		err = m.customSection(r)
	}
	if err != nil {
		return err
	}
	switch s.id {
	case secType, secImport, secFunction, secCode, secElement, secData, secStart, secDataCount:
		if r.len() != 0 {
			return r.errorf("section %d has %d trailing bytes", s.id, r.len())
		}
	}
	switch s.id {
	case secType, secGlobal, secExport:
		m.counted[s.id] = len(m.sections)
	}
	return nil
}

func (m *module) valType(r *reader) (byte, error) {
	t, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch t {
	case 0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f:
		return t, nil
	case 0x7b:
		return 0, fmt.Errorf("%w: SIMD (v128)", ErrUnsupported)
	}
	return 0, r.errorf("value type 0x%02x", t)
}

func (m *module) valTypes(r *reader) ([]byte, error) {
	n, err := r.count(1)
	if err != nil {
		return nil, err
	}
	ts := make([]byte, n)
	for i := range ts {
		if ts[i], err = m.valType(r); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func (m *module) typeSection(r *reader) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.types = make([]funcType, n)
	for i := range m.types {
		form, err := r.byte()
		if err != nil {
			return err
		}
		if form != 0x60 {
			return fmt.Errorf("%w: type form 0x%02x (only function types)", ErrUnsupported, form)
		}
		t := &m.types[i]
		if t.params, err = m.valTypes(r); err != nil {
			return err
		}
		if t.results, err = m.valTypes(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *module) importSection(r *reader) error {
	n, err := r.count(4)
	if err != nil {
		return err
	}
	if n > m.opts.MaxImports {
		return fmt.Errorf("%w: %d imports, limit %d", ErrLimit, n, m.opts.MaxImports)
	}
	for range n {
		if err := m.importEntry(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *module) importEntry(r *reader) error {
	mod, err := r.name()
	if err != nil {
		return err
	}
	name, err := r.name()
	if err != nil {
		return err
	}
	kind, err := r.byte()
	if err != nil {
		return err
	}
	switch kind {
	case 0:
		t, err := r.u32()
		if err != nil {
			return err
		}
		if int(t) >= len(m.types) {
			return r.errorf("import %s.%s: type %d out of range", mod, name, t)
		}
		m.importedFuncs++
	case 1, 2:
		return fmt.Errorf("%w: imported table or memory %s.%s", ErrUnsupported, mod, name)
	case 3:
		if _, err := m.valType(r); err != nil {
			return err
		}
		if _, err := r.byte(); err != nil {
			return err
		}
		m.importedGlobals++
	default:
		return r.errorf("import kind %d", kind)
	}
	if m.opts.AllowImport == nil || !m.opts.AllowImport(mod, name) {
		return fmt.Errorf("%w: %s.%s", ErrForbiddenImport, mod, name)
	}
	return nil
}

func (m *module) functionSection(r *reader) error {
	n, err := r.count(1)
	if err != nil {
		return err
	}
	if n > m.opts.MaxFunctions {
		return fmt.Errorf("%w: %d functions, limit %d", ErrLimit, n, m.opts.MaxFunctions)
	}
	m.funcs = make([]uint32, n)
	for i := range m.funcs {
		t, err := r.u32()
		if err != nil {
			return err
		}
		if int(t) >= len(m.types) {
			return r.errorf("function %d: type %d out of range", i, t)
		}
		m.funcs[i] = t
	}
	return nil
}

// limitsSection rewrites a table or memory section, clamping each maximum.
func (m *module) limitsSection(r *reader, what string) ([]byte, error) {
	n, err := r.count(2)
	if err != nil {
		return nil, err
	}
	limit := m.opts.MaxTableSize
	if what == "memory" {
		m.memories += n
		if m.memories > 1 {
			return nil, fmt.Errorf("%w: multiple memories", ErrUnsupported)
		}
		limit = m.opts.MaxMemoryPages
	}
	out := appendU32(nil, uint32(n))
	for range n {
		if what == "table" {
			t, err := r.byte()
			if err != nil {
				return nil, err
			}
			if t != 0x70 && t != 0x6f {
				return nil, r.errorf("table element type 0x%02x", t)
			}
			out = append(out, t)
		}
		if out, err = m.limits(r, what, limit, out); err != nil {
			return nil, err
		}
	}
	if r.len() != 0 {
		return nil, r.errorf("%s section has trailing bytes", what)
	}
	return out, nil
}

func (m *module) limits(r *reader, what string, limit uint32, out []byte) ([]byte, error) {
	flag, err := r.byte()
	if err != nil {
		return nil, err
	}
	if flag > 1 {
		return nil, fmt.Errorf("%w: %s limits flag 0x%02x (shared or 64-bit)", ErrUnsupported, what, flag)
	}
	min, err := r.u32()
	if err != nil {
		return nil, err
	}
	max := limit
	if flag == 1 {
		if max, err = r.u32(); err != nil {
			return nil, err
		}
		max = clamp(max, min, limit)
	}
	if min > limit {
		return nil, fmt.Errorf("%w: %s minimum %d above %d", ErrLimit, what, min, limit)
	}
	out = append(out, 1)
	out = appendU32(out, min)
	return appendU32(out, max), nil
}

// clamp lowers max to limit, but never below min: a module whose max is
// below its min is invalid and stays so, for wazero to refuse.
func clamp(max, min, limit uint32) uint32 {
	if max > limit && min <= limit {
		return limit
	}
	return max
}

func (m *module) globalSection(r *reader) error {
	n, err := r.count(3)
	m.definedGlobals = n
	return err
}

func (m *module) exportSection(r *reader) error {
	n, err := r.count(3)
	if err != nil {
		return err
	}
	m.exports = make(map[string]bool, n)
	for range n {
		name, err := r.name()
		if err != nil {
			return err
		}
		if _, err := r.byte(); err != nil {
			return err
		}
		if _, err := r.u32(); err != nil {
			return err
		}
		if name == FuelGlobal || name == DepthGlobal {
			return fmt.Errorf("%w: the module already exports %s", ErrInvalid, name)
		}
		m.exports[name] = true
	}
	m.exportCount = n
	if r.len() != 0 {
		return r.errorf("export section has trailing bytes")
	}
	return nil
}

// finish appends the new types, globals and exports, creating the sections
// that are missing.
func (m *module) finish() {
	m.setGlobals()
	if len(m.extraTypes) > 0 {
		var add []byte
		for _, t := range m.extraTypes {
			add = append(add, 0x60)
			add = appendU32(add, uint32(len(t.params)))
			add = append(add, t.params...)
			add = appendU32(add, uint32(len(t.results)))
			add = append(add, t.results...)
		}
		m.grow(secType, len(m.types), len(m.extraTypes), add)
	}
	globals := []byte{0x7e, 1, 0x42}
	globals = appendS64(globals, m.opts.InitialFuel)
	globals = append(globals, 0x0b, 0x7f, 1, 0x41, 0, 0x0b)
	m.grow(secGlobal, m.definedGlobals, 2, globals)
	var exports []byte
	for i, name := range []string{FuelGlobal, DepthGlobal} {
		exports = appendU32(exports, uint32(len(name)))
		exports = append(exports, name...)
		exports = append(exports, 3)
		exports = appendU32(exports, m.fuelIdx+uint32(i))
	}
	m.grow(secExport, m.exportCount, 2, exports)
}

// grow appends n entries (encoded in add) to the vector section id that
// holds count entries, creating the section if it is missing.
func (m *module) grow(id byte, count, n int, add []byte) {
	payload := appendU32(nil, uint32(count+n))
	i, ok := m.counted[id]
	if !ok {
		payload = append(payload, add...)
		m.insert(section{id: id, payload: payload})
		return
	}
	old := &reader{b: m.sections[i].payload}
	old.u32() // decoded before: cannot fail
	payload = append(payload, old.b[old.pos:]...)
	m.sections[i].payload = append(payload, add...)
}

// insert adds a new section before the first non-custom section that must
// follow it.
func (m *module) insert(s section) {
	at := len(m.sections)
	for i, t := range m.sections {
		if t.id != secCustom && rank[t.id] > rank[s.id] {
			at = i
			break
		}
	}
	m.sections = append(m.sections, section{})
	copy(m.sections[at+1:], m.sections[at:])
	m.sections[at] = s
	for id, i := range m.counted {
		if i >= at {
			m.counted[id] = i + 1
		}
	}
}

func (m *module) encode() []byte {
	size := len(header)
	for _, s := range m.sections {
		size += 6 + len(s.payload)
	}
	out := make([]byte, 0, size)
	out = append(out, header...)
	for _, s := range m.sections {
		out = append(out, s.id)
		out = appendU32(out, uint32(len(s.payload)))
		out = append(out, s.payload...)
	}
	return out
}

// setGlobals places the fuel and depth globals after all others.
func (m *module) setGlobals() {
	m.fuelIdx = uint32(m.importedGlobals + m.definedGlobals)
	m.depthIdx = m.fuelIdx + 1
}
