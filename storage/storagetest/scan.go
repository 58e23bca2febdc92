package storagetest

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

// edgeKeys are keys that trip up comparisons that are not bytewise: empty,
// NUL bytes, bytes with the high bit set, 0xff runs and a key of the
// largest size allowed, all 0xff. They are listed in ascending order.
var edgeKeys = []string{
	"",
	"\x00",
	"\x00\x00",
	"\x00\x01",
	"\x01",
	"a",
	"a\x00",
	"ab",
	"a\xff",
	"b",
	"\x7f",
	"\x80",
	"\xfe\xff",
	"\xff",
	"\xff\x00",
	"\xff\xff",
	"\xff\xff\xff",
	strings.Repeat("\xff", kv.MaxKeySize),
}

// putEdgeKeys stores every edge key, in a shuffled order, with its index as
// value, and returns the expected sorted contents.
func putEdgeKeys(t *testing.T, s kv.Store) []pair {
	t.Helper()
	var want []pair
	for i, k := range edgeKeys {
		want = append(want, pair{k, string(rune('A' + i))})
	}
	shuffled := slices.Clone(want)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	for _, p := range shuffled {
		put(t, s, p.key, p.value)
	}
	if !sorted(want) {
		t.Fatal("storagetest: edgeKeys not in ascending order")
	}
	return want
}

func testScanOrder(t *testing.T, s kv.Store) {
	wantDump(t, s, "", nil)
	want := putEdgeKeys(t, s)
	wantDump(t, s, "", want)
}

func testScanPrefix(t *testing.T, s kv.Store) {
	all := putEdgeKeys(t, s)
	var nilPrefix []pair
	if err := s.Scan(t.Context(), nil, func(k, v []byte) error {
		nilPrefix = append(nilPrefix, pair{string(k), string(v)})
		return nil
	}); err != nil {
		t.Fatalf("Scan(nil) = %v", err)
	}
	if !equalPairs(nilPrefix, all) {
		t.Errorf("Scan(nil) = %v, want %v", nilPrefix, all)
	}
	prefixes := []string{
		"", "\x00", "\x00\x00", "a", "ab", "abc", "\x7f", "\x80", "\xfe",
		"\xff", "\xff\xff", "\xff\xff\xff", "\xff\xff\xff\xff",
		strings.Repeat("\xff", kv.MaxKeySize), "c",
	}
	for _, p := range prefixes {
		wantDump(t, s, p, withPrefix(all, p))
	}
	// A prefix equal to a key includes that key.
	if got := dump(t, s, "ab"); len(got) != 1 || got[0].key != "ab" {
		t.Errorf("Scan(%q) = %v, want just the key itself", "ab", got)
	}
}

func testScanStop(t *testing.T, s kv.Store) {
	for _, k := range []string{"k0", "k1", "k2", "k3", "k4", "k5"} {
		put(t, s, k, k)
	}
	var seen []string
	err := s.Scan(t.Context(), b("k"), func(k, _ []byte) error {
		seen = append(seen, string(k))
		if len(seen) == 3 {
			return kv.Stop
		}
		return nil
	})
	if err != nil || !slices.Equal(seen, []string{"k0", "k1", "k2"}) {
		t.Errorf("Scan stopping at 3 = %v after %q, want nil after k0 k1 k2", err, seen)
	}

	boom := errors.New("boom")
	seen = nil
	err = s.Scan(t.Context(), b("k"), func(k, _ []byte) error {
		seen = append(seen, string(k))
		if len(seen) == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || len(seen) != 2 {
		t.Errorf("Scan failing at 2 = %v after %q, want boom after 2 keys", err, seen)
	}
}

// testScanSnapshot writes from inside a scan callback: the scan must see
// the store as it was when the scan began.
func testScanSnapshot(t *testing.T, s kv.Store) {
	put(t, s, "s1", "a", "s3", "b", "s5", "c", "s7", "d", "t", "outside")
	before := dump(t, s, "s")
	var got []pair
	err := s.Scan(t.Context(), b("s"), func(k, v []byte) error {
		got = append(got, pair{string(k), string(v)})
		if len(got) == 1 {
			var batch kv.Batch
			batch.Put(b("s2"), b("new"))  // before the cursor's next key
			batch.Put(b("s6"), b("new"))  // ahead of the cursor
			batch.Put(b("s5"), b("over")) // overwrite ahead
			batch.Delete(b("s7"))         // delete ahead
			batch.Put(b("s9"), b("new"))  // past the end
			batch.Delete(b("s1"))         // the current key
			apply(t, s, &batch)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if !equalPairs(got, before) {
		t.Errorf("Scan with writes in callback = %v, want the snapshot %v", got, before)
	}
	wantDump(t, s, "s", pairs("s2", "new", "s3", "b", "s5", "over", "s6", "new", "s9", "new"))

	// Values handed to the callback stay right even when the callback
	// writes between keys.
	got = nil
	err = s.Scan(t.Context(), b("s"), func(k, v []byte) error {
		got = append(got, pair{string(k), string(v)})
		var batch kv.Batch
		batch.DeletePrefix(b("s"))
		apply(t, s, &batch)
		return nil
	})
	if err != nil || len(got) != 5 || got[4] != (pair{"s9", "new"}) {
		t.Errorf("Scan deleting everything in callback = %v, %v, want all 5 keys", got, err)
	}
	wantDump(t, s, "", pairs("t", "outside"))
}
