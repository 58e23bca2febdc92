package system

import (
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/views"
)

// HashedPrefix is the key prefix, relative to a chain's Tx, of the
// execution state covered by the state hash.
const HashedPrefix = "x/"

// Keys of the system state, relative to a chain's Tx.
var (
	keyConfig     = []byte("x/sys/config") // description, admin, creation time
	keyEpoch      = []byte("x/sys/epoch")
	keyCommittees = []byte("x/sys/committees")
	keyOwnership  = []byte("x/sys/ownership")
	keyBalance    = []byte("x/sys/balance")
	keyClosed     = []byte("x/sys/closed")
	prefixOwners  = []byte("x/sys/owner/")
	prefixSubs    = []byte("x/sys/sub/")
)

// State is the system application's part of a chain's state.
type State struct {
	Tx *views.Tx
}

type u32 struct{ v uint32 }

func (x u32) Encode(w *codec.Writer)  { w.U32(x.v) }
func (x *u32) Decode(r *codec.Reader) { x.v = r.U32() }

type flag struct{}

func (flag) Encode(*codec.Writer)  {}
func (*flag) Decode(*codec.Reader) {}

type origin struct {
	Description ids.Description
	Admin       ids.ChainID
	Timestamp   uint64
}

func (o origin) Encode(w *codec.Writer) {
	o.Description.Encode(w)
	o.Admin.Encode(w)
	w.U64(o.Timestamp)
}

func (o *origin) Decode(r *codec.Reader) {
	o.Description.Decode(r)
	o.Admin.Decode(r)
	o.Timestamp = r.U64()
}

// Initialize writes a new chain's state from its config.
func (s State) Initialize(c *Config) {
	views.Store[origin](s.Tx, keyConfig, origin{c.Description, c.Admin, c.Timestamp})
	s.SetEpoch(c.Epoch)
	s.SetCommittees(c.Committees)
	s.SetOwnership(c.Ownership)
	s.SetBalance(c.Balance)
}

// Active reports whether the chain has been created.
func (s State) Active() bool {
	_, ok := s.Tx.Get(keyConfig)
	return ok
}

// Description returns the chain's description.
func (s State) Description() ids.Description {
	o, _ := views.Load[origin](s.Tx, keyConfig)
	return o.Description
}

// Admin returns the admin chain's id.
func (s State) Admin() ids.ChainID {
	o, _ := views.Load[origin](s.Tx, keyConfig)
	return o.Admin
}

// Epoch returns the chain's current epoch.
func (s State) Epoch() uint32 {
	v, _ := views.Load[u32](s.Tx, keyEpoch)
	return v.v
}

// SetEpoch sets the current epoch.
func (s State) SetEpoch(e uint32) { views.Store[u32](s.Tx, keyEpoch, u32{e}) }

// Committees returns the committees the chain trusts.
func (s State) Committees() Committees {
	v, _ := views.Load[Committees](s.Tx, keyCommittees)
	return v
}

// SetCommittees replaces the trusted committees.
func (s State) SetCommittees(cs Committees) { views.Store[Committees](s.Tx, keyCommittees, cs) }

// Committee returns the committee of the current epoch.
func (s State) Committee() (*committee.Committee, bool) { return s.Committees().Get(s.Epoch()) }

// Ownership returns who may propose blocks.
func (s State) Ownership() manager.Ownership {
	v, _ := views.Load[manager.Ownership](s.Tx, keyOwnership)
	return v
}

// SetOwnership replaces the ownership.
func (s State) SetOwnership(o manager.Ownership) {
	views.Store[manager.Ownership](s.Tx, keyOwnership, o)
}

// Balance returns the chain account's balance.
func (s State) Balance() amount.Amount {
	v, _ := views.Load[amount.Amount](s.Tx, keyBalance)
	return v
}

// SetBalance sets the chain account's balance.
func (s State) SetBalance(a amount.Amount) { views.Store[amount.Amount](s.Tx, keyBalance, a) }

func (s State) owners() views.Map[ids.Owner, amount.Amount, *ids.Owner, *amount.Amount] {
	return views.Map[ids.Owner, amount.Amount, *ids.Owner, *amount.Amount]{Tx: s.Tx, Prefix: prefixOwners}
}

// OwnerBalance returns the balance of owner's account on the chain; the
// zero owner is the chain account.
func (s State) OwnerBalance(owner ids.Owner) amount.Amount {
	if owner.IsZero() {
		return s.Balance()
	}
	v, _ := s.owners().Get(owner)
	return v
}

// SetOwnerBalance sets an account's balance; zero balances are removed.
func (s State) SetOwnerBalance(owner ids.Owner, a amount.Amount) {
	switch {
	case owner.IsZero():
		s.SetBalance(a)
	case a.IsZero():
		s.owners().Remove(owner)
	default:
		s.owners().Set(owner, a)
	}
}

// OwnerBalances calls fn for every owner account with a balance.
func (s State) OwnerBalances(fn func(ids.Owner, amount.Amount) bool) { s.owners().Each(fn) }

// Closed reports whether the chain is closed.
func (s State) Closed() bool {
	_, ok := s.Tx.Get(keyClosed)
	return ok
}

func (s State) subscribers() views.Map[ids.ChainID, flag, *ids.ChainID, *flag] {
	return views.Map[ids.ChainID, flag, *ids.ChainID, *flag]{Tx: s.Tx, Prefix: prefixSubs}
}

// Subscribers returns the chains that follow the admin chain's committees.
func (s State) Subscribers() []ids.ChainID {
	var out []ids.ChainID
	s.subscribers().Each(func(c ids.ChainID, _ flag) bool {
		out = append(out, c)
		return true
	})
	return out
}

// AddSubscriber records a chain that follows committee changes.
func (s State) AddSubscriber(c ids.ChainID) { s.subscribers().Set(c, flag{}) }

// TotalBalance returns the chain account plus every owner account.
func (s State) TotalBalance() (amount.Amount, error) {
	total := s.Balance()
	var err error
	s.OwnerBalances(func(_ ids.Owner, a amount.Amount) bool {
		total, err = total.Add(a)
		return err == nil
	})
	return total, err
}
