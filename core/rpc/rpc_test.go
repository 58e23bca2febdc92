package rpc

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

func TestErrorsCrossTheWire(t *testing.T) {
	for _, sentinel := range []error{chain.ErrWrongHeight, manager.ErrConflictingProposal, ErrRateLimited, chain.ErrFuture} {
		err := fmt.Errorf("handle proposal: %w", sentinel)
		f, perr := ParseFrame(NewError(42, err).Marshal())
		if perr != nil {
			t.Fatal(perr)
		}
		got := DecodeReply(f, &Empty{})
		if !errors.Is(got, sentinel) || got.Error() != err.Error() || f.ID != 42 {
			t.Errorf("error %v came back as %v (id %d)", err, got, f.ID)
		}
	}
	if got := DecodeReply(NewError(1, errors.New("boom")), &Empty{}); !errors.Is(got, ErrInternal) {
		t.Errorf("unknown error came back as %v, want ErrInternal", got)
	}
}

func TestParseFrameRejects(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want error
	}{
		{[]byte{1, 2}, ErrShortFrame},
		{append([]byte{200}, make([]byte, 8)...), ErrUnknownKind},
		{make([]byte, MaxFrameSize+1), ErrFrameTooLarge},
	} {
		if _, err := ParseFrame(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParseFrame(%d bytes) = %v, want %v", len(tc.in), err, tc.want)
		}
	}
}

func TestInfoRoundTrip(t *testing.T) {
	for _, in := range []chain.Info{
		{Chain: ids.Hash{1}},
		{Chain: ids.Hash{2}, Active: true, Epoch: 3, Ownership: manager.Single(ids.Owner{4}), RoundTimeout: 9},
	} {
		f, _ := ParseFrame(NewResponse(7, in).Marshal())
		var got chain.Info
		if err := DecodeReply(f, &got); err != nil {
			t.Fatalf("decode info: %v", err)
		}
		if !bytes.Equal(NewResponse(7, got).Body, f.Body) {
			t.Errorf("info %v did not round-trip", in)
		}
	}
}

func FuzzFrame(f *testing.F) {
	f.Add(NewRequest(ChainInfo, 1, ChainID{ids.Hash{1}}).Marshal())
	f.Add(NewRequest(Certificates, 2, CertRange{Chain: ids.Hash{3}, From: 4, Limit: 5}).Marshal())
	f.Add(NewError(3, chain.ErrWrongHeight).Marshal())
	f.Add(NewResponse(4, chain.Info{Chain: ids.Hash{2}, Active: true, Ownership: manager.Single(ids.Owner{4})}).Marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := ParseFrame(b)
		if err != nil {
			return
		}
		if !bytes.Equal(fr.Marshal(), b) {
			t.Fatalf("frame %x re-encodes differently", b)
		}
		roundTrip[chain.Info](t, fr.Body)
		roundTrip[chain.Update](t, fr.Body)
		roundTrip[chain.Ack](t, fr.Body)
		roundTrip[CertRange](t, fr.Body)
		roundTrip[CertList](t, fr.Body)
		roundTrip[OptionalVote](t, fr.Body)
		roundTrip[RemoteError](t, fr.Body)
	})
}

// roundTrip checks that whatever decodes as T re-encodes to the same bytes.
func roundTrip[T any, P interface {
	*T
	codec.Encoder
	codec.Decoder
}](t *testing.T, b []byte) {
	var v T
	if codec.Unmarshal(b, P(&v)) != nil {
		return
	}
	if got := codec.Marshal(P(&v)); !bytes.Equal(got, b) {
		t.Fatalf("%T: %x re-encodes as %x", v, b, got)
	}
}
