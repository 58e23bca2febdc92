// Package rpc defines the wire protocol between clients and validators and
// between a validator's shards: frames carrying requests, responses,
// errors and notifications, all in the canonical encoding.
//
// A frame is one binary WebSocket message (or one HTTP POST body):
//
//	kind (1 byte) | id (8 bytes) | body (the rest)
//
// Requests carry a client-chosen id; the response or error frame echoes
// it. Notifications have id 0 and are pushed to subscribers. Errors carry
// a code for every error the core defines, so errors.Is works across the
// wire (RemoteError.Unwrap), and a message for people.
package rpc

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// MaxFrameSize bounds a frame: 12 MiB, room for one blob of the largest
// size a policy allows (8 MiB).
const MaxFrameSize = 12 << 20

// Kind is the kind of a frame.
type Kind uint8

// Request kinds and, from 64, reply kinds.
const (
	// Proposal: body block.Proposal; reply block.Vote.
	Proposal Kind = iota + 1
	// Certificate: body block.Certificate; reply OptionalVote.
	Certificate
	// ChainInfo: body ChainID; reply chain.Info.
	ChainInfo
	// Certificates: body CertRange; reply CertList.
	Certificates
	// Timeout: body TimeoutRequest; reply block.Vote.
	Timeout
	// Subscribe: body ChainList; reply empty. Notifications follow.
	Subscribe
	// Update: a cross-chain update between shards; body chain.Update, reply empty.
	Update
	// Ack: a cross-chain acknowledgement between shards; body chain.Ack, reply empty.
	Ack
	// UploadBlobs: body BlobList; reply empty. Blobs a block publishes or
	// uses, given before the block.
	UploadBlobs
	// DownloadBlob: body BlobID; reply app.Blob.
	DownloadBlob
	numRequests
)

// Reply kinds.
const (
	Response     Kind = 64
	Error        Kind = 65
	Notification Kind = 66
)

