package validator

import (
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/rpc"
)

// FuzzHandle feeds arbitrary frames to a validator's request path (as
// its internal endpoint, so every kind is handled): none may panic (a
// panic would be recovered, so the count must stay zero), and every
// reply echoes the request id and parses.
func FuzzHandle(f *testing.F) {
	store := kv.NewMemory()
	srv, g, _ := oneValidator(f, store, Config{manual: true})
	a, b := g.ChainID(0), g.ChainID(1)
	for _, fr := range []rpc.Frame{
		rpc.NewRequest(rpc.ChainInfo, 1, rpc.ChainID{ID: a}),
		rpc.NewRequest(rpc.Certificates, 2, rpc.CertRange{Chain: a, Limit: 3}),
		rpc.NewRequest(rpc.Timeout, 3, rpc.TimeoutRequest{Chain: b}),
		rpc.NewRequest(rpc.Proposal, 4, block.NewProposal(block.Block{Chain: b, Timestamp: g.Timestamp}, block.Round{Kind: block.MultiLeader}, srv.cfg.Key, nil)),
		rpc.NewRequest(rpc.Update, 5, chain.Update{Sender: a, Recipient: b, Bundles: []block.Bundle{{Height: 0}}}),
		rpc.NewRequest(rpc.Ack, 6, chain.Ack{Sender: a, Recipient: b, Height: 3}),
		rpc.NewRequest(rpc.Subscribe, 7, rpc.ChainList{}),
		{Kind: rpc.Certificate, ID: 8, Body: []byte{0, 1, 2}},
	} {
		f.Add(fr.Marshal())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := rpc.ParseFrame(data)
		if err != nil {
			return
		}
		rep := srv.handle(t.Context(), fr, true)
		if n := srv.metrics.panics.Load(); n != 0 {
			t.Fatalf("handling %s frame %x panicked", fr.Kind, data)
		}
		if rep.frame.ID != fr.ID {
			t.Fatalf("reply id %d, want %d", rep.frame.ID, fr.ID)
		}
		if _, err := rpc.ParseFrame(rep.frame.Marshal()); err != nil {
			t.Fatalf("reply does not parse: %v", err)
		}
	})
}
