package chain

import (
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
)

// Encode writes u.
func (u Update) Encode(w *codec.Writer) {
	u.Sender.Encode(w)
	u.Recipient.Encode(w)
	codec.WriteListOf(w, u.Bundles)
}

// Decode reads u.
func (u *Update) Decode(r *codec.Reader) {
	u.Sender.Decode(r)
	u.Recipient.Decode(r)
	u.Bundles = codec.ListOf[block.Bundle](r, block.MaxTransactions, 8+8+32+4+4)
}

// Encode writes a.
func (a Ack) Encode(w *codec.Writer) {
	a.Sender.Encode(w)
	a.Recipient.Encode(w)
	w.U64(a.Height)
}

// Decode reads a.
func (a *Ack) Decode(r *codec.Reader) {
	a.Sender.Decode(r)
	a.Recipient.Decode(r)
	a.Height = r.U64()
}

// Encode writes n.
func (n Notification) Encode(w *codec.Writer) {
	n.Chain.Encode(w)
	w.U8(uint8(n.Kind))
	w.U64(n.Height)
	n.Hash.Encode(w)
	n.Origin.Encode(w)
}

// Decode reads n.
func (n *Notification) Decode(r *codec.Reader) {
	n.Chain.Decode(r)
	n.Kind = NotificationKind(r.Tag(2))
	n.Height = r.U64()
	n.Hash.Decode(r)
	n.Origin.Decode(r)
}

// Encode writes in.
func (in Info) Encode(w *codec.Writer) {
	in.Chain.Encode(w)
	w.Bool(in.Active)
	if in.Active {
		w.U32(in.Epoch)
		in.Tip.Encode(w)
		in.Ownership.Encode(w)
		in.Round.Encode(w)
		w.U64(in.RoundTimeout)
		w.Bool(in.Locked != nil)
		if in.Locked != nil {
			in.Locked.Encode(w)
		}
		w.Bool(in.Proposal != nil)
		if in.Proposal != nil {
			in.Proposal.Encode(w)
		}
	}
	codec.WriteListOf(w, in.Pending)
}

// Decode reads in.
func (in *Info) Decode(r *codec.Reader) {
	in.Chain.Decode(r)
	*in = Info{Chain: in.Chain, Active: r.Bool()}
	if in.Active {
		in.Epoch = r.U32()
		in.Tip.Decode(r)
		in.Ownership.Decode(r)
		in.Round.Decode(r)
		in.RoundTimeout = r.U64()
		if r.Bool() {
			in.Locked = new(block.Certificate)
			in.Locked.Decode(r)
		}
		if r.Bool() {
			in.Proposal = new(block.Proposal)
			in.Proposal.Decode(r)
		}
	}
	in.Pending = codec.ListOf[block.IncomingBundle](r, block.MaxTransactions, 32+8+8+32+4+4+1)
}
