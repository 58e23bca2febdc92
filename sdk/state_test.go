package sdk_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// memStore is a sdk.Store over a map.
type memStore map[string][]byte

func (m memStore) Read(k []byte) ([]byte, bool) { v, ok := m[string(k)]; return v, ok }
func (m memStore) Write(k, v []byte)            { m[string(k)] = bytes.Clone(v) }
func (m memStore) Delete(k []byte)              { delete(m, string(k)) }
func (m memStore) Scan(p []byte) []sdk.KV {
	var out []sdk.KV
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if strings.HasPrefix(k, string(p)) {
			out = append(out, sdk.KV{Key: []byte(k), Value: m[k]})
		}
	}
	return out
}

func TestRegister(t *testing.T) {
	s := memStore{}
	r := sdk.NewRegister[uint64](s, "v")
	if v, ok := r.Lookup(); ok || v != 0 {
		t.Errorf("Lookup() = %d, %v; want 0, false", v, ok)
	}
	r.Set(7)
	if got := r.Get(); got != 7 || string(s["v"]) != "7" {
		t.Errorf("Get() = %d, stored %q; want 7", got, s["v"])
	}
	r.Clear()
	if _, ok := r.Lookup(); ok {
		t.Error("Lookup after Clear: present")
	}
}

func TestMapOrder(t *testing.T) {
	s := memStore{}
	m := sdk.NewMap[uint64, string](s, "m")
	for _, k := range []uint64{300, 2, 1 << 40, 7} {
		m.Set(k, "x")
	}
	m.Delete(7)
	var keys []uint64
	for k := range m.Entries() {
		keys = append(keys, k)
	}
	if want := []uint64{2, 300, 1 << 40}; !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	if m.Has(7) || !m.Has(2) || m.Len() != 3 {
		t.Errorf("Has(7) = %v, Has(2) = %v, Len = %d", m.Has(7), m.Has(2), m.Len())
	}
	h := sdk.NewMap[ids.Owner, int](s, "owners")
	o := ids.Sum("t", []byte("o"))
	h.Set(o, 3)
	for k, v := range h.Entries() {
		if k != o || v != 3 {
			t.Errorf("entry %v = %d, want %v = 3", k, v, o)
		}
	}
	type key struct{ A, B string }
	j := sdk.NewMap[key, bool](s, "j")
	j.Set(key{"a", "b"}, true)
	for k := range j.Entries() {
		if k != (key{"a", "b"}) {
			t.Errorf("JSON key = %v", k)
		}
	}
	strs := sdk.NewMap[string, int](s, "s")
	strs.Set("b", 2)
	strs.Set("a", 1)
	if got := slices.Collect(func(yield func(string) bool) {
		for k := range strs.Entries() {
			if !yield(k) {
				return
			}
		}
	}); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("string keys = %v", got)
	}
}

func TestLogAndQueue(t *testing.T) {
	s := memStore{}
	l := sdk.NewLog[string](s, "l")
	for i, v := range []string{"a", "b", "c"} {
		if got := l.Append(v); got != uint64(i) {
			t.Errorf("Append(%s) = %d, want %d", v, got, i)
		}
	}
	if l.Len() != 3 || l.Get(1) != "b" || !slices.Equal(l.All(), []string{"a", "b", "c"}) {
		t.Errorf("log: Len %d, Get(1) %q, All %v", l.Len(), l.Get(1), l.All())
	}
	q := sdk.NewQueue[int](s, "q")
	if _, ok := q.Pop(); ok {
		t.Error("Pop on empty queue: ok")
	}
	q.Push(1)
	q.Push(2)
	q.Push(3)
	if v, ok := q.Pop(); !ok || v != 1 {
		t.Errorf("Pop() = %d, %v; want 1", v, ok)
	}
	if f, _ := q.Front(); f != 2 || q.Len() != 2 || !slices.Equal(q.All(), []int{2, 3}) {
		t.Errorf("queue: Front %d, Len %d, All %v", f, q.Len(), q.All())
	}
}

func TestCorruptStatePanics(t *testing.T) {
	s := memStore{"v": []byte("{")}
	defer func() {
		if r := recover(); r == nil {
			t.Error("Get of corrupt state: no panic")
		}
	}()
	sdk.NewRegister[uint64](s, "v").Get()
}

func TestFromJSON(t *testing.T) {
	type op struct{ A int }
	if _, err := sdk.ParseJSON[op]([]byte(`{"A":1,"B":2}`)); err == nil {
		t.Error("unknown field accepted")
	}
	if _, err := sdk.ParseJSON[op]([]byte(`{"A":1} {}`)); err == nil {
		t.Error("trailing data accepted")
	}
	if v, err := sdk.ParseJSON[op]([]byte(`{"A":1}`)); err != nil || v.A != 1 {
		t.Errorf("ParseJSON = %v, %v", v, err)
	}
}
