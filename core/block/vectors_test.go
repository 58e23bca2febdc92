package block

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/vectors.json from the code")

// vector is one fixed value: its canonical encoding in hex and, for types
// with a hash, that hash. A change in either is a change of the protocol.
type vector struct {
	Name     string `json:"name"`
	Encoding string `json:"encoding"`
	Hash     string `json:"hash,omitempty"`
}

type vectorFile struct {
	Comment   string   `json:"comment"`
	Committee string   `json:"committee"`
	Vectors   []vector `json:"vectors"`
}

// vectorValue is a value in the vectors file, with its hash if it has one.
type vectorValue struct {
	name string
	v    interface {
		codec.Encoder
		codec.Decoder
	}
	hash func() ids.Hash
	// verify checks signatures after decoding, if the value has any.
	verify func(tc testCommittee) error
}

// vectorValues builds the values of testdata/vectors.json: sampleBlock,
// its execution, a confirmed certificate of it by validators 0, 1 and 2 of
// a committee of four (seeds 1–4), a vote, a proposal that carries the
// certificate and a timeout certificate.
func vectorValues(tc testCommittee) []vectorValue {
	b := sampleBlock()
	e := sampleExecuted()
	cert := tc.certify(confirmed(e), ml0, 0, 1, 2)
	timeout := tc.certify(Value{Kind: Timeout, Timeout: TimeoutValue{Chain: testChain, Height: 5, Epoch: 0}}, ml1, 1, 2, 3)
	vote := NewVote(validated(e), ml0, tc.keys[3])
	prop := NewProposal(b, ml1, owner, cert)
	bundle := e.Bundles(e.Hash(), otherChain)[0]
	return []vectorValue{
		{name: "block", v: &b, hash: b.Hash},
		{name: "executed", v: e, hash: e.Hash},
		{name: "bundle", v: &bundle, hash: bundle.Hash},
		{name: "certificate", v: cert, hash: cert.Hash, verify: func(tc testCommittee) error { return cert.Verify(tc.Committee) }},
		{name: "timeout-certificate", v: timeout, hash: timeout.Hash, verify: func(tc testCommittee) error { return timeout.Verify(tc.Committee) }},
		{name: "vote", v: &vote, verify: func(testCommittee) error { return vote.Verify() }},
		{name: "proposal", v: prop, verify: func(tc testCommittee) error {
			if err := prop.Verify(); err != nil {
				return err
			}
			return prop.Locked.Verify(tc.Committee)
		}},
	}
}

// fresh returns an empty value of the same type as vv.v.
func fresh(vv vectorValue) vectorValue {
	switch vv.v.(type) {
	case *Block:
		b := new(Block) // Block.Hash has a value receiver: b.Hash would bind the zero block
		return vectorValue{v: b, hash: func() ids.Hash { return b.Hash() }}
	case *Executed:
		e := new(Executed)
		return vectorValue{v: e, hash: e.Hash}
	case *Bundle:
		b := new(Bundle)
		return vectorValue{v: b, hash: func() ids.Hash { return b.Hash() }}
	case *Certificate:
		c := new(Certificate)
		return vectorValue{v: c, hash: c.Hash, verify: func(tc testCommittee) error { return c.Verify(tc.Committee) }}
	case *Vote:
		v := new(Vote)
		return vectorValue{v: v, verify: func(testCommittee) error { return v.Verify() }}
	case *Proposal:
		p := new(Proposal)
		return vectorValue{v: p, verify: func(tc testCommittee) error {
			if err := p.Verify(); err != nil {
				return err
			}
			return p.Locked.Verify(tc.Committee)
		}}
	}
	panic("fresh: unknown type")
}

func makeVectorFile(tc testCommittee) vectorFile {
	f := vectorFile{
		Comment: "canonical encodings (hex) and hashes of fixed values; committee: four validators of weight 1 " +
			"with ed25519 seeds 0x01..0x20, 0x02..0x21, 0x03..0x22, 0x04..0x23",
		Committee: hex.EncodeToString(codec.Marshal(tc.Committee)),
	}
	for _, vv := range vectorValues(tc) {
		v := vector{Name: vv.name, Encoding: hex.EncodeToString(codec.Marshal(vv.v))}
		if vv.hash != nil {
			v.Hash = vv.hash().String()
		}
		f.Vectors = append(f.Vectors, v)
	}
	return f
}

func TestVectors(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	path := filepath.Join("testdata", "vectors.json")
	got, err := json.MarshalIndent(makeVectorFile(tc), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *rewrite {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -rewrite to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("vectors differ from %s (run go test -rewrite and review the diff):\ngot:\n%s", path, got)
	}
}

// TestVectorsDecode decodes every encoding in the file: it must re-encode
// to the same bytes, hash to the recorded hash and verify.
func TestVectorsDecode(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	raw, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if err := codec.Unmarshal(mustHex(t, f.Committee), tc.Committee); err != nil {
		t.Fatalf("decode committee: %v", err)
	}
	values := vectorValues(tc)
	if len(f.Vectors) != len(values) {
		t.Fatalf("file has %d vectors, want %d", len(f.Vectors), len(values))
	}
	for i, v := range f.Vectors {
		enc := mustHex(t, v.Encoding)
		dec := fresh(values[i])
		if err := codec.Unmarshal(enc, dec.v); err != nil {
			t.Errorf("%s: Unmarshal = %v", v.Name, err)
			continue
		}
		if re := codec.Marshal(dec.v); !bytes.Equal(re, enc) {
			t.Errorf("%s: re-encoding = %x, want %x", v.Name, re, enc)
		}
		if dec.hash != nil && dec.hash().String() != v.Hash {
			t.Errorf("%s: Hash() = %v, want %s", v.Name, dec.hash(), v.Hash)
		}
		if dec.verify != nil {
			if err := dec.verify(tc); err != nil {
				t.Errorf("%s: verify = %v, want nil", v.Name, err)
			}
		}
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
