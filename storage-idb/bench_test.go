//go:build js && wasm

package idbstore_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	idbstore "github.com/myriadchain/myriad/storage-idb"
)

// key returns the i-th benchmark key: 16 bytes, distinct and ascending.
func key(i int) []byte {
	return binary.BigEndian.AppendUint64([]byte("bench/k/"), uint64(i))
}

var value = bytes.Repeat([]byte("v"), 100)

// BenchmarkApply applies batches of 1 and 1000 puts of new 16-byte keys
// with 100-byte values, in durability "strict" (what the store uses) and
// "relaxed" (for comparison). ns/put is the time per put.
func BenchmarkApply(b *testing.B) {
	for _, durability := range []string{"strict", "relaxed"} {
		for _, puts := range []int{1, 1000} {
			b.Run(fmt.Sprintf("%s/puts=%d", durability, puts), func(b *testing.B) {
				if durability == "relaxed" {
					idbstore.SetRelaxed(b)
				}
				benchApply(b, puts)
			})
		}
	}
}

func benchApply(b *testing.B, puts int) {
	s := open(b, freshName(b))
	defer s.Close()
	next := 0
	for b.Loop() {
		b.StopTimer()
		var batch kv.Batch
		for range puts {
			batch.Put(key(next), value)
			next++
		}
		b.StartTimer()
		if err := s.Apply(b.Context(), &batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/put")
}

// fill returns a store holding n pairs from key(0).
func fill(b *testing.B, n int) kv.Store {
	s := open(b, freshName(b))
	b.Cleanup(func() { s.Close() })
	var batch kv.Batch
	for i := range n {
		batch.Put(key(i), value)
	}
	if err := s.Apply(b.Context(), &batch); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkGet(b *testing.B) {
	s := fill(b, 1000)
	i := 0
	for b.Loop() {
		if _, err := s.Get(b.Context(), key(i%1000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScan scans 1000 pairs.
func BenchmarkScan(b *testing.B) {
	s := fill(b, 1000)
	for b.Loop() {
		n := 0
		if err := s.Scan(b.Context(), []byte("bench/"), func(_, _ []byte) error { n++; return nil }); err != nil || n != 1000 {
			b.Fatalf("Scan = %v after %d pairs, want 1000", err, n)
		}
	}
}
