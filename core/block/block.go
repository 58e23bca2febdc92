// Package block defines what a chain's history is made of: proposed blocks,
// their execution outcomes, messages between chains, votes and certificates.
//
// A Block is what an owner proposes; a Proposal is a Block signed for a
// round; an Executed block adds the Outcome every validator computes
// independently (outgoing messages, events, results, state hash). Votes sign
// the hash of a Value (a validated or confirmed Executed block, or a timeout),
// and a quorum of votes makes a Certificate.
package block

import (
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// Decode bounds.
const (
	MaxTransactions = 100_000
	MaxMessages     = 100_000
	MaxPayload      = codec.MaxMessageSize
	MaxEvents       = 100_000
	MaxStreamName   = 256
)

// Height is a block's position in its chain, from 0.
type Height = uint64

// Timestamp is microseconds since the Unix epoch.
type Timestamp = uint64

// Operation is an instruction in a block: to the system application when
// App is zero, else to the user application App. Bytes is the operation in
// the application's own encoding.
type Operation struct {
	App   ids.ApplicationID
	Bytes []byte
}

// IsSystem reports whether o is for the system application.
func (o Operation) IsSystem() bool { return o.App.IsZero() }

// Encode writes o.
func (o Operation) Encode(w *codec.Writer) {
	o.App.Encode(w)
	w.Bytes(o.Bytes)
}

// Decode reads o.
func (o *Operation) Decode(r *codec.Reader) {
	o.App.Decode(r)
	o.Bytes = r.Bytes(MaxPayload)
}

// Message is an application message between chains: for the system
// application when App is zero.
type Message = Operation

// MessageKind says how a message may be handled by its recipient.
type MessageKind uint8

// Message kinds.
const (
	// Simple messages may be rejected or skipped; nothing comes back.
	Simple MessageKind = iota
	// Protected messages may be neither rejected nor skipped.
	Protected
	// Tracked messages may be rejected, and then bounce back to the sender.
	Tracked
	// Bouncing is a rejected tracked message on its way back.
	Bouncing
	numKinds
)

func (k MessageKind) String() string {
	return [...]string{"simple", "protected", "tracked", "bouncing", "?"}[min(k, numKinds)]
}

// Skippable reports whether a bundle of this kind may be left out of the
// recipient's chain while later bundles from the same sender are taken.
func (k MessageKind) Skippable() bool { return k == Simple || k == Bouncing }

// PostedMessage is a message as it travels in a bundle.
type PostedMessage struct {
	// Index is the message's position in its transaction's outgoing list.
	Index uint32
	// Signer is the owner who authenticated the message, or zero.
	Signer  ids.Owner
	Kind    MessageKind
	Message Message
}

// Encode writes m.
func (m PostedMessage) Encode(w *codec.Writer) {
	w.U32(m.Index)
	m.Signer.Encode(w)
	w.U8(uint8(m.Kind))
	m.Message.Encode(w)
}

// Decode reads m.
func (m *PostedMessage) Decode(r *codec.Reader) {
	m.Index = r.U32()
	m.Signer.Decode(r)
	m.Kind = MessageKind(r.Tag(uint8(numKinds)))
	m.Message.Decode(r)
}

// Cursor orders the bundles from one sender: the sender's block height and
// the transaction index within that block.
type Cursor struct {
	Height Height
	Index  uint32
}

// Less reports whether c comes before d.
func (c Cursor) Less(d Cursor) bool {
	return c.Height < d.Height || c.Height == d.Height && c.Index < d.Index
}

// Next returns the cursor just after c within the same block.
func (c Cursor) Next() Cursor { return Cursor{c.Height, c.Index + 1} }

// String formats c as height.index.
func (c Cursor) String() string { return fmt.Sprintf("%d.%d", c.Height, c.Index) }

// Bundle is the messages one transaction of a sender's block sends to one
// recipient.
type Bundle struct {
	Height    Height
	Timestamp Timestamp
	// CertificateHash is the hash of the sender's block.
	CertificateHash  ids.Hash
	TransactionIndex uint32
	Messages         []PostedMessage
}

// Cursor returns the bundle's position among its sender's bundles.
func (b Bundle) Cursor() Cursor { return Cursor{b.Height, b.TransactionIndex} }

// Skippable reports whether every message in b may be skipped.
func (b Bundle) Skippable() bool {
	for _, m := range b.Messages {
		if !m.Kind.Skippable() {
			return false
		}
	}
	return true
}

// Hash returns the bundle's hash.
func (b Bundle) Hash() ids.Hash { return ids.Of("bundle", b) }

// Encode writes b.
func (b Bundle) Encode(w *codec.Writer) {
	w.U64(b.Height)
	w.U64(b.Timestamp)
	b.CertificateHash.Encode(w)
	w.U32(b.TransactionIndex)
	codec.WriteListOf(w, b.Messages)
}

// Decode reads b.
func (b *Bundle) Decode(r *codec.Reader) {
	b.Height = r.U64()
	b.Timestamp = r.U64()
	b.CertificateHash.Decode(r)
	b.TransactionIndex = r.U32()
	b.Messages = codec.ListOf[PostedMessage](r, MaxMessages, 4+32+1+32+4)
}

// Action is what a block does with an incoming bundle.
type Action uint8

// Actions.
const (
	Accept Action = iota
	Reject
)

// IncomingBundle is a bundle a block takes from its inbox.
type IncomingBundle struct {
	Origin ids.ChainID
	Bundle Bundle
	Action Action
}

// Encode writes b.
func (b IncomingBundle) Encode(w *codec.Writer) {
	b.Origin.Encode(w)
	b.Bundle.Encode(w)
	w.U8(uint8(b.Action))
}

// Decode reads b.
func (b *IncomingBundle) Decode(r *codec.Reader) {
	b.Origin.Decode(r)
	b.Bundle.Decode(r)
	b.Action = Action(r.Tag(2))
}

// Transaction is one step of a block: take an incoming bundle, or execute
// an operation. Exactly one of the two is set.
type Transaction struct {
	Bundle    *IncomingBundle
	Operation *Operation
}

// Encode writes t.
func (t Transaction) Encode(w *codec.Writer) {
	if t.Bundle != nil {
		w.U8(0)
		t.Bundle.Encode(w)
		return
	}
	w.U8(1)
	t.Operation.Encode(w)
}

// Decode reads t.
func (t *Transaction) Decode(r *codec.Reader) {
	*t = Transaction{}
	if r.Tag(2) == 0 {
		t.Bundle = new(IncomingBundle)
		t.Bundle.Decode(r)
		return
	}
	t.Operation = new(Operation)
	t.Operation.Decode(r)
}

// Block is the content an owner proposes for a chain.
type Block struct {
	Chain     ids.ChainID
	Epoch     uint32
	Height    Height
	Timestamp Timestamp
	// Previous is the hash of the block at Height-1, zero at height 0.
	Previous ids.Hash
	// Signer is the owner who proposes the block and authenticates its
	// operations.
	Signer       ids.Owner
	Transactions []Transaction
}

// Encode writes b.
func (b Block) Encode(w *codec.Writer) {
	b.Chain.Encode(w)
	w.U32(b.Epoch)
	w.U64(b.Height)
	w.U64(b.Timestamp)
	b.Previous.Encode(w)
	b.Signer.Encode(w)
	codec.WriteListOf(w, b.Transactions)
}

// Decode reads b.
func (b *Block) Decode(r *codec.Reader) {
	b.Chain.Decode(r)
	b.Epoch = r.U32()
	b.Height = r.U64()
	b.Timestamp = r.U64()
	b.Previous.Decode(r)
	b.Signer.Decode(r)
	b.Transactions = codec.ListOf[Transaction](r, MaxTransactions, 1+32)
}

// Hash returns the hash of the proposed content.
func (b Block) Hash() ids.Hash { return ids.Of("proposed-block", b) }

// OutgoingMessage is a message a transaction sends.
type OutgoingMessage struct {
	Destination ids.ChainID
	Signer      ids.Owner
	Kind        MessageKind
	Message     Message
}

// Encode writes m.
func (m OutgoingMessage) Encode(w *codec.Writer) {
	m.Destination.Encode(w)
	m.Signer.Encode(w)
	w.U8(uint8(m.Kind))
	m.Message.Encode(w)
}

// Decode reads m.
func (m *OutgoingMessage) Decode(r *codec.Reader) {
	m.Destination.Decode(r)
	m.Signer.Decode(r)
	m.Kind = MessageKind(r.Tag(uint8(numKinds)))
	m.Message.Decode(r)
}

// StreamID names an event stream: an application and a stream name.
type StreamID struct {
	App  ids.ApplicationID
	Name string
}

// Event is a value an application published on a stream.
type Event struct {
	Stream StreamID
	Index  uint32
	Value  []byte
}

// Encode writes e.
func (e Event) Encode(w *codec.Writer) {
	e.Stream.App.Encode(w)
	w.String(e.Stream.Name)
	w.U32(e.Index)
	w.Bytes(e.Value)
}

// Decode reads e.
func (e *Event) Decode(r *codec.Reader) {
	e.Stream.App.Decode(r)
	e.Stream.Name = r.String(MaxStreamName)
	e.Index = r.U32()
	e.Value = r.Bytes(MaxPayload)
}

// Outcome is what executing a block produced. Slices indexed by transaction
// have one entry per transaction of the block.
type Outcome struct {
	Messages [][]OutgoingMessage
	Events   [][]Event
	Results  [][]byte
	// StateHash is the hash of the chain's execution state after the block.
	StateHash ids.Hash
	// Fuel is the Wasm fuel the block used; Fees what it paid.
	Fuel uint64
	Fees amount.Amount
}

// Encode writes o.
func (o Outcome) Encode(w *codec.Writer) {
	codec.WriteList(w, o.Messages, func(w *codec.Writer, ms []OutgoingMessage) { codec.WriteListOf(w, ms) })
	codec.WriteList(w, o.Events, func(w *codec.Writer, es []Event) { codec.WriteListOf(w, es) })
	codec.WriteList(w, o.Results, (*codec.Writer).Bytes)
	o.StateHash.Encode(w)
	w.U64(o.Fuel)
	o.Fees.Encode(w)
}

// Decode reads o.
func (o *Outcome) Decode(r *codec.Reader) {
	o.Messages = codec.List(r, MaxTransactions, 4, func(r *codec.Reader) []OutgoingMessage {
		return codec.ListOf[OutgoingMessage](r, MaxMessages, 32+32+1+32+4)
	})
	o.Events = codec.List(r, MaxTransactions, 4, func(r *codec.Reader) []Event {
		return codec.ListOf[Event](r, MaxEvents, 32+4+4+4)
	})
	o.Results = codec.List(r, MaxTransactions, 4, func(r *codec.Reader) []byte { return r.Bytes(MaxPayload) })
	o.StateHash.Decode(r)
	o.Fuel = r.U64()
	o.Fees.Decode(r)
}

// Executed is a block with its outcome: what certificates certify.
type Executed struct {
	Block   Block
	Outcome Outcome
}

// Encode writes e.
func (e Executed) Encode(w *codec.Writer) {
	e.Block.Encode(w)
	e.Outcome.Encode(w)
}

// Decode reads e and checks that the outcome has one entry per transaction.
func (e *Executed) Decode(r *codec.Reader) {
	e.Block.Decode(r)
	e.Outcome.Decode(r)
	if r.Err() == nil {
		if err := e.CheckShape(); err != nil {
			r.Fail(fmt.Errorf("%w: %w", codec.ErrInvalid, err))
		}
	}
}

// CheckShape checks that the outcome has one entry per transaction.
func (e *Executed) CheckShape() error {
	n := len(e.Block.Transactions)
	if len(e.Outcome.Messages) != n || len(e.Outcome.Events) != n || len(e.Outcome.Results) != n {
		return fmt.Errorf("block: outcome has %d/%d/%d entries for %d transactions",
			len(e.Outcome.Messages), len(e.Outcome.Events), len(e.Outcome.Results), n)
	}
	return nil
}

// Hash returns the block hash, which commits to the block and its outcome.
func (e *Executed) Hash() ids.Hash { return ids.Of("block", e) }

// Bundles returns the bundles the block sends to recipient, one per
// transaction that sends it messages, in transaction order.
func (e *Executed) Bundles(hash ids.Hash, recipient ids.ChainID) []Bundle {
	var out []Bundle
	for i, msgs := range e.Outcome.Messages {
		var posted []PostedMessage
		for j, m := range msgs {
			if m.Destination == recipient {
				posted = append(posted, PostedMessage{Index: uint32(j), Signer: m.Signer, Kind: m.Kind, Message: m.Message})
			}
		}
		if posted != nil {
			out = append(out, Bundle{
				Height: e.Block.Height, Timestamp: e.Block.Timestamp, CertificateHash: hash,
				TransactionIndex: uint32(i), Messages: posted,
			})
		}
	}
	return out
}

// Recipients returns the chains the block sends messages to, in order of
// first appearance.
func (e *Executed) Recipients() []ids.ChainID {
	seen := map[ids.ChainID]bool{}
	var out []ids.ChainID
	for _, msgs := range e.Outcome.Messages {
		for _, m := range msgs {
			if !seen[m.Destination] {
				seen[m.Destination] = true
				out = append(out, m.Destination)
			}
		}
	}
	return out
}
