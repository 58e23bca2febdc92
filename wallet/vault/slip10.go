package vault

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/myriadchain/myriad/core/keys"
)

// CoinType is Myriad's BIP-44 coin type: 19801, 0x4D59, "MY" in ASCII. It
// is not registered in SLIP-0044 (docs/keys.md says why it was picked and
// what registering it takes).
const CoinType = 19801

// Hardened is added to an index to harden it: i' is Hardened+i.
const Hardened uint32 = 1 << 31

// Errors of derivation paths.
var (
	ErrNotHardened = errors.New("vault: ed25519 keys (SLIP-0010) have hardened indexes only: write i' for i")
	ErrPath        = errors.New("vault: malformed derivation path")
)

// Path is a derivation path: the indexes after m, each hardened.
type Path []uint32

// AccountPath returns the path of the key of an account:
// m/44'/19801'/account'/0'/0'. account must be below Hardened.
func AccountPath(account uint32) (Path, error) {
	if account >= Hardened {
		return nil, fmt.Errorf("%w: account %d is not below 2^31", ErrPath, account)
	}
	return Path{Hardened + 44, Hardened + CoinType, Hardened + account, Hardened, Hardened}, nil
}

// ParsePath parses a path such as "m/44'/19801'/0'/0'/0'" ("h" or "H" may
// stand for the apostrophe). An index without one is ErrNotHardened.
func ParsePath(s string) (Path, error) {
	parts := strings.Split(s, "/")
	if parts[0] != "m" {
		return nil, fmt.Errorf("%w: %q does not start with m", ErrPath, s)
	}
	p := make(Path, 0, len(parts)-1)
	for i, part := range parts[1:] {
		digits, hardened := strings.CutSuffix(part, "'")
		if !hardened {
			digits, hardened = strings.CutSuffix(strings.ToLower(part), "h")
		}
		n, err := strconv.ParseUint(digits, 10, 31)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: step %d is not an index below 2^31", ErrPath, s, i+1)
		}
		if !hardened {
			return nil, fmt.Errorf("%w (step %d of %q)", ErrNotHardened, i+1, s)
		}
		p = append(p, Hardened+uint32(n))
	}
	return p, nil
}

// String returns p as ParsePath reads it, with apostrophes.
func (p Path) String() string {
	var b strings.Builder
	b.WriteString("m")
	for _, i := range p {
		fmt.Fprintf(&b, "/%d", i&^Hardened)
		if i >= Hardened {
			b.WriteString("'")
		}
	}
	return b.String()
}

// DeriveKey derives the ed25519 key at path p from a BIP-39 seed, as
// SLIP-0010 says: the 32-byte private key it gives is the key's seed
// (keys.NewPrivateKey).
func DeriveKey(seed []byte, p Path) (*keys.PrivateKey, error) {
	n, err := derive(seed, p)
	if err != nil {
		return nil, err
	}
	defer n.wipe()
	return keys.NewPrivateKey(n.key), nil
}

// node is a SLIP-0010 ed25519 extended private key.
type node struct {
	key, chainCode [32]byte
}

// master returns the master node of seed (16 to 64 bytes).
func master(seed []byte) (*node, error) {
	if len(seed) < 16 || len(seed) > 64 {
		return nil, fmt.Errorf("vault: a SLIP-0010 seed has 16 to 64 bytes, not %d", len(seed))
	}
	return split(hmacSHA512([]byte("ed25519 seed"), seed)), nil
}

// child returns the child at index i, which must be hardened.
func (n *node) child(i uint32) (*node, error) {
	if i < Hardened {
		return nil, fmt.Errorf("%w (index %d)", ErrNotHardened, i)
	}
	var data [1 + 32 + 4]byte
	defer clear(data[:])
	copy(data[1:], n.key[:])
	binary.BigEndian.PutUint32(data[33:], i)
	return split(hmacSHA512(n.chainCode[:], data[:])), nil
}

func derive(seed []byte, p Path) (*node, error) {
	n, err := master(seed)
	if err != nil {
		return nil, err
	}
	for _, i := range p {
		next, err := n.child(i)
		n.wipe()
		if err != nil {
			return nil, err
		}
		n = next
	}
	return n, nil
}

// publicKey returns the public key of n's private key.
func (n *node) publicKey() keys.PublicKey { return keys.NewPrivateKey(n.key).Public() }

func (n *node) wipe() {
	if n != nil {
		clear(n.key[:])
		clear(n.chainCode[:])
	}
}

func hmacSHA512(key, data []byte) []byte {
	m := hmac.New(sha512.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// split makes a node of I = IL || IR and zeroes I.
func split(i []byte) *node {
	n := new(node)
	copy(n.key[:], i[:32])
	copy(n.chainCode[:], i[32:])
	clear(i)
	return n
}
