// Package genesis is the JSON file that describes a network's genesis:
// its first committee and its root chains. Validators, wallets and
// faucets (the Worker build included) read the same file:
//
//	f, err := genesis.Parse(fileBytes) // unknown fields are refused
//	g, err := f.Genesis()              // the checked *chain.Genesis
package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
)

// File is the JSON form of a network's genesis, shared by every
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
type File struct {
	Committee Committee       `json:"committee"`
	Chains    []Chain         `json:"chains"`
	Timestamp block.Timestamp `json:"timestamp"`
}

// Committee is the first committee.
type Committee struct {
	Validators []Validator `json:"validators"`
	Policy     string      `json:"policy"`
}

// Validator is a member of the first committee.
type Validator struct {
	PublicKey keys.PublicKey `json:"public_key"`
	Weight    uint64         `json:"weight"`
	Address   string         `json:"address"`
}

// Chain is a root chain.
type Chain struct {
	Owner   ids.Owner     `json:"owner"`
	Balance amount.Amount `json:"balance"`
	Super   bool          `json:"super,omitempty"`
}

// Genesis returns the genesis f describes, checked.
func (f *File) Genesis() (*chain.Genesis, error) {
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

// Parse reads a genesis file's contents. Unknown fields are refused, so a
// typo is not silently ignored.
func Parse(b []byte) (*File, error) {
	var f File
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	return &f, nil
}
