package vault

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// suiteVector is testdata/suite-vector.json: one PBKDF2-HMAC-SHA256 and
// AES-256-GCM computation made by another implementation (Python's hashlib
// and pyca/cryptography). Every suite must give exactly these bytes.
type suiteVector struct {
	Password   string `json:"password"`
	Salt       string `json:"salt"`
	Iterations int    `json:"iterations"`
	Nonce      string `json:"nonce"`
	AAD        string `json:"aad"`
	Plaintext  string `json:"plaintext"`
	Key        string `json:"key"`
	Ciphertext string `json:"ciphertext"`
}

// suites returns the suites of this build: the platform's (WebCrypto
// under js) and the Go standard library's.
func suites() []suite {
	if p := platform(); p.name() != (goSuite{}).name() {
		return []suite{p, goSuite{}}
	}
	return []suite{goSuite{}}
}

func TestSuiteVector(t *testing.T) {
	var v suiteVector
	readJSON(t, "testdata/suite-vector.json", &v)
	salt, nonce := mustHex(t, v.Salt), mustHex(t, v.Nonce)
	for _, s := range suites() {
		key, err := s.deriveKey(v.Password, salt, v.Iterations)
		if err != nil {
			t.Fatalf("%s: deriveKey: %v", s.name(), err)
		}
		checkHex(t, s.name()+" key", key, v.Key)
		ct, err := s.seal(key, nonce, []byte(v.Plaintext), []byte(v.AAD))
		if err != nil {
			t.Fatalf("%s: seal: %v", s.name(), err)
		}
		checkHex(t, s.name()+" ciphertext", ct, v.Ciphertext)
		pt, err := s.open(key, nonce, mustHex(t, v.Ciphertext), []byte(v.AAD))
		if err != nil || string(pt) != v.Plaintext {
			t.Errorf("%s: open = %q, %v; want %q", s.name(), pt, err, v.Plaintext)
		}
	}
}

// TestSuiteAuthenticates checks that a change to the ciphertext, the
// nonce or the additional data (here: a lowered iteration count in the
// header) makes open fail, in every suite.
func TestSuiteAuthenticates(t *testing.T) {
	var v suiteVector
	readJSON(t, "testdata/suite-vector.json", &v)
	key, nonce, ct := mustHex(t, v.Key), mustHex(t, v.Nonce), mustHex(t, v.Ciphertext)
	downgraded := strings.Replace(v.AAD, " 1000 ", " 1 ", 1)
	for _, s := range suites() {
		for name, args := range map[string][3][]byte{
			"ciphertext":      {nonce, flip(ct, 3), []byte(v.AAD)},
			"tag":             {nonce, flip(ct, len(ct)-1), []byte(v.AAD)},
			"nonce":           {flip(nonce, 0), ct, []byte(v.AAD)},
			"downgraded aad":  {nonce, ct, []byte(downgraded)},
			"truncated":       {nonce, ct[:len(ct)-1], []byte(v.AAD)},
			"only a tag long": {nonce, ct[:16], []byte(v.AAD)},
		} {
			if pt, err := s.open(key, args[0], args[1], args[2]); !errors.Is(err, errAuth) {
				t.Errorf("%s: open with altered %s = %q, %v; want errAuth", s.name(), name, pt, err)
			}
		}
		if _, err := s.seal(key[:16], nonce, nil, nil); err == nil {
			t.Errorf("%s: seal with a 16-byte key succeeded, want an error", s.name())
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}
