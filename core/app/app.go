// Package app is the protocol's side of user applications: blobs and their
// ids, application descriptions, the requests a running contract or service
// makes of its host, and the VM interface the Wasm runtime implements.
//
// Everything here is pure: the chain state machine (core/chain) implements
// ContractHost and ServiceHost over a chain's state, and the runtime
// package implements VM on wazero. The same block therefore executes the
// same way in a validator, the CLI and the browser wallet. The ABI that
// connects a guest module to these hosts is specified in docs/app-abi.md.
package app

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

// Limits of values that cross the host boundary.
const (
	MaxKeySize       = 1 << 10
	MaxValueSize     = 1 << 20
	MaxParameters    = 1 << 20
	MaxArgument      = 1 << 20
	MaxRequiredApps  = 32
	MaxStreamName    = 256
	MaxLogMessage    = 4 << 10
	MaxScanResults   = 10_000
	MaxCallDepth     = 16
	MaxQueryResponse = 4 << 20
)

// Errors of application execution. Callers wrap them with context.
var (
	ErrOutOfFuel       = errors.New("app: out of fuel")
	ErrBlobsNotFound   = errors.New("app: blobs not found")
	ErrBadModule       = errors.New("app: invalid module")
	ErrUnknownApp      = errors.New("app: unknown application")
	ErrReentrant       = errors.New("app: reentrant call refused")
	ErrCallDepth       = errors.New("app: call depth exceeded")
	ErrTrap            = errors.New("app: execution trapped")
	ErrAborted         = errors.New("app: the application aborted")
	ErrUnauthorized    = errors.New("app: not authorized")
	ErrTooLarge        = errors.New("app: value too large")
	ErrReadOnly        = errors.New("app: a service cannot change state")
	ErrNoVM            = errors.New("app: this node has no application runtime")
	ErrBadRequest      = errors.New("app: malformed host request")
	ErrNotInstantiated = errors.New("app: application not created on this chain")
)

// BlobKind says what a blob holds.
type BlobKind uint8

// Blob kinds.
const (
	BlobData BlobKind = iota
	BlobContract
	BlobService
	BlobDescription
	numBlobKinds
)

var blobKindNames = [...]string{"data", "contract", "service", "description", "?"}

func (k BlobKind) String() string { return blobKindNames[min(k, numBlobKinds)] }

// Blob is content-addressed data: bytecode, an application description or
// data an application reads.
type Blob struct {
	Kind  BlobKind
	Bytes []byte
}

// ID returns the blob's id: the hash of its kind and content.
func (b Blob) ID() ids.BlobID { return ids.Of("blob", b) }

// Encode writes b.
func (b Blob) Encode(w *codec.Writer) {
	w.U8(uint8(b.Kind))
	w.Bytes(b.Bytes)
}

// Decode reads b.
func (b *Blob) Decode(r *codec.Reader) {
	b.Kind = BlobKind(r.Tag(uint8(numBlobKinds)))
	b.Bytes = r.Bytes(codec.MaxMessageSize)
}

// ModuleID names a published module: its contract and service blobs.
type ModuleID struct {
	Contract ids.BlobID
	Service  ids.BlobID
}

// String returns the contract and service blob ids, hex, one after the
// other (128 characters).
func (m ModuleID) String() string { return m.Contract.String() + m.Service.String() }

// ParseModuleID parses ModuleID.String's form.
func ParseModuleID(s string) (ModuleID, error) {
	if len(s) != 128 {
		return ModuleID{}, fmt.Errorf("app: module id must be 128 hex characters, got %d", len(s))
	}
	c, err := ids.ParseHash(s[:64])
	if err != nil {
		return ModuleID{}, fmt.Errorf("app: module id: %w", err)
	}
	v, err := ids.ParseHash(s[64:])
	if err != nil {
		return ModuleID{}, fmt.Errorf("app: module id: %w", err)
	}
	return ModuleID{c, v}, nil
}

// Encode writes m.
func (m ModuleID) Encode(w *codec.Writer) {
	m.Contract.Encode(w)
	m.Service.Encode(w)
}

// Decode reads m.
func (m *ModuleID) Decode(r *codec.Reader) {
	m.Contract.Decode(r)
	m.Service.Decode(r)
}

// Description is an application: its module, where it was created and its
// parameters. Its id is the id of its description blob, so any chain can
// load it from the blobs.
type Description struct {
	Module     ModuleID
	Creator    ids.ChainID
	Height     uint64
	Index      uint32
	Parameters []byte
	Required   []ids.ApplicationID
}

// Encode writes d.
func (d Description) Encode(w *codec.Writer) {
	d.Module.Encode(w)
	d.Creator.Encode(w)
	w.U64(d.Height)
	w.U32(d.Index)
	w.Bytes(d.Parameters)
	codec.WriteListOf(w, d.Required)
}

// Decode reads d.
func (d *Description) Decode(r *codec.Reader) {
	d.Module.Decode(r)
	d.Creator.Decode(r)
	d.Height = r.U64()
	d.Index = r.U32()
	d.Parameters = r.Bytes(MaxParameters)
	d.Required = codec.ListOf[ids.Hash](r, MaxRequiredApps, 32)
}

// Blob returns d's description blob.
func (d Description) Blob() Blob { return Blob{Kind: BlobDescription, Bytes: codec.Marshal(d)} }

// ID returns the application id.
func (d Description) ID() ids.ApplicationID { return d.Blob().ID() }

// AccountOwner returns the owner under which an application holds native
// tokens in the system application: a hash of its id, so no key can sign
// for it and only the application itself may debit it.
func AccountOwner(a ids.ApplicationID) ids.Owner { return ids.Sum("app-account", a[:]) }

// BlobsNotFoundError lists blobs a node must be given before it can
// execute a block. It matches ErrBlobsNotFound with errors.Is.
type BlobsNotFoundError struct{ IDs []ids.BlobID }

func (e *BlobsNotFoundError) Error() string {
	s := fmt.Sprintf("app: %d blob(s) not found:", len(e.IDs))
	for _, id := range e.IDs {
		s += " " + id.String()
	}
	return s
}

// Is makes errors.Is(err, ErrBlobsNotFound) true.
func (e *BlobsNotFoundError) Is(target error) bool { return target == ErrBlobsNotFound }

// MissingBlobs returns the blob ids an error reports missing, if any.
func MissingBlobs(err error) []ids.BlobID {
	var e *BlobsNotFoundError
	if errors.As(err, &e) {
		return e.IDs
	}
	return nil
}

// BlobSource gives the content of blobs by id.
type BlobSource interface {
	// Blob returns the blob's content, or ok false if this node lacks it.
	Blob(id ids.BlobID) (b Blob, ok bool, err error)
}

// Ownership is re-exported for requests that open chains.
type Ownership = manager.Ownership

// Amount is re-exported for requests that move tokens.
type Amount = amount.Amount