func (k Kind) String() string {
	names := map[Kind]string{Proposal: "proposal", Certificate: "certificate", ChainInfo: "chain-info",
		Certificates: "certificates", Timeout: "timeout", Subscribe: "subscribe", Update: "update", Ack: "ack",
		UploadBlobs: "upload-blobs", DownloadBlob: "download-blob",
		Response: "response", Error: "error", Notification: "notification"}
	if n, ok := names[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", k)
}

// IsRequest reports whether k is a request kind.
func (k Kind) IsRequest() bool { return k >= Proposal && k < numRequests }

// Frame is one message on the wire.
type Frame struct {
	Kind Kind
	ID   uint64
	Body []byte
}

// Errors of framing.
var (
	ErrFrameTooLarge = errors.New("rpc: frame too large")
	ErrShortFrame    = errors.New("rpc: frame shorter than its header")
	ErrUnknownKind   = errors.New("rpc: unknown frame kind")
)

// Marshal returns the frame's bytes.
func (f Frame) Marshal() []byte {
	w := codec.NewWriter(9 + len(f.Body))
	w.U8(uint8(f.Kind))
	w.U64(f.ID)
	w.Fixed(f.Body)
	return w.Data()
}

// ParseFrame reads a frame. The body aliases b.
func ParseFrame(b []byte) (Frame, error) {
	if len(b) > MaxFrameSize {
		return Frame{}, fmt.Errorf("%w: %d bytes > %d", ErrFrameTooLarge, len(b), MaxFrameSize)
	}
	if len(b) < 9 {
		return Frame{}, fmt.Errorf("%w: %d bytes", ErrShortFrame, len(b))
	}
	r := codec.NewReader(b[:9])
	f := Frame{Kind: Kind(r.U8()), ID: r.U64(), Body: b[9:]}
	if !f.Kind.IsRequest() && f.Kind != Response && f.Kind != Error && f.Kind != Notification {
		return f, fmt.Errorf("%w: %d", ErrUnknownKind, f.Kind)
	}
	return f, nil
}

// NewRequest encodes a request frame.
func NewRequest(k Kind, id uint64, body codec.Encoder) Frame {
	return Frame{Kind: k, ID: id, Body: codec.Marshal(body)}
}

// NewResponse encodes a response frame.
func NewResponse(id uint64, body codec.Encoder) Frame {
	return Frame{Kind: Response, ID: id, Body: codec.Marshal(body)}
}

// Empty is an empty body.
type Empty struct{}

// Encode writes nothing.
func (Empty) Encode(*codec.Writer) {}

// Decode reads nothing.
func (*Empty) Decode(*codec.Reader) {}

// ChainID is a body holding one chain id.
type ChainID struct{ ID ids.ChainID }

// Encode writes c.
func (c ChainID) Encode(w *codec.Writer) { c.ID.Encode(w) }

// Decode reads c.
func (c *ChainID) Decode(r *codec.Reader) { c.ID.Decode(r) }

// BlobID is a body holding one blob id.
type BlobID struct{ ID ids.BlobID }

// Encode writes b.
func (b BlobID) Encode(w *codec.Writer) { b.ID.Encode(w) }

// Decode reads b.
func (b *BlobID) Decode(r *codec.Reader) { b.ID.Decode(r) }

// MaxBlobBatch bounds the blobs of one upload.
const MaxBlobBatch = 64

// BlobList is a body holding blobs.
type BlobList struct{ Blobs []app.Blob }

// Encode writes l.
func (l BlobList) Encode(w *codec.Writer) { codec.WriteListOf(w, l.Blobs) }

// Decode reads l.
func (l *BlobList) Decode(r *codec.Reader) { l.Blobs = codec.ListOf[app.Blob](r, MaxBlobBatch, 5) }

// ChainList is a body holding chain ids.
type ChainList struct{ IDs []ids.ChainID }

// MaxSubscriptions bounds a Subscribe request.
const MaxSubscriptions = 4096

// Encode writes l.
func (l ChainList) Encode(w *codec.Writer) { codec.WriteListOf(w, l.IDs) }

// Decode reads l.
func (l *ChainList) Decode(r *codec.Reader) {
	l.IDs = codec.ListOf[ids.ChainID](r, MaxSubscriptions, ids.HashSize)
}

// CertRange asks for up to Limit certificates of Chain from height From.
type CertRange struct {
	Chain ids.ChainID
	From  uint64
	Limit uint32
}

// MaxCertBatch bounds the certificates in one reply.
const MaxCertBatch = 256

// Encode writes c.
func (c CertRange) Encode(w *codec.Writer) {
	c.Chain.Encode(w)
	w.U64(c.From)
	w.U32(c.Limit)
}

// Decode reads c.
func (c *CertRange) Decode(r *codec.Reader) {
	c.Chain.Decode(r)
	c.From = r.U64()
	c.Limit = r.U32()
}

// CertList is a list of certificates.
type CertList struct{ Certs []block.Certificate }

// Encode writes l.
func (l CertList) Encode(w *codec.Writer) { codec.WriteListOf(w, l.Certs) }

// Decode reads l.
func (l *CertList) Decode(r *codec.Reader) {
	l.Certs = codec.ListOf[block.Certificate](r, MaxCertBatch, 64)
}

// TimeoutRequest asks for a timeout vote for a chain's round at Height.
type TimeoutRequest struct {
	Chain  ids.ChainID
	Height uint64
}

// Encode writes t.
func (t TimeoutRequest) Encode(w *codec.Writer) {
	t.Chain.Encode(w)
	w.U64(t.Height)
}

// Decode reads t.
func (t *TimeoutRequest) Decode(r *codec.Reader) {
	t.Chain.Decode(r)
	t.Height = r.U64()
}

// OptionalVote is a reply that may hold a vote.
type OptionalVote struct{ Vote *block.Vote }

// Encode writes o.
func (o OptionalVote) Encode(w *codec.Writer) {
	w.Bool(o.Vote != nil)
	if o.Vote != nil {
		o.Vote.Encode(w)
	}
}

// Decode reads o.
func (o *OptionalVote) Decode(r *codec.Reader) {
	o.Vote = nil
	if r.Bool() {
		o.Vote = new(block.Vote)
		o.Vote.Decode(r)
	}
}
