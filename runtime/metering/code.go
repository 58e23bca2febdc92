package metering

import "fmt"

// Scratch local kinds.
const (
	scratchI32 = iota
	scratchF32
	scratchF64
)

var scratchType = [...]byte{scratchI32: 0x7f, scratchF32: 0x7d, scratchF64: 0x7c}

// insert is a fuel charge to write at offset at of the rewritten code.
type insert struct {
	at    int
	cost  uint32
	check bool
}

// body rewrites one function body. One body is reused for all functions of
// a module, keeping its buffers.
type body struct {
	m        *module
	r        reader
	out      []byte   // the rewritten instructions, without the charges
	inserts  []insert // the charges, by increasing offset
	cur      int      // the insert counting the current basic block; -1 in dead code
	runStart int      // r.b[runStart:r.pos] is still to be copied to out
	depth    int      // open control blocks, the function's own included
	nLocals  uint32   // parameters and declared locals
	scratch  [3]int32 // index of each scratch local, -1 until used
	added    []byte   // types of the added locals, in index order
	dst      []byte   // the whole rewritten body
}

func (m *module) codeSection(r *reader) ([]byte, error) {
	m.setGlobals()
	n, err := r.count(2)
	if err != nil {
		return nil, err
	}
	if n != len(m.funcs) {
		return nil, r.errorf("%d function bodies for %d functions", n, len(m.funcs))
	}
	out := make([]byte, 0, len(r.b)+len(r.b)/2+64)
	out = appendU32(out, uint32(n))
	b := &body{m: m}
	for i := range n {
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		off := r.off + r.pos
		code, err := r.bytes(int(size))
		if err != nil {
			return nil, err
		}
		if err := b.rewrite(code, off, m.types[m.funcs[i]]); err != nil {
			return nil, fmt.Errorf("function %d: %w", m.importedFuncs+i, err)
		}
		out = appendU32(out, uint32(len(b.dst)))
		out = append(out, b.dst...)
	}
	return out, nil
}

// rewrite sets b.dst to the metered version of code.
func (b *body) rewrite(code []byte, off int, t funcType) error {
	*b = body{m: b.m, r: reader{b: code, off: off}, out: b.out[:0], inserts: b.inserts[:0],
		depth: 1, scratch: [3]int32{-1, -1, -1}, added: b.added[:0], dst: b.dst[:0]}
	decls, declEnd, err := b.locals(t)
	if err != nil {
		return err
	}
	if err := b.checkFrame(len(code)); err != nil {
		return err
	}
	b.prologue(t)
	b.runStart = b.r.pos
	if err := b.instructions(); err != nil {
		return err
	}
	b.assemble(code[:declEnd], decls)
	return nil
}

// locals reads the local declarations, returning their number and end.
func (b *body) locals(t funcType) (decls, end int, err error) {
	r := &b.r
	if decls, err = r.count(2); err != nil {
		return 0, 0, err
	}
	var total uint64
	for range decls {
		n, err := r.u32()
		if err != nil {
			return 0, 0, err
		}
		if _, err := b.m.valType(r); err != nil {
			return 0, 0, err
		}
		total += uint64(n)
		if total > uint64(b.m.opts.MaxLocals) {
			return 0, 0, fmt.Errorf("%w: more than %d locals", ErrLimit, b.m.opts.MaxLocals)
		}
	}
	b.nLocals = uint32(len(t.params)) + uint32(total)
	return decls, r.pos, nil
}

// stackBudget bounds the native stack MaxCallDepth frames of one function
// may use, well below the 400 MB after which wazero's compiler reports a
// stack overflow: recursion must end with the depth trap in both engines,
// never with a stack overflow in one of them.
const stackBudget = 256 << 20

// checkFrame refuses a function whose frame may be too large for
// MaxCallDepth recursive calls. A frame holds at most the parameters, the
// locals and one 8-byte slot per value the code computes, which is at most
// one per byte of code, plus a few slots of bookkeeping.
func (b *body) checkFrame(codeSize int) error {
	slots := uint64(b.nLocals) + uint64(codeSize) + 64
	if slots*8*uint64(b.m.opts.MaxCallDepth) > stackBudget {
		return fmt.Errorf("%w: a %d-byte function with %d locals may overflow the stack at call depth %d",
			ErrLimit, codeSize, b.nLocals, b.m.opts.MaxCallDepth)
	}
	return nil
}

// prologue counts the call and opens the block that every exit of the
// original body reaches (a branch to the function's label now ends it).
func (b *body) prologue(t funcType) {
	d := b.m.depthIdx
	o := b.out
	o = append(o, 0x23)
	o = appendU32(o, d)
	o = append(o, 0x41, 1, 0x6a, 0x24) // i32.const 1; i32.add; global.set
	o = appendU32(o, d)
	o = append(o, 0x23)
	o = appendU32(o, d)
	o = append(o, 0x41)
	o = appendS64(o, int64(int32(b.m.opts.MaxCallDepth)))
	o = append(o, 0x4b, 0x04, 0x40, 0x00, 0x0b) // i32.gt_u; if; unreachable; end
	o = append(o, 0x02)                         // block
	o = b.m.blockType(o, t.results)
	b.out = o
	b.inserts = append(b.inserts, insert{at: len(o), check: true})
}

