package cqlstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/kv"
)

// chainPartLen is the length of a chain partition: "c/" and a 32-byte id.
const chainPartLen = 2 + 32

// Partitions outside the keys': every key outside a chain's state is in
// globalPart; journalPart holds the journal (k: entry id, c: chunk, -1
// for the commit row); registryPart lists the chain partitions (k).
var (
	globalPart   = []byte("g")
	journalPart  = []byte("\x00journal")
	registryPart = []byte("\x00partitions")
)

// Partition returns the partition of key: its first 34 bytes ("c/" and
// the chain id) if key is in a chain's state, else the fixed partition "g".
func Partition(key []byte) []byte {
	if len(key) >= chainPartLen && key[0] == 'c' && key[1] == '/' {
		return key[:chainPartLen]
	}
	return globalPart
}

// spansChains reports whether keys with prefix may lie in several chain
// partitions (the prefix is shorter than a chain partition and compatible
// with "c/").
func spansChains(prefix []byte) bool {
	if len(prefix) >= chainPartLen {
		return false
	}
	return bytes.HasPrefix(prefix, []byte("c/")) || bytes.HasPrefix([]byte("c/"), prefix)
}

// stmtKind is the kind of one CQL write of a plan.
type stmtKind uint8

const (
	stmtPut        stmtKind = iota // one chunk of a value, at ts+1
	stmtDelete                     // every chunk of key, at ts
	stmtDeleteFrom                 // keys >= key (and < value, if not nil), at ts
	stmtDeletePart                 // the whole partition, at ts
)

// stmt is one CQL write: a batch reduced to its net effect is a list of
// them, each in one partition.
type stmt struct {
	kind   stmtKind
	part   []byte
	key    []byte // for stmtDeleteFrom: the start of the range
	value  []byte // for stmtPut: the chunk; for stmtDeleteFrom: the end (nil: none)
	chunk  int32  // for stmtPut
	chunks int32  // for stmtPut: the number of chunks of the value
	end    bool   // for stmtDeleteFrom: value is an end bound
}

// size estimates the bytes stmt sends.
func (s *stmt) size() int { return len(s.part) + len(s.key) + len(s.value) + 16 }

// plan is a batch reduced to CQL writes: deletes at ts, puts at ts+1.
type plan struct {
	ts    int64
	stmts []stmt
}

// parts returns the distinct partitions the plan writes.
func (p *plan) parts() int {
	seen := map[string]bool{}
	for _, s := range p.stmts {
		seen[string(s.part)] = true
	}
	return len(seen)
}

// size estimates the bytes the plan sends.
func (p *plan) size() int {
	n := 0
	for i := range p.stmts {
		n += p.stmts[i].size()
	}
	return n
}

// reduce returns the net effect of b: the last write of each key, and the
// prefix deletes. A prefix delete drops the earlier writes it covers.
func reduce(b *kv.Batch) (last map[string]*kv.Op, prefixes [][]byte) {
	last = map[string]*kv.Op{}
	for i := range b.Ops {
		op := &b.Ops[i]
		if op.Kind == kv.OpDeletePrefix {
			for k := range last {
				if bytes.HasPrefix([]byte(k), op.Key) {
					delete(last, k)
				}
			}
			prefixes = append(prefixes, op.Key)
			continue
		}
		last[string(op.Key)] = op
	}
	return last, prefixes
}

// newPlan builds the plan of b at timestamp ts. chainParts returns the
// existing chain partitions with a prefix, for prefix deletes that span
// chains.
func newPlan(b *kv.Batch, ts int64, chunkSize int, chainParts func(prefix []byte) ([][]byte, error)) (*plan, error) {
	last, prefixes := reduce(b)
	p := &plan{ts: ts}
	for _, prefix := range prefixes {
		if err := p.deletePrefix(prefix, chainParts); err != nil {
			return nil, err
		}
	}
	keys := make([]string, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		op := last[k]
		key := []byte(k)
		p.stmts = append(p.stmts, stmt{kind: stmtDelete, part: Partition(key), key: key})
		if op.Kind == kv.OpPut {
			p.put(key, op.Value, chunkSize)
		}
	}
	return p, nil
}

