// Package chain is a microchain's state machine: its stored state (system
// state, inboxes, outboxes, tip, consensus manager, certified blocks), the
// execution of a block, and the Worker that answers a validator's or a
// wallet's requests about chains.
//
// Everything here is pure: the state lives in a kv.Store reached through a
// views.Tx, time comes in as an argument, and what must happen next comes
// out as Effects — first make the batch durable, then send the vote and the
// cross-chain updates, then publish the notifications.
package chain

import (
	"context"
	"encoding/binary"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/core/views"
)

// Prefix returns the key prefix of a chain's state in a store.
func Prefix(id ids.ChainID) []byte { return append(append([]byte("c/"), id[:]...), '/') }

// Keys relative to a chain's prefix, outside the hashed execution state.
var (
	keyLtHash   = []byte("h")
	keyTip      = []byte("t")
	keyManager  = []byte("m")
	prefixIn    = []byte("i/")
	prefixOut   = []byte("o/")
	prefixOuts  = []byte("O/")
	prefixCerts = []byte("k/")
)

// Tip is where a chain's history ends.
type Tip struct {
	// NextHeight is the height of the next block.
	NextHeight uint64
	// Hash is the hash of the last block (zero before the first).
	Hash ids.Hash
	// Timestamp is the last block's timestamp (or the chain's creation time).
	Timestamp uint64
	// StateHash is the execution state hash after the last block.
	StateHash ids.Hash
}

// Encode writes t.
func (t Tip) Encode(w *codec.Writer) {
	w.U64(t.NextHeight)
	t.Hash.Encode(w)
	w.U64(t.Timestamp)
	t.StateHash.Encode(w)
}

// Decode reads t.
func (t *Tip) Decode(r *codec.Reader) {
	t.NextHeight = r.U64()
	t.Hash.Decode(r)
	t.Timestamp = r.U64()
	t.StateHash.Decode(r)
}

// Cursors are an inbox's positions: the next bundle expected from the
// sender and the next one the chain may take.
type Cursors struct {
	NextAdd, NextRemove block.Cursor
}

// Encode writes c.
func (c Cursors) Encode(w *codec.Writer) {
	w.U64(c.NextAdd.Height)
	w.U32(c.NextAdd.Index)
	w.U64(c.NextRemove.Height)
	w.U32(c.NextRemove.Index)
}

// Decode reads c.
func (c *Cursors) Decode(r *codec.Reader) {
	c.NextAdd = block.Cursor{Height: r.U64(), Index: r.U32()}
	c.NextRemove = block.Cursor{Height: r.U64(), Index: r.U32()}
}

type height struct{ v uint64 }

func (h height) Encode(w *codec.Writer)  { w.U64(h.v) }
func (h *height) Decode(r *codec.Reader) { h.v = r.U64() }

type bundleQueue = views.Queue[block.Bundle, *block.Bundle]

// State is one chain's stored state, read and written through a Tx.
type State struct {
	ID     ids.ChainID
	Tx     *views.Tx
	System system.State
	// Env runs user applications; zero for nodes that only run the
	// system application.
	Env Env

	// created holds the blobs the executed block created (application
	// descriptions); Commit stores them beside the chains.
	created []app.Blob
}

// Open returns the state of chain id in store. Nothing is read until used.
func Open(ctx context.Context, store kv.Store, id ids.ChainID) *State {
	tx := views.NewTx(ctx, store, Prefix(id))
	return &State{ID: id, Tx: tx, System: system.State{Tx: tx}}
}

// Active reports whether the chain has been created here.
func (s *State) Active() bool { return s.System.Active() }

// Tip returns the chain's tip.
func (s *State) Tip() Tip {
	t, _ := views.Load[Tip](s.Tx, keyTip)
	return t
}

func (s *State) setTip(t Tip) { views.Store[Tip](s.Tx, keyTip, t) }

