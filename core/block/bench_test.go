package block

import (
	"testing"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// benchBlocks are the blocks the encoding benchmarks use: one transfer
// (the common wallet block) and 100 transfers.
func benchBlocks() []struct {
	name  string
	block Block
} {
	return []struct {
		name  string
		block Block
	}{
		{"transfer-1", transferBlock(1)},
		{"transfers-100", transferBlock(100)},
	}
}

func BenchmarkEncodeBlock(b *testing.B) {
	for _, bb := range benchBlocks() {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(codec.Marshal(bb.block))))
			for b.Loop() {
				codec.Marshal(bb.block)
			}
		})
	}
}

func BenchmarkDecodeBlock(b *testing.B) {
	for _, bb := range benchBlocks() {
		b.Run(bb.name, func(b *testing.B) {
			enc := codec.Marshal(bb.block)
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				var d Block
				if err := codec.Unmarshal(enc, &d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHash(b *testing.B) {
	for _, e := range []struct {
		name string
		e    *Executed
	}{
		{"executed-transfer-1", executedOf(transferBlock(1))},
		{"executed-transfers-100", executedOf(transferBlock(100))},
	} {
		b.Run(e.name, func(b *testing.B) {
			b.SetBytes(int64(len(codec.Marshal(e.e))))
			for b.Loop() {
				ids.Of("block", e.e)
			}
		})
	}
	b.Run("sum-1KiB", func(b *testing.B) {
		data := make([]byte, 1024)
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			ids.Sum("blob", data)
		}
	})
}

// benchCertificate returns a committee of n validators of weight 1 and a
// certificate signed by the first quorum of them.
func benchCertificate(b *testing.B, n int) (testCommittee, *Certificate) {
	tc := newCommittee(b, equalWeights(n)...)
	signers := make([]int, tc.Quorum())
	for i := range signers {
		signers[i] = i
	}
	c := tc.certify(confirmed(executedOf(transferBlock(1))), ml0, signers...)
	if err := c.Verify(tc.Committee); err != nil {
		b.Fatal(err)
	}
	return tc, c
}

func benchmarkCertificateVerify(b *testing.B, n int) {
	tc, c := benchCertificate(b, n)
	for b.Loop() {
		if err := c.Verify(tc.Committee); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.Signatures)), "sigs/op")
}

// BenchmarkCertificateVerify4 verifies a certificate of 3 signatures, the
// quorum of 4 validators.
func BenchmarkCertificateVerify4(b *testing.B) { benchmarkCertificateVerify(b, 4) }

// BenchmarkCertificateVerify100 verifies a certificate of 67 signatures,
// the quorum of 100 validators.
func BenchmarkCertificateVerify100(b *testing.B) { benchmarkCertificateVerify(b, 100) }
