package chain

import (
	"context"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// GenesisChain is one chain created at genesis.
type GenesisChain struct {
	Ownership manager.Ownership
	Balance   amount.Amount
}

// Genesis is a network's starting point: the first committee and the root
// chains. Root chain 0 is the admin chain, which manages committees.
type Genesis struct {
	Committee *committee.Committee
	Chains    []GenesisChain
	Timestamp block.Timestamp
}

// ChainID returns the id of root chain i.
func (g *Genesis) ChainID(i int) ids.ChainID { return ids.RootDescription(uint32(i)).ID() }

// Admin returns the admin chain's id.
func (g *Genesis) Admin() ids.ChainID { return g.ChainID(0) }

// Config returns root chain i's initial state.
func (g *Genesis) Config(i int) *system.Config {
	return &system.Config{
		Description: ids.RootDescription(uint32(i)),
		Ownership:   g.Chains[i].Ownership,
		Balance:     g.Chains[i].Balance,
		Epoch:       0,
		Committees:  system.Committees{{Epoch: 0, Committee: g.Committee}},
		Admin:       g.Admin(),
		Timestamp:   g.Timestamp,
	}
}

// Supply returns the total balance created at genesis.
func (g *Genesis) Supply() (amount.Amount, error) {
	var total amount.Amount
	for _, c := range g.Chains {
		var err error
		if total, err = total.Add(c.Balance); err != nil {
			return total, fmt.Errorf("genesis supply: %w", err)
		}
	}
	return total, nil
}

// Initialize writes every root chain into store in one batch. The admin
// chain starts with every other root chain as a subscriber.
func (g *Genesis) Initialize(ctx context.Context, store kv.Store) error {
	if len(g.Chains) == 0 {
		return fmt.Errorf("chain: genesis has no chains")
	}
	var b kv.Batch
	for i := range g.Chains {
		if err := g.Chains[i].Ownership.Validate(); err != nil {
			return fmt.Errorf("genesis chain %d: %w", i, err)
		}
		s := Open(ctx, store, g.ChainID(i))
		if s.Active() {
			return nil // already initialised
		}
		s.Initialize(g.Config(i))
		if i == 0 {
			for j := 1; j < len(g.Chains); j++ {
				s.System.AddSubscriber(g.ChainID(j))
			}
			s.rehashInitial(g.Timestamp) // subscribers are hashed state

		}
		if err := s.Commit(&b); err != nil {
			return err
		}
	}
	return store.Apply(ctx, &b)
}

// rehashInitial computes the state hash of a chain being created, from its
// pending writes; calling it again after more writes is safe, since the
// committed LtHash of a new chain is empty.
func (s *State) rehashInitial(ts uint64) {
	l := s.ltHash()
	l.Apply([]byte(system.HashedPrefix), s.Tx.Changes())
	s.Tx.Put(keyLtHash, l.Bytes())
	s.setTip(Tip{Timestamp: ts, StateHash: l.Sum()})
}