// Manager returns the consensus state at the next height. A chain whose
// manager was never stored (no proposal nor block yet) gets a fresh one
// whose round timeout runs from the chain's creation time (or now, if
// earlier), the same on every validator. Timed from now, it would never
// let the first round time out on a validator that saw no proposal.
func (s *State) Manager(now uint64) *manager.Manager {
	m, ok := views.Load[manager.Manager](s.Tx, keyManager)
	if !ok {
		tip := s.Tip()
		return manager.New(s.System.Ownership(), s.ID, tip.NextHeight, min(tip.Timestamp, now))
	}
	return &m
}

// SetManager stores the consensus state.
func (s *State) SetManager(m *manager.Manager) { views.Store[manager.Manager](s.Tx, keyManager, *m) }

func (s *State) ltHash() *views.LtHash {
	var l views.LtHash
	if b, ok := s.Tx.Committed(keyLtHash); ok {
		if err := l.SetBytes(b); err != nil {
			s.Tx.Fail(err)
		}
	}
	return &l
}

// Initialize creates the chain from its config.
func (s *State) Initialize(cfg *system.Config) {
	s.System.Initialize(cfg)
	s.rehashInitial(cfg.Timestamp)
	s.outboxCount().Set(height{0})
}

func (s *State) inbox(origin ids.ChainID) (views.Register[Cursors, *Cursors], bundleQueue, bundleQueue) {
	p := views.Collection[ids.ChainID, *ids.ChainID]{Prefix: prefixIn}.At(origin)
	at := func(suffix string) []byte { return append(append([]byte{}, p...), suffix...) }
	return views.Register[Cursors, *Cursors]{Tx: s.Tx, Key: at("c")},
		bundleQueue{Tx: s.Tx, Prefix: at("a")},
		bundleQueue{Tx: s.Tx, Prefix: at("r")}
}

func (s *State) outbox(recipient ids.ChainID) views.Queue[height, *height] {
	p := views.Collection[ids.ChainID, *ids.ChainID]{Prefix: prefixOut}.At(recipient)
	return views.Queue[height, *height]{Tx: s.Tx, Prefix: p}
}

type flag struct{}

func (flag) Encode(*codec.Writer)  {}
func (*flag) Decode(*codec.Reader) {}

func (s *State) outboxes() views.Map[ids.ChainID, flag, *ids.ChainID, *flag] {
	return views.Map[ids.ChainID, flag, *ids.ChainID, *flag]{Tx: s.Tx, Prefix: prefixOuts}
}

func certKey(h uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{}, prefixCerts...), h)
}

// Certificate returns the confirmed certificate at height h.
func (s *State) Certificate(h uint64) (*block.Certificate, bool) {
	c, ok := views.Load[block.Certificate](s.Tx, certKey(h))
	return &c, ok
}

// PendingBundles returns, per sender, the bundles delivered to the inbox
// and not yet taken, in the order they must be taken.
func (s *State) PendingBundles() []block.IncomingBundle {
	var out []block.IncomingBundle
	var origins []ids.ChainID
	s.Tx.Scan(prefixIn, func(key, _ []byte) bool {
		// Keys are i/ + len(2) + 32-byte id + suffix; collect cursors keys.
		if len(key) == len(prefixIn)+2+32+1 && key[len(key)-1] == 'c' {
			var id ids.ChainID
			copy(id[:], key[len(prefixIn)+2:])
			origins = append(origins, id)
		}
		return true
	})
	for _, o := range origins {
		_, added, _ := s.inbox(o)
		added.Each(func(b block.Bundle) bool {
			out = append(out, block.IncomingBundle{Origin: o, Bundle: b, Action: block.Accept})
			return true
		})
	}
	return out
}

// PendingOutboxes returns the recipients with bundles not yet acknowledged.
func (s *State) PendingOutboxes() []ids.ChainID {
	var out []ids.ChainID
	s.outboxes().Each(func(c ids.ChainID, _ flag) bool {
		out = append(out, c)
		return true
	})
	return out
}
