package metering

import "fmt"

// instructions walks the body's instructions up to the function's final
// end, copying them to b.out with the metering added.
func (b *body) instructions() error {
	r := &b.r
	for {
		start := r.pos
		op, err := r.byte()
		if err != nil {
			return err
		}
		if b.cur >= 0 {
			b.inserts[b.cur].cost++
		}
		done, err := b.instruction(op, start)
		if err != nil {
			return err
		}
		if done {
			if r.len() != 0 {
				return r.errorf("%d bytes after the function's end", r.len())
			}
			return nil
		}
	}
}

// instruction handles one instruction whose opcode op is at start; done
// reports the function's final end.
func (b *body) instruction(op byte, start int) (done bool, err error) {
	r := &b.r
	switch {
	case op >= 0x45 && op <= 0xc4: // numeric: no immediates
		if b.m.opts.CanonicalizeNaN && nanOp[op] != 0 {
			b.flush(r.pos)
			b.canonical(nanOp[op] == 2)
		}
		return false, nil
	case op >= 0x20 && op <= 0x26: // local.*, global.*, table.get/set
		_, err = r.u32()
		return false, err
	case op >= 0x28 && op <= 0x3e:
		return false, b.memarg()
	}
	switch op {
	case 0x00: // unreachable
		b.cur = -1
	case 0x01, 0x1a, 0x1b, 0xd1: // nop, drop, select, ref.is_null
	case 0x02: // block
		b.depth++
		return false, b.blockType()
	case 0x03, 0x04: // loop, if
		b.depth++
		err = b.blockType()
		b.split(op == 0x03)
	case 0x05: // else
		b.split(false)
	case 0x0b: // end
		return b.end(start), nil
	case 0x0c: // br
		_, err = r.u32()
		b.cur = -1
	case 0x0d: // br_if
		_, err = r.u32()
		b.split(false)
	case 0x0e:
		err = b.brTable()
		b.cur = -1
	case 0x0f: // return
		b.flush(start)
		b.out = b.exit(b.out)
		b.cur = -1
	case 0x10, 0xd2: // call, ref.func
		_, err = r.u32()
	case 0x11: // call_indirect
		if _, err = r.u32(); err == nil {
			_, err = r.u32()
		}
	case 0x1c: // select t*
		_, err = b.m.valTypes(r)
	case 0x3f, 0x40: // memory.size, memory.grow
		if op == 0x40 {
			b.flush(start)
			b.dynamic(b.m.opts.MemoryGrowCost, false)
		}
		err = b.zero()
	case 0x41:
		_, err = r.signed(32)
	case 0x42:
		_, err = r.signed(64)
	case 0x43:
		_, err = r.bytes(4)
	case 0x44:
		_, err = r.bytes(8)
	case 0xd0: // ref.null
		_, err = b.refType()
	case 0xfc:
		err = b.prefixFC(start)
	default:
		err = unknown(r, op)
	}
	return false, err
}

// nanOp marks the float instructions whose NaN results are canonicalized:
// 1 for f32 results, 2 for f64. Sign operations (abs, neg, copysign) only
// move bits and need nothing.
var nanOp = func() (t [256]byte) {
	for op := 0x8d; op <= 0x97; op++ { // f32.ceil … f32.max
		t[op] = 1
	}
	for op := 0x9b; op <= 0xa5; op++ { // f64.ceil … f64.max
		t[op] = 2
	}
	t[0xb6] = 1 // f32.demote_f64
	t[0xbb] = 2 // f64.promote_f32
	return t
}()

func unknown(r *reader, op byte) error {
	switch op {
	case 0xfd:
		return fmt.Errorf("%w: SIMD instruction", ErrUnsupported)
	case 0xfe:
		return fmt.Errorf("%w: threads (atomic instruction)", ErrUnsupported)
	case 0x12, 0x13, 0x14, 0x15:
		return fmt.Errorf("%w: tail calls and typed function references", ErrUnsupported)
	case 0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f:
		return fmt.Errorf("%w: exception handling", ErrUnsupported)
	}
	return r.errorf("unknown opcode 0x%02x", op)
}

// end handles an end: the function's last one becomes the end of the
// prologue's block, the depth decrement and the function's end.
func (b *body) end(start int) bool {
	b.depth--
	if b.depth > 0 {
		b.split(false)
		return false
	}
	b.flush(start)
	b.out = append(b.out, 0x0b)
	b.out = append(b.exit(b.out), 0x0b)
	b.runStart = b.r.pos
	return true
}

func (b *body) blockType() error {
	r := &b.r
	if r.len() == 0 {
		return r.errorf("unexpected end")
	}
	switch c := r.b[r.pos]; c {
	case 0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f:
		r.pos++
		return nil
	case 0x7b:
		return fmt.Errorf("%w: SIMD (v128 block)", ErrUnsupported)
	}
	i, err := r.signed(33)
	if err != nil {
		return err
	}
	if i < 0 || i >= int64(len(b.m.types)) {
		return r.errorf("block type %d", i)
	}
	return nil
}

func (b *body) brTable() error {
	n, err := b.r.count(1)
	if err != nil {
		return err
	}
	for range n + 1 {
		if _, err := b.r.u32(); err != nil {
			return err
		}
	}
	return nil
}

func (b *body) memarg() error {
	align, err := b.r.u32()
	if err != nil {
		return err
	}
	if align >= 64 {
		return fmt.Errorf("%w: multiple memories (memory index in memarg)", ErrUnsupported)
	}
	_, err = b.r.u32()
	return err
}

// zero reads a memory index, which must be 0.
func (b *body) zero() error {
	c, err := b.r.byte()
	if err == nil && c != 0 {
		return fmt.Errorf("%w: multiple memories (memory index %d)", ErrUnsupported, c)
	}
	return err
}

func (b *body) refType() (byte, error) {
	t, err := b.r.byte()
	if err == nil && t != 0x70 && t != 0x6f {
		return 0, b.r.errorf("reference type 0x%02x", t)
	}
	return t, err
}

// prefixFC handles the 0xFC instructions: saturating truncations, bulk
// memory and table instructions.
func (b *body) prefixFC(start int) error {
	r := &b.r
	sub, err := r.u32()
	if err != nil {
		return err
	}
	switch sub {
	case 8, 10, 11, 12, 14, 15, 17: // bulk: the length is on top of the stack
		b.flush(start)
		b.dynamic(b.m.opts.BulkByteCost, true)
	}
	switch sub {
	case 0, 1, 2, 3, 4, 5, 6, 7: // trunc_sat
	case 8: // memory.init
		if _, err = r.u32(); err == nil {
			err = b.zero()
		}
	case 9, 13, 15, 16, 17: // data.drop, elem.drop, table.grow/size/fill
		_, err = r.u32()
	case 10: // memory.copy
		if err = b.zero(); err == nil {
			err = b.zero()
		}
	case 11: // memory.fill
		err = b.zero()
	case 12, 14: // table.init, table.copy
		if _, err = r.u32(); err == nil {
			_, err = r.u32()
		}
	default:
		return r.errorf("unknown instruction 0xfc %d", sub)
	}
	return err
}
