package ids

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
)

// FuzzDescription checks that decoding never panics and that whatever
// decodes re-encodes to the input byte for byte.
func FuzzDescription(f *testing.F) {
	for _, d := range []Description{RootDescription(0), RootDescription(1 << 31), ChildDescription(hashOf(9), 12, 3)} {
		f.Add(codec.Marshal(d))
	}
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Description
		if codec.Unmarshal(data, &d) != nil {
			return
		}
		if re := codec.Marshal(d); !bytes.Equal(re, data) {
			t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
		}
		_ = d.String()
	})
}

// FuzzAccount checks the binary round trip and the text round trip of an
// Account.
func FuzzAccount(f *testing.F) {
	f.Add(codec.Marshal(Account{Chain: hashOf(1)}))
	f.Add(codec.Marshal(Account{Chain: hashOf(1), Owner: hashOf(2)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Account
		if codec.Unmarshal(data, &a) != nil {
			return
		}
		if re := codec.Marshal(a); !bytes.Equal(re, data) {
			t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
		}
		if back, err := ParseAccount(a.String()); err != nil || back != a {
			t.Fatalf("ParseAccount(%q) = %v, %v, want %v", a.String(), back, err, a)
		}
	})
}
