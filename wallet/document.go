package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/wallet/vault"
)

// Format versions of the wallet file. Open reads both and refuses
// versions it does not know rather than misread them.
const (
	// Version is the format Create writes: key seeds in plain hex
	// (KeyFormat "plain-hex"), so anyone who reads the file can spend.
	// The CLI writes it.
	Version = 1
	// VersionVault is the format CreateVault writes: the keys' secrets are
	// sealed with a password in the document's Vault (KeyFormat "vault");
	// public keys, owners and derivation paths stay in clear.
	VersionVault = 2
)

// Key formats, one per format version.
const (
	KeyFormatPlain = "plain-hex"
	KeyFormatVault = "vault"
)

// ErrFormat is returned (wrapped) for a wallet file that cannot be used.
var ErrFormat = errors.New("wallet: bad wallet file")

// Document is the content of a wallet file, stored as indented JSON.
type Document struct {
	Version   int    `json:"version"`
	KeyFormat string `json:"key_format"`
	// Genesis is the network the wallet belongs to.
	Genesis *chain.Genesis `json:"genesis"`
	// Faucet is the faucet the wallet was made from, if any.
	Faucet string `json:"faucet,omitzero"`
	// Vault holds the sealed secrets of the keys (format version 2).
	Vault *vault.Sealed `json:"vault,omitempty"`
	Keys  []Key         `json:"keys"`
	// Chains are the chains the wallet tracks, in the order it met them.
	Chains []Chain `json:"chains"`
	// Default is the chain commands use when none is named (zero: none).
	Default ids.ChainID `json:"default,omitzero"`
	// Addresses are where the user reaches validators instead of the
	// addresses the committee gives, by public key (SetValidatorAddress).
	Addresses map[keys.PublicKey]string `json:"addresses,omitempty"`
}

// Key is one of the user's signing keys.
type Key struct {
	Owner     ids.Owner      `json:"owner"`
	PublicKey keys.PublicKey `json:"public_key"`
	// Seed is the ed25519 seed in hex, unencrypted (format version 1).
	Seed string `json:"seed,omitzero"`
	// Path is the derivation path (vault.AccountPath) of a key derived
	// from the vault's recovery phrase; empty for a key imported into the
	// vault (format version 2).
	Path string `json:"path,omitzero"`
}

// Chain is a chain the wallet tracks.
type Chain struct {
	ID ids.ChainID `json:"id"`
	// Owner names the key the wallet signs the chain's blocks with; zero
	// for a chain the wallet only follows.
	Owner       ids.Owner   `json:"owner,omitzero"`
	Description Description `json:"description"`
}

// Description is an ids.Description in JSON: {"root": N} for a genesis
// chain, {"parent": CHAIN, "height": H, "index": I} for a chain opened by
// the OpenChain operation at that height of the parent.
type Description struct{ ids.Description }

type descriptionJSON struct {
	Root   *uint32      `json:"root,omitempty"`
	Parent *ids.ChainID `json:"parent,omitempty"`
	Height uint64       `json:"height,omitzero"`
	Index  uint32       `json:"index,omitzero"`
}

// MarshalJSON encodes d.
func (d Description) MarshalJSON() ([]byte, error) {
	if d.IsRoot {
		return json.Marshal(descriptionJSON{Root: &d.Root})
	}
	return json.Marshal(descriptionJSON{Parent: &d.Parent, Height: d.Height, Index: d.Index})
}

// UnmarshalJSON decodes d, requiring exactly one of root and parent.
func (d *Description) UnmarshalJSON(b []byte) error {
	var j descriptionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	switch {
	case j.Root != nil && j.Parent == nil:
		d.Description = ids.RootDescription(*j.Root)
	case j.Parent != nil && j.Root == nil:
		d.Description = ids.ChildDescription(*j.Parent, j.Height, j.Index)
	default:
		return fmt.Errorf("wallet: chain description needs exactly one of root and parent")
	}
	return nil
}

// NewKey returns the Key entry of k.
func NewKey(k *keys.PrivateKey) Key {
	seed := k.Seed()
	return Key{Owner: k.Owner(), PublicKey: k.Public(), Seed: hex.EncodeToString(seed[:])}
}

// PrivateKey decodes the key's seed (format version 1) and checks it
// against its owner. A key sealed in a vault has no seed here: the
// wallet's Key method gives it.
func (k Key) PrivateKey() (*keys.PrivateKey, error) {
	if k.Seed == "" {
		return nil, fmt.Errorf("wallet: key %s is sealed in the vault, not in the document", k.Owner.Short())
	}
	var seed [keys.SeedSize]byte
	b, err := hex.DecodeString(k.Seed)
	if err != nil || len(b) != keys.SeedSize {
		return nil, fmt.Errorf("%w: key %s: seed is not %d bytes of hex", ErrFormat, k.Owner.Short(), keys.SeedSize)
	}
	copy(seed[:], b)
	pk := keys.NewPrivateKey(seed)
	if pk.Owner() != k.Owner || pk.Public() != k.PublicKey {
		return nil, fmt.Errorf("%w: key %s: seed does not match owner and public key", ErrFormat, k.Owner.Short())
	}
	return pk, nil
}

