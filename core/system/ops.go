// Package system is the system application every chain runs: the native
// token, chain creation and closing, ownership and committees.
//
// Operations and messages are encoded in the canonical codec and carried
// in block.Operation / block.Message with a zero application id. Execute
// runs one operation, ExecuteMessage one incoming message; both work on a
// chain's State (views over its key-value state) and append the messages
// they send to the Context.
package system

import (
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

// OpKind is the kind of a system operation.
type OpKind uint8

// Operation kinds.
const (
	OpTransfer OpKind = iota
	OpClaim
	OpOpenChain
	OpCloseChain
	OpChangeOwnership
	OpCreateCommittee
	OpRemoveCommittee
	OpPublishBlob
	OpCreateApplication
	numOps
)

var opNames = [...]string{"transfer", "claim", "open-chain", "close-chain", "change-ownership",
	"create-committee", "remove-committee", "publish-blob", "create-application", "?"}

func (k OpKind) String() string { return opNames[min(k, numOps)] }

// Operation is a system operation. Fields are used by kind:
//
//	Transfer:        Owner (source, zero = chain account), Recipient, Amount
//	Claim:           Owner, Target (chain holding Owner's account), Recipient, Amount
//	OpenChain:       Ownership, Amount (the child's initial balance)
//	CloseChain:      —
//	ChangeOwnership: Ownership
//	CreateCommittee: Epoch, Committee (admin chain only)
//	RemoveCommittee: Epoch (admin chain only)
//	PublishBlob:     Blob (the blob itself travels beside the block)
//	CreateApplication: Create
//
// PublishBlob and CreateApplication are executed by the chain (they need
// the blobs and the application runtime), not by State.Execute.
type Operation struct {
	Kind      OpKind
	Owner     ids.Owner
	Recipient ids.Account
	Target    ids.ChainID
	Amount    amount.Amount
	Ownership manager.Ownership
	Epoch     uint32
	Committee *committee.Committee
	Blob      ids.BlobID
	Create    *app.CreateRequest
}

// Encode writes o: its kind, then the fields its kind uses.
func (o Operation) Encode(w *codec.Writer) {
	w.U8(uint8(o.Kind))
	switch o.Kind {
	case OpTransfer:
		o.Owner.Encode(w)
		o.Recipient.Encode(w)
		o.Amount.Encode(w)
	case OpClaim:
		o.Owner.Encode(w)
		o.Target.Encode(w)
		o.Recipient.Encode(w)
		o.Amount.Encode(w)
	case OpOpenChain:
		o.Ownership.Encode(w)
		o.Amount.Encode(w)
	case OpChangeOwnership:
		o.Ownership.Encode(w)
	case OpCreateCommittee:
		w.U32(o.Epoch)
		o.Committee.Encode(w)
	case OpRemoveCommittee:
		w.U32(o.Epoch)
	case OpPublishBlob:
		o.Blob.Encode(w)
	case OpCreateApplication:
		o.Create.Encode(w)
	}
}

// Decode reads o.
func (o *Operation) Decode(r *codec.Reader) {
	*o = Operation{Kind: OpKind(r.Tag(uint8(numOps)))}
	switch o.Kind {
	case OpTransfer:
		o.Owner.Decode(r)
		o.Recipient.Decode(r)
		o.Amount.Decode(r)
	case OpClaim:
		o.Owner.Decode(r)
		o.Target.Decode(r)
		o.Recipient.Decode(r)
		o.Amount.Decode(r)
	case OpOpenChain:
		o.Ownership.Decode(r)
		o.Amount.Decode(r)
	case OpChangeOwnership:
		o.Ownership.Decode(r)
	case OpCreateCommittee:
		o.Epoch = r.U32()
		o.Committee = new(committee.Committee)
		o.Committee.Decode(r)
	case OpRemoveCommittee:
		o.Epoch = r.U32()
	case OpPublishBlob:
		o.Blob.Decode(r)
	case OpCreateApplication:
		o.Create = new(app.CreateRequest)
		o.Create.Decode(r)
	}
}

// AsBlockOperation wraps o for a block.
func (o Operation) AsBlockOperation() block.Operation {
	return block.Operation{Bytes: codec.Marshal(o)}
}

// PublishBlob returns an operation publishing a blob.
func PublishBlob(id ids.BlobID) block.Operation {
	return Operation{Kind: OpPublishBlob, Blob: id}.AsBlockOperation()
}

// CreateApplication returns an operation creating an application.
func CreateApplication(c app.CreateRequest) block.Operation {
	return Operation{Kind: OpCreateApplication, Create: &c}.AsBlockOperation()
}

// Transfer returns a transfer operation.
func Transfer(from ids.Owner, to ids.Account, a amount.Amount) block.Operation {
	return Operation{Kind: OpTransfer, Owner: from, Recipient: to, Amount: a}.AsBlockOperation()
}

// MsgKind is the kind of a system message.
type MsgKind uint8

// Message kinds.
const (
	MsgCredit MsgKind = iota
	MsgWithdraw
	MsgOpenChain
	MsgSetCommittees
	MsgSubscribe
	numMsgs
)

var msgNames = [...]string{"credit", "withdraw", "open-chain", "set-committees", "subscribe", "?"}

func (k MsgKind) String() string { return msgNames[min(k, numMsgs)] }

// Message is a system message. Fields are used by kind:
//
//	Credit:        Owner (target account on the recipient, zero = chain), Source (owner to refund on bounce), Amount
//	Withdraw:      Owner (whose account pays), Recipient, Amount
//	OpenChain:     Config (the child chain's initial state)
//	SetCommittees: Epoch (current), Committees
//	Subscribe:     Chain (the subscriber; sent to the admin chain)
type Message struct {
	Kind       MsgKind
	Owner      ids.Owner
	Source     ids.Owner
	Recipient  ids.Account
	Amount     amount.Amount
	Config     *Config
	Epoch      uint32
	Committees Committees
	Chain      ids.ChainID
}

// Encode writes m.
func (m Message) Encode(w *codec.Writer) {
	w.U8(uint8(m.Kind))
	switch m.Kind {
	case MsgCredit:
		m.Owner.Encode(w)
		m.Source.Encode(w)
		m.Amount.Encode(w)
	case MsgWithdraw:
		m.Owner.Encode(w)
		m.Recipient.Encode(w)
		m.Amount.Encode(w)
	case MsgOpenChain:
		m.Config.Encode(w)
	case MsgSetCommittees:
		w.U32(m.Epoch)
		m.Committees.Encode(w)
	case MsgSubscribe:
		m.Chain.Encode(w)
	}
}

// Decode reads m.
func (m *Message) Decode(r *codec.Reader) {
	*m = Message{Kind: MsgKind(r.Tag(uint8(numMsgs)))}
	switch m.Kind {
	case MsgCredit:
		m.Owner.Decode(r)
		m.Source.Decode(r)
		m.Amount.Decode(r)
	case MsgWithdraw:
		m.Owner.Decode(r)
		m.Recipient.Decode(r)
		m.Amount.Decode(r)
	case MsgOpenChain:
		m.Config = new(Config)
		m.Config.Decode(r)
	case MsgSetCommittees:
		m.Epoch = r.U32()
		m.Committees.Decode(r)
	case MsgSubscribe:
		m.Chain.Decode(r)
	}
}

// AsBlockMessage wraps m for a block.
func (m Message) AsBlockMessage() block.Message { return block.Message{Bytes: codec.Marshal(m)} }

// EpochCommittee is a committee and its epoch.
type EpochCommittee struct {
	Epoch     uint32
	Committee *committee.Committee
}

// Committees is the set of committees a chain trusts, sorted by epoch.
type Committees []EpochCommittee

// Get returns the committee of epoch e.
func (cs Committees) Get(e uint32) (*committee.Committee, bool) {
	for _, c := range cs {
		if c.Epoch == e {
			return c.Committee, true
		}
	}
	return nil, false
}

// Encode writes cs.
func (cs Committees) Encode(w *codec.Writer) {
	codec.WriteList(w, cs, func(w *codec.Writer, c EpochCommittee) {
		w.U32(c.Epoch)
		c.Committee.Encode(w)
	})
}

// Decode reads cs and checks that epochs increase.
func (cs *Committees) Decode(r *codec.Reader) {
	*cs = codec.List(r, 1024, 8, func(r *codec.Reader) EpochCommittee {
		c := EpochCommittee{Epoch: r.U32(), Committee: new(committee.Committee)}
		c.Committee.Decode(r)
		return c
	})
	for i := 1; i < len(*cs); i++ {
		if (*cs)[i].Epoch <= (*cs)[i-1].Epoch {
			r.Failf("committee epochs not increasing")
		}
	}
}

// Config is a chain's initial state: what genesis or an OpenChain message
// gives it.
type Config struct {
	Description ids.Description
	Ownership   manager.Ownership
	Balance     amount.Amount
	Epoch       uint32
	Committees  Committees
	Admin       ids.ChainID
	// Timestamp is when the chain was created (its parent block's time).
	Timestamp block.Timestamp
}

// Encode writes c.
func (c Config) Encode(w *codec.Writer) {
	c.Description.Encode(w)
	c.Ownership.Encode(w)
	c.Balance.Encode(w)
	w.U32(c.Epoch)
	c.Committees.Encode(w)
	c.Admin.Encode(w)
	w.U64(c.Timestamp)
}

// Decode reads c.
func (c *Config) Decode(r *codec.Reader) {
	c.Description.Decode(r)
	c.Ownership.Decode(r)
	c.Balance.Decode(r)
	c.Epoch = r.U32()
	c.Committees.Decode(r)
	c.Admin.Decode(r)
	c.Timestamp = r.U64()
}

// DecodeOperation decodes a system operation.
func DecodeOperation(b []byte) (Operation, error) {
	var o Operation
	if err := codec.Unmarshal(b, &o); err != nil {
		return o, fmt.Errorf("system: decode operation: %w", err)
	}
	return o, nil
}

// DecodeMessage decodes a system message.
func DecodeMessage(b []byte) (Message, error) {
	var m Message
	if err := codec.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("system: decode message: %w", err)
	}
	return m, nil
}
