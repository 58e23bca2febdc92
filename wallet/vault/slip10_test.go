package vault

import (
	"errors"
	"testing"
)

// slip10Vector is one of SLIP-0010's ed25519 test vectors
// (testdata/slip10-ed25519.json, copied from the SLIP's text): a seed and,
// for each step of a path, the chain code, private key and public key
// (SLIP-0010 writes ed25519 public keys with a 00 prefix).
type slip10Vector struct {
	Name   string `json:"name"`
	Seed   string `json:"seed"`
	Chains []struct {
		Path      string `json:"path"`
		ChainCode string `json:"chain_code"`
		Private   string `json:"private"`
		Public    string `json:"public"`
	} `json:"chains"`
}

func TestSLIP10Vectors(t *testing.T) {
	var vectors []slip10Vector
	readJSON(t, "testdata/slip10-ed25519.json", &vectors)
	if len(vectors) != 2 {
		t.Fatalf("read %d vectors, want 2", len(vectors))
	}
	for _, v := range vectors {
		seed := mustHex(t, v.Seed)
		for _, c := range v.Chains {
			p, err := ParsePath(c.Path)
			if err != nil {
				t.Fatalf("%s: ParsePath(%q): %v", v.Name, c.Path, err)
			}
			n, err := derive(seed, p)
			if err != nil {
				t.Fatalf("%s %s: derive: %v", v.Name, c.Path, err)
			}
			pub := n.publicKey()
			checkHex(t, v.Name+" "+c.Path+" chain code", n.chainCode[:], c.ChainCode)
			checkHex(t, v.Name+" "+c.Path+" private key", n.key[:], c.Private)
			checkHex(t, v.Name+" "+c.Path+" public key", append([]byte{0}, pub[:]...), c.Public)
			k, err := DeriveKey(seed, p)
			if err != nil || k.Public() != pub {
				t.Errorf("%s %s: DeriveKey = %v, %v; want public key %s", v.Name, c.Path, k, err, pub)
			}
		}
	}
}

// TestMyriadPath pins the keys of Myriad's path for BIP-39's all-"abandon"
// phrase without passphrase, so another implementation (a hardware
// wallet, a JavaScript one) can check itself against ours. The values were
// also computed with Python's hmac, hashlib and pyca/cryptography.
func TestMyriadPath(t *testing.T) {
	seed, err := Seed("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "")
	if err != nil {
		t.Fatal(err)
	}
	for account, want := range []string{
		"c38a1faf5b1fee7d45737717517788b8b1f9c176b2061753e8a72e30b00c43ba",
		"7ec71384df268795076977fd805cf233d7df23b2c2208ac7e1f7269279764691",
	} {
		p, _ := AccountPath(uint32(account))
		k, err := DeriveKey(seed, p)
		if err != nil {
			t.Fatalf("DeriveKey(%s): %v", p, err)
		}
		if got := k.Public().String(); got != want {
			t.Errorf("public key at %s = %s, want %s", p, got, want)
		}
	}
}

func TestNonHardened(t *testing.T) {
	n, err := master(make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []uint32{0, 1, Hardened - 1} {
		if _, err := n.child(i); !errors.Is(err, ErrNotHardened) {
			t.Errorf("child(%d) = %v, want ErrNotHardened", i, err)
		}
	}
	if _, err := DeriveKey(make([]byte, 16), Path{Hardened + 44, 0}); !errors.Is(err, ErrNotHardened) {
		t.Errorf("DeriveKey(m/44'/0) = %v, want ErrNotHardened", err)
	}
	for _, s := range []string{"m/0", "m/44'/19801'/0'/0/0", "m/1'/2"} {
		if _, err := ParsePath(s); !errors.Is(err, ErrNotHardened) {
			t.Errorf("ParsePath(%q) = %v, want ErrNotHardened", s, err)
		}
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"m", "m"},
		{"m/44'/19801'/0'/0'/0'", "m/44'/19801'/0'/0'/0'"},
		{"m/44h/19801H/7'", "m/44'/19801'/7'"},
		{"m/2147483647'", "m/2147483647'"},
	} {
		p, err := ParsePath(tc.in)
		if err != nil || p.String() != tc.want {
			t.Errorf("ParsePath(%q) = %v, %v; want %s", tc.in, p, err, tc.want)
		}
	}
	for _, s := range []string{"", "M/0'", "m/", "m//0'", "m/2147483648'", "m/-1'", "m/x'", "m/0''", "44'/0'", "m/+1'"} {
		if p, err := ParsePath(s); !errors.Is(err, ErrPath) {
			t.Errorf("ParsePath(%q) = %v, %v; want ErrPath", s, p, err)
		}
	}
}

func TestAccountPath(t *testing.T) {
	p, err := AccountPath(3)
	if err != nil || p.String() != "m/44'/19801'/3'/0'/0'" {
		t.Errorf("AccountPath(3) = %v, %v; want m/44'/19801'/3'/0'/0'", p, err)
	}
	if _, err := AccountPath(Hardened); !errors.Is(err, ErrPath) {
		t.Errorf("AccountPath(2^31) = %v, want ErrPath", err)
	}
}

func TestMasterSeedSize(t *testing.T) {
	for _, n := range []int{0, 15, 65} {
		if _, err := master(make([]byte, n)); err == nil {
			t.Errorf("master of a %d-byte seed succeeded, want an error", n)
		}
	}
}
