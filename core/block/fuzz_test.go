package block

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
)

// Every fuzz target decodes arbitrary bytes with codec.Unmarshal, which
// must never panic, and re-encodes whatever decodes: the result must be
// the input byte for byte, or one value would have two encodings and two
// hashes.

// fuzzSeeds returns the values the corpora start from.
func fuzzSeeds(tb testing.TB) (tc testCommittee, blocks []Block, executed []*Executed, certs []*Certificate) {
	tc = newCommittee(tb, equalWeights(4)...)
	blocks = []Block{sampleBlock(), transferBlock(1), transferBlock(3), {}}
	executed = []*Executed{sampleExecuted(), executedOf(transferBlock(2)), {}}
	certs = []*Certificate{
		tc.certify(confirmed(sampleExecuted()), ml0, 0, 1, 2),
		tc.certify(validated(executedOf(transferBlock(1))), Round{Kind: SingleLeader, Number: 2}, 1, 2, 3),
		tc.certify(Value{Kind: Timeout, Timeout: TimeoutValue{Chain: testChain, Height: 3, Epoch: 1}}, ml1, 0, 2, 3),
	}
	return tc, blocks, executed, certs
}

// checkRoundTrip is the body of every fuzz target.
func checkRoundTrip(t *testing.T, data []byte, v interface {
	codec.Encoder
	codec.Decoder
}) bool {
	if codec.Unmarshal(data, v) != nil {
		return false
	}
	if re := codec.Marshal(v); !bytes.Equal(re, data) {
		t.Fatalf("decode→encode changed the input:\n%x\n%x", data, re)
	}
	return true
}

func FuzzBlock(f *testing.F) {
	_, blocks, _, _ := fuzzSeeds(f)
	for i := range blocks {
		f.Add(codec.Marshal(&blocks[i]))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Block
		if checkRoundTrip(t, data, &b) {
			b.Hash()
		}
	})
}

func FuzzExecuted(f *testing.F) {
	_, _, executed, _ := fuzzSeeds(f)
	for _, e := range executed {
		f.Add(codec.Marshal(e))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Executed
		if !checkRoundTrip(t, data, &e) {
			return
		}
		h := e.Hash()
		for _, r := range e.Recipients() {
			if len(e.Bundles(h, r)) == 0 {
				t.Fatalf("Bundles(recipient %v) is empty", r.Short())
			}
		}
	})
}

func FuzzProposal(f *testing.F) {
	_, blocks, _, certs := fuzzSeeds(f)
	f.Add(codec.Marshal(NewProposal(blocks[0], ml0, owner, nil)))
	f.Add(codec.Marshal(NewProposal(blocks[1], Round{Kind: Fast}, owner, nil)))
	f.Add(codec.Marshal(NewProposal(blocks[0], ml1, owner, certs[1])))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Proposal
		if checkRoundTrip(t, data, &p) {
			_ = p.Verify()
		}
	})
}

func FuzzCertificate(f *testing.F) {
	tc, _, _, certs := fuzzSeeds(f)
	for _, c := range certs {
		f.Add(codec.Marshal(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Certificate
		if checkRoundTrip(t, data, &c) {
			_ = c.Verify(tc.Committee)
		}
	})
}

func FuzzVote(f *testing.F) {
	tc, _, executed, certs := fuzzSeeds(f)
	f.Add(codec.Marshal(ptr(NewVote(validated(executed[0]), ml0, tc.keys[0]))))
	f.Add(codec.Marshal(ptr(NewVote(certs[2].Value, ml1, tc.keys[1]))))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Vote
		if checkRoundTrip(t, data, &v) {
			_ = v.Verify()
		}
	})
}

func FuzzBundle(f *testing.F) {
	_, _, executed, _ := fuzzSeeds(f)
	e := executed[0]
	for _, r := range e.Recipients() {
		for _, b := range e.Bundles(e.Hash(), r) {
			f.Add(codec.Marshal(b))
		}
	}
	f.Add(codec.Marshal(Bundle{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Bundle
		if checkRoundTrip(t, data, &b) {
			b.Skippable()
		}
	})
}
