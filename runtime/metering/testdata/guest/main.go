// Command guest is a Go reactor used by the metering tests: its export does
// some work with maps, strings and loops.
package main

import (
	"sort"
	"strconv"
	"strings"
)

func main() {}

//go:wasmexport work
func work(n int32) int64 {
	counts := map[string]int{}
	var b strings.Builder
	for i := int32(0); i < n; i++ {
		w := "w" + strconv.Itoa(int(i%97))
		counts[w]++
		b.WriteString(w)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var h int64
	for _, k := range keys {
		for _, c := range []byte(k) {
			h = h*31 + int64(c)
		}
		h += int64(counts[k])
	}
	s := b.String()
	return h ^ int64(len(s)) ^ int64(strings.Count(s, "w1"))
}

// hash is a tight arithmetic loop: FNV-1a over a buffer, n rounds.
//
//go:wasmexport hash
func hash(n int32) int64 {
	buf := make([]byte, 4096)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	h := uint64(14695981039346656037)
	for range n {
		for _, c := range buf {
			h ^= uint64(c)
			h *= 1099511628211
		}
		buf[h%4096]++
	}
	return int64(h)
}
