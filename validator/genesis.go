package validator

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/genesis"
	"github.com/myriadchain/myriad/core/keys"
)

// GenesisFile is the JSON form of a network's genesis (genesis.File).
type GenesisFile = genesis.File

// GenesisCommittee is the first committee (genesis.Committee).
type GenesisCommittee = genesis.Committee

// GenesisValidator is a member of the first committee (genesis.Validator).
type GenesisValidator = genesis.Validator

// GenesisChain is a root chain (genesis.Chain).
type GenesisChain = genesis.Chain

// WriteGenesis writes f to path as indented JSON, after checking it.
func WriteGenesis(path string, f *GenesisFile) error {
	if _, err := f.Genesis(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("genesis: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("genesis: %w", err)
	}
	return nil
}

// ReadGenesis reads a genesis file. Unknown fields are refused, so a typo
// is not silently ignored.
func ReadGenesis(path string) (*GenesisFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	return ParseGenesis(b)
}

// ParseGenesis reads a genesis file's contents (genesis.Parse).
func ParseGenesis(b []byte) (*GenesisFile, error) { return genesis.Parse(b) }

// LoadGenesis reads a genesis file and returns the genesis it describes.
func LoadGenesis(path string) (*chain.Genesis, error) {
	f, err := ReadGenesis(path)
	if err != nil {
		return nil, err
	}
	g, err := f.Genesis()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// KeyFile is the JSON form of a validator key, as keygen writes it:
// {"seed": "<64 hex>", "public_key": "<64 hex>"}. Keep it private.
type KeyFile struct {
	Seed      string         `json:"seed"`
	PublicKey keys.PublicKey `json:"public_key"`
}

// WriteKey writes k to path (mode 0600), refusing to overwrite a file.
func WriteKey(path string, k *keys.PrivateKey) error {
	seed := k.Seed()
	b, err := json.MarshalIndent(KeyFile{Seed: hex.EncodeToString(seed[:]), PublicKey: k.Public()}, "", "  ")
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	return f.Close()
}

// LoadKey reads a key file and checks that its public key matches.
func LoadKey(path string) (*keys.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	var kf KeyFile
	if err := strictJSON(b, &kf); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	raw, err := hex.DecodeString(kf.Seed)
	if err != nil || len(raw) != keys.SeedSize {
		return nil, fmt.Errorf("key file %s: seed is not %d hex bytes", path, keys.SeedSize)
	}
	k := keys.NewPrivateKey([keys.SeedSize]byte(raw))
	if !kf.PublicKey.IsZero() && kf.PublicKey != k.Public() {
		return nil, fmt.Errorf("key file %s: public key does not match the seed", path)
	}
	return k, nil
}