// blockType appends the block type of a block yielding results.
func (m *module) blockType(o []byte, results []byte) []byte {
	switch len(results) {
	case 0:
		return append(o, 0x40)
	case 1:
		return append(o, results[0])
	}
	if m.typeIndex == nil {
		m.typeIndex = map[string]int{}
	}
	i, ok := m.typeIndex[string(results)]
	if !ok {
		i = len(m.types) + len(m.extraTypes)
		m.typeIndex[string(results)] = i
		m.extraTypes = append(m.extraTypes, funcType{results: results})
	}
	return appendS64(o, int64(i))
}

// exit appends what runs before the function returns: a fuel check (so a
// call never completes with negative fuel) and the depth decrement.
func (b *body) exit(o []byte) []byte {
	o = b.check(o)
	o = append(o, 0x23)
	o = appendU32(o, b.m.depthIdx)
	o = append(o, 0x41, 1, 0x6b, 0x24) // i32.const 1; i32.sub; global.set
	return appendU32(o, b.m.depthIdx)
}

// flush copies the input up to end to out.
func (b *body) flush(end int) {
	b.out = append(b.out, b.r.b[b.runStart:end]...)
	b.runStart = end
}

// split starts a basic block after the current instruction.
func (b *body) split(check bool) {
	at := len(b.out) + b.r.pos - b.runStart
	b.inserts = append(b.inserts, insert{at: at, check: check})
	b.cur = len(b.inserts) - 1
}

// local returns the index of a scratch local of kind k, adding it once.
func (b *body) local(k int) uint32 {
	if b.scratch[k] < 0 {
		b.scratch[k] = int32(len(b.added))
		b.added = append(b.added, scratchType[k])
	}
	return b.nLocals + uint32(b.scratch[k])
}

// assemble writes b.dst: the local declarations with the scratch locals,
// then the code with the charges inserted.
func (b *body) assemble(decls []byte, n int) {
	d := appendU32(b.dst, uint32(n+len(b.added)))
	r := reader{b: decls}
	r.u32() // decoded before: cannot fail
	d = append(d, decls[r.pos:]...)
	for _, t := range b.added {
		d = append(d, 1, t)
	}
	prev := 0
	for _, in := range b.inserts {
		if in.cost == 0 && !in.check {
			continue
		}
		d = append(d, b.out[prev:in.at]...)
		d = b.charge(d, in)
		prev = in.at
	}
	b.dst = append(d, b.out[prev:]...)
}

// charge appends: fuel -= cost, then a trap if fuel < 0 when in.check.
func (b *body) charge(o []byte, in insert) []byte {
	f := b.m.fuelIdx
	if in.cost > 0 {
		o = append(o, 0x23)
		o = appendU32(o, f)
		o = append(o, 0x42)
		o = appendS64(o, int64(in.cost))
		o = append(o, 0x7d, 0x24) // i64.sub; global.set
		o = appendU32(o, f)
	}
	if in.check {
		o = b.check(o)
	}
	return o
}

// check appends a trap taken when fuel < 0.
func (b *body) check(o []byte) []byte {
	o = append(o, 0x23)
	o = appendU32(o, b.m.fuelIdx)
	return append(o, 0x42, 0, 0x53, 0x04, 0x40, 0x00, 0x0b) // i64.const 0; i64.lt_s; if; unreachable; end
}

// dynamic appends a charge of cost per unit (per 64 units if chunked) of
// the i32 on top of the stack, which it leaves in place.
func (b *body) dynamic(cost uint64, chunked bool) {
	if cost == 0 {
		return
	}
	s := b.local(scratchI32)
	o := append(b.out, 0x22)
	o = appendU32(o, s)
	o = append(o, 0xad) // i64.extend_i32_u
	if chunked {
		o = append(o, 0x42, 63, 0x7c, 0x42, 6, 0x88) // +63, >>6
	}
	o = append(o, 0x42)
	o = appendS64(o, -int64(cost))
	o = append(o, 0x7e, 0x23) // i64.mul; global.get
	o = appendU32(o, b.m.fuelIdx)
	o = append(o, 0x7c, 0x24) // i64.add; global.set
	o = appendU32(o, b.m.fuelIdx)
	o = b.check(o)
	o = append(o, 0x20)
	b.out = appendU32(o, s)
}

// canonical appends the replacement of a NaN on top of the stack by the
// canonical NaN.
func (b *body) canonical(f64 bool) {
	k, nan, eq := scratchF32, nan32, byte(0x5b) // f32.eq
	if f64 {
		k, nan, eq = scratchF64, nan64, 0x61 // f64.eq
	}
	s := b.local(k)
	o := append(b.out, 0x22)
	o = appendU32(o, s)
	o = append(o, nan...)
	o = append(o, 0x20)
	o = appendU32(o, s)
	o = append(o, 0x20)
	o = appendU32(o, s)
	b.out = append(o, eq, 0x1b) // eq; select
}

// The canonical NaNs as f32.const and f64.const instructions.
var (
	nan32 = []byte{0x43, 0, 0, 0xc0, 0x7f}
	nan64 = []byte{0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f}
)
