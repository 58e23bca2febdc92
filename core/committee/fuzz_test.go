package committee

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
)

// FuzzCommittee checks that decoding never panics, that whatever decodes
// re-encodes to the input byte for byte, and that a decoded committee's
// thresholds and index are consistent.
func FuzzCommittee(f *testing.F) {
	for _, w := range [][]uint64{{1}, {1, 1, 1, 1}, {1, 2, 3, 4, 5, 6, 7}} {
		c, err := New(weighted(w...), NoFees())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(codec.Marshal(c))
	}
	c, _ := New(weighted(3, 1), Testnet())
	f.Add(codec.Marshal(c))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Committee
		if codec.Unmarshal(data, &c) != nil {
			return
		}
		if re := codec.Marshal(&c); !bytes.Equal(re, data) {
			t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
		}
		if c.TotalWeight() == 0 || c.Validity() > c.Quorum() || c.Quorum() > c.TotalWeight() {
			t.Fatalf("total, validity, quorum = %d, %d, %d", c.TotalWeight(), c.Validity(), c.Quorum())
		}
		for i, v := range c.Validators {
			if j, ok := c.Index(v.PublicKey); !ok || j != i {
				t.Fatalf("Index(validator %d) = %d, %v", i, j, ok)
			}
		}
	})
}
