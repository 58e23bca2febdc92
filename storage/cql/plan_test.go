package cqlstore

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

func TestPartition(t *testing.T) {
	chain := append([]byte("c/"), bytes.Repeat([]byte{7}, 32)...)
	tests := []struct {
		key  []byte
		want []byte
	}{
		{nil, globalPart},
		{[]byte("v/genesis"), globalPart},
		{[]byte("v/pending/" + string(chain[2:])), globalPart},
		{[]byte("c/short"), globalPart},
		{chain, chain},
		{append(bytes.Clone(chain), "/x"...), chain},
	}
	for _, tc := range tests {
		if got := Partition(tc.key); !bytes.Equal(got, tc.want) {
			t.Errorf("Partition(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

// TestPlanTimestamps checks the reduction: a put after a delete of its
// key or prefix survives, an earlier one is dropped.
func TestPlanTimestamps(t *testing.T) {
	var b kv.Batch
	b.Put([]byte("a/1"), []byte("gone"))
	b.DeletePrefix([]byte("a/"))
	b.Put([]byte("a/2"), []byte("kept"))
	b.Put([]byte("k"), []byte("x"))
	b.Delete([]byte("k"))
	p, err := newPlan(&b, 100, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var puts []string
	for _, st := range p.stmts {
		if st.kind == stmtPut {
			puts = append(puts, string(st.key)+"="+string(st.value))
		}
	}
	if len(puts) != 2 || puts[0] != "a/2=ke" || puts[1] != "a/2=pt" {
		t.Errorf("puts = %q, want a/2 in two chunks", puts)
	}
	if got, err := decodePlan(p.encode()); err != nil || !bytes.Equal(got.encode(), p.encode()) {
		t.Errorf("decodePlan(encode) = %v, %v, want the plan back", got, err)
	}
}

// FuzzDecodePlan: a journal entry never panics the decoder, and one that
// decodes encodes back to the same bytes.
func FuzzDecodePlan(f *testing.F) {
	var b kv.Batch
	b.Put([]byte("k"), []byte("value"))
	b.Delete([]byte("d"))
	b.DeletePrefix([]byte("p"))
	b.DeletePrefix([]byte("\xff"))
	p, _ := newPlan(&b, 1767225600000000, 3, nil)
	f.Add(p.encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePlan(data)
		if err != nil {
			return
		}
		if got := p.encode(); !bytes.Equal(got, data) {
			t.Fatalf("decodePlan(%x) encodes back to %x", data, got)
		}
	})
}
