package keys

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/vectors.json from the code")

// vectors is testdata/vectors.json: for fixed seeds, the public key, the
// owner and the signature of Hash under Tag. ed25519 is deterministic, so
// a change in any of them is a change of the protocol.
type vectors struct {
	Comment string   `json:"comment"`
	Tag     string   `json:"tag"`
	Hash    ids.Hash `json:"hash"`
	Keys    []vector `json:"keys"`
}

type vector struct {
	Seed      string    `json:"seed"`
	PublicKey PublicKey `json:"public_key"`
	Owner     ids.Owner `json:"owner"`
	Signature string    `json:"signature"`
}

// vectorSeeds are the seeds the vectors cover: all zeros, 0x01..0x20 and
// 0xff…ff.
func vectorSeeds() [][SeedSize]byte {
	return [][SeedSize]byte{{}, seedOf(1), seedOf(0x21), bytes32(0xff)}
}

func bytes32(b byte) [SeedSize]byte {
	var s [SeedSize]byte
	for i := range s {
		s[i] = b
	}
	return s
}

func makeVectors() vectors {
	v := vectors{
		Comment: "ed25519 keys from fixed seeds; signature = Sign(tag, hash); hash = ids.Sum(\"test\", \"myriad\")",
		Tag:     "vote",
		Hash:    ids.Sum("test", []byte("myriad")),
	}
	for _, seed := range vectorSeeds() {
		k := NewPrivateKey(seed)
		sig := k.Sign(v.Tag, v.Hash)
		v.Keys = append(v.Keys, vector{
			Seed:      hex.EncodeToString(seed[:]),
			PublicKey: k.Public(),
			Owner:     k.Owner(),
			Signature: sig.String(),
		})
	}
	return v
}

func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	got, err := json.MarshalIndent(makeVectors(), "", "  ")
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
	// The file's signatures verify under its keys, independently of the code
	// that produced them.
	var file vectors
	if err := json.Unmarshal(want, &file); err != nil {
		t.Fatal(err)
	}
	for _, v := range file.Keys {
		var sig Signature
		b, err := hex.DecodeString(v.Signature)
		if err != nil || len(b) != SignatureSize {
			t.Fatalf("signature %q: %v", v.Signature, err)
		}
		copy(sig[:], b)
		if err := v.PublicKey.Verify(file.Tag, file.Hash, sig); err != nil {
			t.Errorf("vector seed %s: Verify = %v, want nil", v.Seed, err)
		}
		if v.PublicKey.Owner() != v.Owner {
			t.Errorf("vector seed %s: Owner() = %v, want %v", v.Seed, v.PublicKey.Owner(), v.Owner)
		}
	}
}
