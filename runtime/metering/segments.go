package metering

// The element, data, start and data count sections are copied unchanged,
// but decoded first: wazero allocates by the counts they declare, so they
// must be checked against the bytes that remain.

func (m *module) elementSection(r *reader) error {
	n, err := r.count(2)
	if err != nil {
		return err
	}
	for range n {
		if err := m.element(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *module) element(r *reader) error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if flags > 7 {
		return r.errorf("element segment flags %d", flags)
	}
	if flags&2 != 0 && flags&1 == 0 { // explicit table index
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	if flags&1 == 0 { // active: an offset expression
		if err := m.constExpr(r); err != nil {
			return err
		}
	}
	if flags&3 != 0 { // element kind or reference type
		if _, err := r.byte(); err != nil {
			return err
		}
	}
	if flags&4 == 0 { // function indices
		n, err := r.count(1)
		if err != nil {
			return err
		}
		for range n {
			if _, err := r.u32(); err != nil {
				return err
			}
		}
		return nil
	}
	n, err := r.count(2)
	if err != nil {
		return err
	}
	for range n {
		if err := m.constExpr(r); err != nil {
			return err
		}
	}
	return nil
}

// constExpr skips a constant expression and its end.
func (m *module) constExpr(r *reader) error {
	for {
		op, err := r.byte()
		if err != nil {
			return err
		}
		switch op {
		case 0x0b:
			return nil
		case 0x41:
			_, err = r.signed(32)
		case 0x42:
			_, err = r.signed(64)
		case 0x43:
			_, err = r.bytes(4)
		case 0x44:
			_, err = r.bytes(8)
		case 0x23, 0xd2: // global.get, ref.func
			_, err = r.u32()
		case 0xd0: // ref.null
			_, err = r.byte()
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constant arithmetic
		default:
			return r.errorf("opcode 0x%02x in a constant expression", op)
		}
		if err != nil {
			return err
		}
	}
}

func (m *module) dataSection(r *reader) error {
	n, err := r.count(1)
	if err != nil {
		return err
	}
	for range n {
		flags, err := r.u32()
		if err != nil {
			return err
		}
		switch flags {
		case 2:
			if _, err := r.u32(); err != nil {
				return err
			}
			fallthrough
		case 0:
			err = m.constExpr(r)
		case 1:
		default:
			err = r.errorf("data segment flags %d", flags)
		}
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if _, err := r.bytes(int(size)); err != nil {
			return err
		}
	}
	return nil
}

// customSection checks a custom section's name and, for the "name"
// section, that every name fits in its subsection, since wazero decodes it
// too.
func (m *module) customSection(r *reader) error {
	name, err := r.name()
	if err != nil || name != "name" {
		return err
	}
	for r.len() > 0 {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		off := r.off + r.pos
		b, err := r.bytes(int(size))
		if err != nil {
			return err
		}
		if err := nameSubsection(id, &reader{b: b, off: off}); err != nil {
			return err
		}
	}
	return nil
}

// nameSubsection checks a module (0), function (1) or local (2) names
// subsection; others are skipped by wazero too.
func nameSubsection(id byte, r *reader) error {
	var err error
	switch id {
	case 0:
		_, err = r.name()
	case 1:
		err = nameMap(r)
	case 2:
		var n int
		if n, err = r.count(2); err != nil {
			return err
		}
		for range n {
			if _, err = r.u32(); err != nil {
				return err
			}
			if err = nameMap(r); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	if err == nil && r.len() != 0 {
		err = r.errorf("name subsection %d has trailing bytes", id)
	}
	return err
}

func nameMap(r *reader) error {
	n, err := r.count(2)
	if err != nil {
		return err
	}
	for range n {
		if _, err := r.u32(); err != nil {
			return err
		}
		if _, err := r.name(); err != nil {
			return err
		}
	}
	return nil
}
