package rpc

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// Errors the server reports about the request itself.
var (
	ErrRateLimited   = errors.New("rpc: rate limit exceeded")
	ErrTooManyFlight = errors.New("rpc: too many requests in flight")
	ErrUnavailable   = errors.New("rpc: service unavailable")
	ErrInternal      = errors.New("rpc: internal error")
	ErrNotFound      = errors.New("rpc: not found")
)

// codes lists every error with a wire code: code i+1 is codes[i]. New
// errors are appended; codes never change meaning.
var codes = []error{
	ErrInternal, ErrUnknownKind, ErrFrameTooLarge, ErrShortFrame, ErrRateLimited, ErrTooManyFlight,
	ErrUnavailable, ErrNotFound,
	codec.ErrTruncated, codec.ErrTooLarge, codec.ErrTrailing, codec.ErrInvalid,
	keys.ErrBadSignature, amount.ErrOverflow, amount.ErrUnderflow, kv.ErrTooLarge,
	block.ErrNoQuorum, block.ErrBadScheme, block.ErrBadSigners, block.ErrWrongProposer,
	block.ErrVoteMismatch, block.ErrNotMember,
	chain.ErrInactive, chain.ErrWrongHeight, chain.ErrWrongPrevious, chain.ErrWrongEpoch, chain.ErrTimestamp,
	chain.ErrTooLarge, chain.ErrNotOwner, chain.ErrClosed, chain.ErrUnknownApp, chain.ErrBundleOrder,
	chain.ErrBundleNotReceived, chain.ErrBundleMismatch, chain.ErrUnskippable, chain.ErrRejectProtected,
	chain.ErrInsufficientFees, chain.ErrEmptyBlock, chain.ErrOutcomeMismatch, chain.ErrFuture,
	chain.ErrMissingBlocks, chain.ErrUntrusted, chain.ErrNotVoter,
	manager.ErrWrongChain, manager.ErrWrongHeight, manager.ErrWrongRound, manager.ErrNotAllowed,
	manager.ErrConflictingProposal, manager.ErrMustReproposeLocked, manager.ErrBadCertificate,
	manager.ErrInvalidOwnership,
	system.ErrUnauthorized, system.ErrInsufficientFunds, system.ErrZeroAmount, system.ErrNotAdmin,
	system.ErrBadEpoch, system.ErrChainClosed, system.ErrInvalid,
	app.ErrOutOfFuel, app.ErrBlobsNotFound, app.ErrBadModule, app.ErrUnknownApp, app.ErrReentrant,
	app.ErrCallDepth, app.ErrTrap, app.ErrAborted, app.ErrUnauthorized, app.ErrTooLarge, app.ErrReadOnly,
	app.ErrNoVM, app.ErrBadRequest, app.ErrNotInstantiated,
}

// Code returns the wire code of the most specific known error err wraps
// (ErrInternal's code if none).
func Code(err error) uint16 {
	for i := len(codes) - 1; i >= 0; i-- {
		if errors.Is(err, codes[i]) {
			return uint16(i + 1)
		}
	}
	return 1
}

// RemoteError is an error a peer reported.
type RemoteError struct {
	Code    uint16
	Message string
	// Missing lists the blobs the peer needs (with app.ErrBlobsNotFound).
	Missing []ids.BlobID
}

func (e *RemoteError) Error() string { return e.Message }

// Unwrap returns the sentinel error of e's code, so errors.Is works.
func (e *RemoteError) Unwrap() error {
	if len(e.Missing) > 0 {
		return &app.BlobsNotFoundError{IDs: e.Missing}
	}
	if e.Code >= 1 && int(e.Code) <= len(codes) {
		return codes[e.Code-1]
	}
	return nil
}

// Encode writes e.
func (e RemoteError) Encode(w *codec.Writer) {
	w.U16(e.Code)
	w.String(e.Message)
	codec.WriteListOf(w, e.Missing)
}

// Decode reads e.
func (e *RemoteError) Decode(r *codec.Reader) {
	e.Code = r.U16()
	e.Message = r.String(4096)
	e.Missing = codec.ListOf[ids.Hash](r, MaxBlobBatch, ids.HashSize)
}

// NewError encodes err as an error frame answering request id.
func NewError(id uint64, err error) Frame {
	msg := err.Error()
	if len(msg) > 4096 {
		msg = msg[:4096]
	}
	missing := app.MissingBlobs(err)
	if len(missing) > MaxBlobBatch {
		missing = missing[:MaxBlobBatch]
	}
	return Frame{Kind: Error, ID: id, Body: codec.Marshal(RemoteError{Code: Code(err), Message: msg, Missing: missing})}
}

// DecodeReply decodes a response frame into v, or returns the error an
// error frame carries.
func DecodeReply(f Frame, v codec.Decoder) error {
	switch f.Kind {
	case Response:
		if err := codec.Unmarshal(f.Body, v); err != nil {
			return fmt.Errorf("rpc: decode response: %w", err)
		}
		return nil
	case Error:
		var e RemoteError
		if err := codec.Unmarshal(f.Body, &e); err != nil {
			return fmt.Errorf("rpc: decode error reply: %w", err)
		}
		return &e
	}
	return fmt.Errorf("%w: reply of kind %s", ErrUnknownKind, f.Kind)
}
