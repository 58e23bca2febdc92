package validator

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
)

// GenesisFile is the JSON form of a network's genesis, shared by every
// validator and wallet of the network:
//
//	{
//	  "committee": {
//	    "validators": [
//	      {"public_key": "9f0c…(64 hex)", "weight": 1, "address": "ws://127.0.0.1:9100"}
//	    ],
//	    "policy": "no-fees"
//	  },
//	  "chains": [
//	    {"owner": "5be1…(64 hex)", "balance": "1000000"},
//	    {"owner": "77aa…", "balance": "10.5", "super": true}
//	  ],
//	  "timestamp": 1767225600000000
//	}
//
// Chain i of the list is root chain i; chain 0 is the admin chain. An
// owner is the hex of an ids.Owner (the hash of the owner's public key);
// a balance is a decimal token amount. "super" makes the owner a super
// owner (blocks confirmed in one round trip, in the fast round) instead of
// a regular one (two phases). The policy is "no-fees" or "testnet". The
// timestamp is in microseconds since the Unix epoch.
type GenesisFile struct {
	Committee GenesisCommittee `json:"committee"`
	Chains    []GenesisChain   `json:"chains"`
	Timestamp block.Timestamp  `json:"timestamp"`
}

// GenesisCommittee is the first committee.
type GenesisCommittee struct {
	Validators []GenesisValidator `json:"validators"`
	Policy     string             `json:"policy"`
}

// GenesisValidator is a member of the first committee.
type GenesisValidator struct {
	PublicKey keys.PublicKey `json:"public_key"`
	Weight    uint64         `json:"weight"`
	Address   string         `json:"address"`
}

// GenesisChain is a root chain.
type GenesisChain struct {
	Owner   ids.Owner     `json:"owner"`
	Balance amount.Amount `json:"balance"`
	Super   bool          `json:"super,omitempty"`
}

// Genesis returns the genesis f describes, checked.
func (f *GenesisFile) Genesis() (*chain.Genesis, error) {
	policy, err := committee.PolicyByName(f.Committee.Policy)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	vals := make([]committee.Validator, len(f.Committee.Validators))
	for i, v := range f.Committee.Validators {
		vals[i] = committee.Validator{PublicKey: v.PublicKey, Weight: v.Weight, Address: v.Address}
	}
	com, err := committee.New(vals, policy)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	if len(f.Chains) == 0 {
		return nil, errors.New("genesis: no chains (chain 0 is the admin chain)")
	}
	g := &chain.Genesis{Committee: com, Timestamp: f.Timestamp}
	for i, c := range f.Chains {
		own := manager.Single(c.Owner)
		if c.Super {
			own = manager.SingleSuper(c.Owner)
		}
		if err := own.Validate(); err != nil {
			return nil, fmt.Errorf("genesis: chain %d: %w", i, err)
		}
		g.Chains = append(g.Chains, chain.GenesisChain{Ownership: own, Balance: c.Balance})
	}
	if _, err := g.Supply(); err != nil {
		return nil, err
	}
	return g, nil
}

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

// ParseGenesis reads a genesis file's contents.
func ParseGenesis(b []byte) (*GenesisFile, error) {
	var f GenesisFile
	if err := strictJSON(b, &f); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	return &f, nil
}

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
