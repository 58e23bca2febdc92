package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/genesis"
	"github.com/myriadchain/myriad/core/ids"
)

// Faucet hands out chains on a network and tells wallets how to join it.
type Faucet interface {
	// Genesis returns the network's genesis.
	Genesis(ctx context.Context) (*chain.Genesis, error)
	// Claim opens a chain owned by owner (ownership manager.Single) with
	// the faucet's configured balance and returns its description.
	Claim(ctx context.Context, owner ids.Owner) (ids.Description, error)
}

// ErrFaucet is returned (wrapped) when a faucet answers with an error.
var ErrFaucet = errors.New("wallet: faucet refused")

// GraphQLFaucet is the client of a faucet's GraphQL endpoint:
//
//	query { genesisConfig }           the genesis, as a JSON object or a string holding one
//	mutation { claim(owner: "HEX") }  the new chain's description: {"parent": CHAIN, "height": H, "index": I}
//	query { chains(owner: "HEX") { chainId description { parent height index } } }
//	                                  the chains opened for owner, oldest first
type GraphQLFaucet struct {
	URL string
	// ParseGenesis decodes genesisConfig; nil: ParseGenesisFile (the
	// format validators, `myriad net up` and the faucets use) or, failing
	// that, ParseGenesis (the wallet document's encoding).
	ParseGenesis func([]byte) (*chain.Genesis, error)
}

// Genesis implements Faucet.
func (f *GraphQLFaucet) Genesis(ctx context.Context) (*chain.Genesis, error) {
	raw, err := f.do(ctx, "query { genesisConfig }", "genesisConfig")
	if err != nil {
		return nil, err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = []byte(s)
	}
	parse := f.ParseGenesis
	if parse == nil {
		parse = parseEitherGenesis
	}
	return parse(raw)
}

// Claim implements Faucet.
func (f *GraphQLFaucet) Claim(ctx context.Context, owner ids.Owner) (ids.Description, error) {
	raw, err := f.do(ctx, fmt.Sprintf("mutation { claim(owner: %q) }", owner.String()), "claim")
	if err != nil {
		return ids.Description{}, err
	}
	var d Description
	if err := json.Unmarshal(raw, &d); err != nil {
		return ids.Description{}, fmt.Errorf("wallet: faucet %s: decode claim: %w", f.URL, err)
	}
	return d.Description, nil
}

// Chains implements ChainFinder. It checks that each description names
// the chain id the faucet gave with it.
func (f *GraphQLFaucet) Chains(ctx context.Context, owner ids.Owner) ([]ids.Description, error) {
	q := fmt.Sprintf("query { chains(owner: %q) { chainId description { parent height index } } }", owner.String())
	raw, err := f.do(ctx, q, "chains")
	if err != nil {
		return nil, err
	}
	var list []struct {
		ChainID     ids.ChainID `json:"chainId"`
		Description Description `json:"description"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("wallet: faucet %s: decode chains: %w", f.URL, err)
	}
	out := make([]ids.Description, len(list))
	for i, c := range list {
		if c.Description.IsRoot || c.Description.ID() != c.ChainID {
			return nil, fmt.Errorf("wallet: faucet %s: chain %s comes with a description of another chain", f.URL, c.ChainID.Short())
		}
		out[i] = c.Description.Description
	}
	return out, nil
}

type gqlResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// maxFaucetAnswer bounds the answer read from a faucet (a genesis is
// far smaller).
const maxFaucetAnswer = 16 << 20

// do posts a GraphQL request and returns the field of its data. The POST
// itself is the platform's (post): net/http natively, fetch in a browser.
func (f *GraphQLFaucet) do(ctx context.Context, query, field string) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	status, b, err := post(ctx, f.URL, "application/json", body)
	if err != nil {
		return nil, fmt.Errorf("wallet: faucet %s: %w", f.URL, err)
	}
	if len(b) > maxFaucetAnswer {
		return nil, fmt.Errorf("wallet: faucet %s: answer larger than %d bytes", f.URL, maxFaucetAnswer)
	}
	var r gqlResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("wallet: faucet %s: HTTP %d, not a GraphQL answer: %.200q", f.URL, status, b)
	}
	if len(r.Errors) > 0 {
		msgs := make([]string, len(r.Errors))
		for i, e := range r.Errors {
			msgs[i] = e.Message
		}
		return nil, fmt.Errorf("%w: %s", ErrFaucet, strings.Join(msgs, "; "))
	}
	v, ok := r.Data[field]
	if !ok || string(v) == "null" {
		return nil, fmt.Errorf("wallet: faucet %s: answer has no %s", f.URL, field)
	}
	return v, nil
}

// RequestChain has the faucet open a chain owned by a key of the wallet,
// and follows that chain; it becomes the default chain if there was none.
// The key is a new one, except in a vault wallet whose newest account owns
// no tracked chain yet (its claim failed): that account's key is used
// again, so that accounts stay in use without gaps (Discover). In a vault
// wallet, if the faucet is a ChainFinder and has already opened chains
// for the key (an earlier claim whose answer was lost, or a restored
// wallet that could not ask the faucet), RequestChain follows them and
// returns the oldest instead of claiming another.
func (w *Wallet) RequestChain(ctx context.Context, f Faucet) (Chain, error) {
	k, err := w.claimKey()
	if err != nil {
		return Chain{}, err
	}
	if c, ok, err := w.adopt(ctx, f, k.Owner); ok || err != nil {
		return c, err
	}
	desc, err := f.Claim(ctx, k.Owner)
	if err != nil {
		return Chain{}, err
	}
	c, err := w.Follow(ctx, desc.ID(), &desc)
	if err != nil {
		return Chain{}, err
	}
	if c.Owner != k.Owner {
		return c, fmt.Errorf("wallet: the faucet's chain %s is not owned by the new key %s", c.ID.Short(), k.Owner.Short())
	}
	return c, nil
}

// ParseGenesisFile decodes a genesis file in the network's format (the one
// validators, `myriad net up` and the faucets write: core/genesis).
func ParseGenesisFile(b []byte) (*chain.Genesis, error) {
	f, err := genesis.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	g, err := f.Genesis()
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	return g, nil
}

func parseEitherGenesis(b []byte) (*chain.Genesis, error) {
	g, err := ParseGenesisFile(b)
	if err == nil {
		return g, nil
	}
	if g, err2 := ParseGenesis(b); err2 == nil {
		return g, nil
	}
	return nil, err
}
