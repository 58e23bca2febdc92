package cqlstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
)

// benchStore opens the store to compare: pebble on disk (synced commits)
// or CQL on the cluster at QUORUM.
func benchStore(b *testing.B, name string) kv.Store {
	var s kv.Store
	if name == "pebble" {
		p, err := pebblestore.New(pebblestore.Config{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		s = p
	} else {
		s = open(b, config(b, freshNamespace()))
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// chainBatch is a block's worth of writes to one chain: 10 keys of 100
// bytes.
func chainBatch(chain byte, i int) *kv.Batch {
	var b kv.Batch
	for k := range 10 {
		b.Put(chainKey(chain, fmt.Sprintf("k%d", k)), fmt.Appendf(make([]byte, 0, 100), "%0100d", i))
	}
	return &b
}

// BenchmarkApply applies batches of 10 writes to one chain, one writer at
// a time and from 16 goroutines (each its own chain).
func BenchmarkApply(b *testing.B) {
	for _, name := range []string{"pebble", "cql"} {
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/writers=%d", name, par), func(b *testing.B) {
				s := benchStore(b, name)
				var next atomic.Int32
				if par == 1 {
					for i := 0; b.Loop(); i++ {
						if err := s.Apply(b.Context(), chainBatch(0, i)); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				b.SetParallelism(par / 2) // GOMAXPROCS is 2 here
				b.RunParallel(func(pb *testing.PB) {
					chain := byte(next.Add(1))
					for i := 0; pb.Next(); i++ {
						if err := s.Apply(b.Context(), chainBatch(chain, i)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// BenchmarkGet reads one key, and a chain's 10 keys with MultiGet.
func BenchmarkGet(b *testing.B) {
	for _, name := range []string{"pebble", "cql"} {
		b.Run(name, func(b *testing.B) {
			s := benchStore(b, name)
			if err := s.Apply(b.Context(), chainBatch(0, 1)); err != nil {
				b.Fatal(err)
			}
			key := chainKey(0, "k3")
			for b.Loop() {
				if _, err := s.Get(b.Context(), key); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/multiget10", func(b *testing.B) {
			s := benchStore(b, name)
			if err := s.Apply(b.Context(), chainBatch(0, 1)); err != nil {
				b.Fatal(err)
			}
			var keys [][]byte
			for k := range 10 {
				keys = append(keys, chainKey(0, fmt.Sprintf("k%d", k)))
			}
			for b.Loop() {
				if _, err := s.MultiGet(b.Context(), keys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
