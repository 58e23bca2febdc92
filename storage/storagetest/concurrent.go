package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

const (
	writers       = 4
	batchesEach   = 20
	readers       = 4
	readsEach     = 30
	sharedKey     = "shared"
	writerKeyBase = "c/"
)

// testConcurrent runs writers and readers at once. Writer w's batch i sets
// c/w/a and c/w/b to i and adds c/w/n/i, so a reader that sees a batch
// partly, or sees writes go backwards, catches a broken store.
func testConcurrent(t *testing.T, s kv.Store) {
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() { write(t, s, w) })
	}
	for r := range readers {
		wg.Go(func() { read(t, s, r) })
	}
	wg.Wait()

	var lasts []string
	for w := range writers {
		prefix := fmt.Sprintf("%s%d/", writerKeyBase, w)
		last := strconv.Itoa(batchesEach - 1)
		wantGet(t, s, prefix+"a", last)
		wantGet(t, s, prefix+"b", last)
		if n := len(dump(t, s, prefix+"n/")); n != batchesEach {
			t.Errorf("writer %d left %d n/ keys, want %d", w, n, batchesEach)
		}
		lasts = append(lasts, fmt.Sprintf("%d:%s", w, last))
	}
	got, err := s.Get(t.Context(), b(sharedKey))
	if err != nil || !slices.Contains(lasts, string(got)) {
		t.Errorf("Get(%q) = %q, %v, want one of %q", sharedKey, got, err, lasts)
	}
}

func write(t *testing.T, s kv.Store, w int) {
	prefix := fmt.Sprintf("%s%d/", writerKeyBase, w)
	for i := range batchesEach {
		v := b(strconv.Itoa(i))
		var batch kv.Batch
		batch.Put(b(prefix+"a"), v)
		batch.Put(b(fmt.Sprintf("%sn/%03d", prefix, i)), nil)
		batch.Put(b(sharedKey), b(fmt.Sprintf("%d:%d", w, i)))
		batch.Put(b(prefix+"b"), v)
		if err := s.Apply(t.Context(), &batch); err != nil {
			t.Errorf("writer %d: Apply(batch %d) = %v", w, i, err)
			return
		}
	}
}

func read(t *testing.T, s kv.Store, r int) {
	seen := make([]int, writers) // highest batch seen per writer, -1 for none
	for i := range seen {
		seen[i] = -1
	}
	for i := range readsEach {
		w := (r + i) % writers
		n, err := readWriter(t, s, w)
		if err != nil {
			t.Errorf("reader %d, read %d: %v", r, i, err)
			return
		}
		if n < seen[w] {
			t.Errorf("reader %d: writer %d went back from batch %d to %d", r, w, seen[w], n)
			return
		}
		seen[w] = n
	}
}

// readWriter returns the last batch of writer w visible, checking that
// a scan and a multi-get both see whole batches.
func readWriter(t *testing.T, s kv.Store, w int) (int, error) {
	prefix := fmt.Sprintf("%s%d/", writerKeyBase, w)
	vals, err := s.MultiGet(t.Context(), [][]byte{b(prefix + "a"), b(prefix + "b")})
	if err != nil {
		return 0, err
	}
	if string(vals[0]) != string(vals[1]) || (vals[0] == nil) != (vals[1] == nil) {
		return 0, fmt.Errorf("MultiGet sees a=%q b=%q, a torn batch", vals[0], vals[1])
	}
	fromGet := parseBatch(vals[0])

	var a, bv []byte
	count := 0
	err = s.Scan(t.Context(), b(prefix), func(k, v []byte) error {
		switch rest := strings.TrimPrefix(string(k), prefix); {
		case rest == "a":
			a = append([]byte{}, v...)
		case rest == "b":
			bv = append([]byte{}, v...)
		case strings.HasPrefix(rest, "n/"):
			count++
		default:
			return errors.New("unexpected key " + strconv.Quote(string(k)))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := parseBatch(a)
	if string(a) != string(bv) || (a == nil) != (bv == nil) || count != n+1 {
		return 0, fmt.Errorf("Scan sees a=%q b=%q and %d n/ keys, a torn batch", a, bv, count)
	}
	if n < fromGet {
		return 0, fmt.Errorf("Scan sees batch %d after MultiGet saw %d", n, fromGet)
	}
	return n, nil
}

// parseBatch returns the batch number in v, or -1 if v is absent.
func parseBatch(v []byte) int {
	if v == nil {
		return -1
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return -2
	}
	return n
}