// Marshal encodes d as indented JSON.
func (d *Document) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("wallet: encode wallet file: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseDocument decodes and checks a wallet file.
func ParseDocument(b []byte) (*Document, error) {
	d := new(Document)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(d); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Document) check() error {
	var err error
	switch d.Version {
	case Version:
		err = d.checkPlainKeys()
	case VersionVault:
		err = d.checkVaultKeys()
	default:
		return fmt.Errorf("%w: format version %d, this program reads versions %d and %d", ErrFormat, d.Version, Version, VersionVault)
	}
	if err != nil {
		return err
	}
	if err := checkGenesis(d.Genesis); err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return d.checkChains()
}

// checkPlainKeys checks the keys of format version 1: seeds in clear.
func (d *Document) checkPlainKeys() error {
	if d.KeyFormat != KeyFormatPlain || d.Vault != nil {
		return fmt.Errorf("%w: format version %d needs key format %q and no vault", ErrFormat, Version, KeyFormatPlain)
	}
	for _, k := range d.Keys {
		if k.Path != "" {
			return fmt.Errorf("%w: key %s: a derivation path in format version %d", ErrFormat, k.Owner.Short(), Version)
		}
		if _, err := k.PrivateKey(); err != nil {
			return err
		}
	}
	return nil
}

// checkVaultKeys checks the keys of format version 2: a well-formed vault,
// and public keys and paths in clear. Whether the vault holds these keys
// is checked when it is unlocked.
func (d *Document) checkVaultKeys() error {
	if d.KeyFormat != KeyFormatVault || d.Vault == nil {
		return fmt.Errorf("%w: format version %d needs key format %q and a vault", ErrFormat, VersionVault, KeyFormatVault)
	}
	if err := d.Vault.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	for _, k := range d.Keys {
		if k.Seed != "" {
			return fmt.Errorf("%w: key %s: a seed in clear in format version %d", ErrFormat, k.Owner.Short(), VersionVault)
		}
		if k.PublicKey.Owner() != k.Owner {
			return fmt.Errorf("%w: key %s: owner is not its public key's", ErrFormat, k.Owner.Short())
		}
		if _, err := k.path(); err != nil {
			return err
		}
	}
	return nil
}

// path parses the key's derivation path; nil for an imported key.
func (k Key) path() (vault.Path, error) {
	if k.Path == "" {
		return nil, nil
	}
	p, err := vault.ParsePath(k.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: key %s: %w", ErrFormat, k.Owner.Short(), err)
	}
	return p, nil
}

func (d *Document) checkChains() error {
	seen := map[ids.ChainID]bool{}
	for _, c := range d.Chains {
		if c.Description.ID() != c.ID {
			return fmt.Errorf("%w: chain %s: description %s names another chain", ErrFormat, c.ID.Short(), c.Description)
		}
		if seen[c.ID] {
			return fmt.Errorf("%w: chain %s listed twice", ErrFormat, c.ID.Short())
		}
		seen[c.ID] = true
		if !c.Owner.IsZero() && d.key(c.Owner) == nil {
			return fmt.Errorf("%w: chain %s: no key for owner %s", ErrFormat, c.ID.Short(), c.Owner.Short())
		}
	}
	if !d.Default.IsZero() && !seen[d.Default] {
		return fmt.Errorf("%w: default chain %s is not tracked", ErrFormat, d.Default.Short())
	}
	return nil
}

func (d *Document) key(owner ids.Owner) *Key {
	for i := range d.Keys {
		if d.Keys[i].Owner == owner {
			return &d.Keys[i]
		}
	}
	return nil
}

func (d *Document) chain(id ids.ChainID) *Chain {
	for i := range d.Chains {
		if d.Chains[i].ID == id {
			return &d.Chains[i]
		}
	}
	return nil
}

// checkGenesis checks g and rebuilds its committee, whose totals are not
// part of the JSON.
func checkGenesis(g *chain.Genesis) error {
	if g == nil || g.Committee == nil {
		return errors.New("wallet: genesis without committee")
	}
	com, err := committee.New(g.Committee.Validators, g.Committee.Policy)
	if err != nil {
		return fmt.Errorf("genesis: %w", err)
	}
	g.Committee = com
	if len(g.Chains) == 0 {
		return errors.New("genesis: no chains")
	}
	for i, c := range g.Chains {
		if err := c.Ownership.Validate(); err != nil {
			return fmt.Errorf("genesis chain %d: %w", i, err)
		}
	}
	return nil
}

// ParseGenesis decodes a genesis in the JSON the wallet file keeps it in
// (chain.Genesis with encoding/json's field names) and checks it.
func ParseGenesis(b []byte) (*chain.Genesis, error) {
	g := new(chain.Genesis)
	if err := json.Unmarshal(b, g); err != nil {
		return nil, fmt.Errorf("wallet: decode genesis: %w", err)
	}
	if err := checkGenesis(g); err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	return g, nil
}

// MarshalGenesis encodes g as ParseGenesis reads it.
func MarshalGenesis(g *chain.Genesis) ([]byte, error) {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("wallet: encode genesis: %w", err)
	}
	return append(b, '\n'), nil
}