// put adds the chunks of value.
func (p *plan) put(key, value []byte, chunkSize int) {
	n := max(1, (len(value)+chunkSize-1)/chunkSize)
	for i := range n {
		chunk := value[min(i*chunkSize, len(value)):min((i+1)*chunkSize, len(value))]
		if chunk == nil {
			chunk = []byte{}
		}
		p.stmts = append(p.stmts, stmt{kind: stmtPut, part: Partition(key), key: key,
			value: chunk, chunk: int32(i), chunks: int32(n)})
	}
}

// deletePrefix adds the deletes of every key with prefix: a range of its
// partition and, for a prefix that spans chains, every chain partition
// under it.
func (p *plan) deletePrefix(prefix []byte, chainParts func([]byte) ([][]byte, error)) error {
	part := Partition(prefix)
	p.stmts = append(p.stmts, rangeDelete(part, prefix))
	if !bytes.Equal(part, globalPart) || !spansChains(prefix) {
		return nil
	}
	parts, err := chainParts(prefix)
	if err != nil {
		return err
	}
	for _, cp := range parts {
		p.stmts = append(p.stmts, stmt{kind: stmtDeletePart, part: cp})
	}
	return nil
}

// rangeDelete deletes the keys with prefix in part.
func rangeDelete(part, prefix []byte) stmt {
	if len(prefix) == 0 {
		return stmt{kind: stmtDeletePart, part: part}
	}
	end := kv.PrefixEnd(prefix)
	return stmt{kind: stmtDeleteFrom, part: part, key: prefix, value: end, end: end != nil}
}

// errBadJournal is returned for a journal entry that does not decode.
var errBadJournal = errors.New("cqlstore: malformed journal entry")

// encode returns the plan as bytes, for the journal.
func (p *plan) encode() []byte {
	out := binary.AppendVarint(nil, p.ts)
	out = binary.AppendUvarint(out, uint64(len(p.stmts)))
	for _, s := range p.stmts {
		flags := byte(s.kind)
		if s.end {
			flags |= 0x80
		}
		out = append(out, flags)
		for _, b := range [][]byte{s.part, s.key, s.value} {
			out = binary.AppendUvarint(out, uint64(len(b)))
			out = append(out, b...)
		}
		out = binary.AppendUvarint(out, uint64(s.chunk))
		out = binary.AppendUvarint(out, uint64(s.chunks))
	}
	return out
}

// decoder reads what encode wrote, recording the first error.
type decoder struct {
	buf []byte
	err error
}

// uvarint reads a minimally encoded uvarint, so that an entry has one
// encoding.
func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 || n != len(binary.AppendUvarint(nil, v)) {
		d.err = errBadJournal
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// int32 reads what encode wrote for an int32.
func (d *decoder) int32() int32 {
	v := d.uvarint()
	if uint64(int32(v)) != v {
		d.err = errBadJournal
	}
	return int32(v)
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.buf)) {
		d.err = errBadJournal
		return nil
	}
	out := d.buf[:n:n]
	d.buf = d.buf[n:]
	return out
}

// decodePlan is the inverse of encode.
func decodePlan(buf []byte) (*plan, error) {
	ts, n := binary.Varint(buf)
	if n <= 0 || n != len(binary.AppendVarint(nil, ts)) {
		return nil, errBadJournal
	}
	d := &decoder{buf: buf[n:]}
	count := d.uvarint()
	if d.err != nil || count > uint64(len(d.buf)) {
		return nil, errBadJournal
	}
	p := &plan{ts: ts, stmts: make([]stmt, 0, count)}
	for range count {
		if len(d.buf) == 0 {
			return nil, errBadJournal
		}
		flags := d.buf[0]
		d.buf = d.buf[1:]
		s := stmt{kind: stmtKind(flags & 0x7f), end: flags&0x80 != 0}
		if s.kind > stmtDeletePart {
			return nil, fmt.Errorf("%w: statement kind %d", errBadJournal, s.kind)
		}
		s.part, s.key, s.value = d.bytes(), d.bytes(), d.bytes()
		s.chunk, s.chunks = d.int32(), d.int32()
		if d.err != nil {
			return nil, fmt.Errorf("%w: statement %d", errBadJournal, len(p.stmts))
		}
		p.stmts = append(p.stmts, s)
	}
	if len(d.buf) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", errBadJournal, len(d.buf))
	}
	return p, nil
}
