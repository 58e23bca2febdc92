package keys

import (
	"testing"

	"github.com/myriadchain/myriad/core/ids"
)

func BenchmarkSign(b *testing.B) {
	k, h := NewPrivateKey(seedOf(1)), ids.Sum("bench", nil)
	for b.Loop() {
		k.Sign("vote", h)
	}
}

func BenchmarkVerify(b *testing.B) {
	k, h := NewPrivateKey(seedOf(1)), ids.Sum("bench", nil)
	pub, sig := k.Public(), k.Sign("vote", h)
	for b.Loop() {
		if err := pub.Verify("vote", h, sig); err != nil {
			b.Fatal(err)
		}
	}
}
