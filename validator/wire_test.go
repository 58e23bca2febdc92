package validator_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/rpc"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/validator"
)

// rawConn is a WebSocket connection that sends raw bytes.
type rawConn struct {
	t *testing.T
	c *websocket.Conn
}

func rawDial(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, _, err := websocket.Dial(t.Context(), "ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(rpc.MaxFrameSize)
	t.Cleanup(func() { c.CloseNow() })
	return &rawConn{t, c}
}

func (r *rawConn) send(b []byte) {
	r.t.Helper()
	if err := r.c.Write(r.t.Context(), websocket.MessageBinary, b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// roundTrip sends b and returns the reply frame.
func (r *rawConn) roundTrip(b []byte) rpc.Frame {
	r.t.Helper()
	r.send(b)
	ctx, cancel := context.WithTimeout(r.t.Context(), 10*time.Second)
	defer cancel()
	_, reply, err := r.c.Read(ctx)
	if err != nil {
		r.t.Fatalf("read reply: %v", err)
	}
	f, err := rpc.ParseFrame(reply)
	if err != nil {
		r.t.Fatalf("reply: %v", err)
	}
	return f
}

// wantError checks that f is an error frame answering id that matches
// target.
func wantError(t *testing.T, what string, f rpc.Frame, id uint64, target error) {
	t.Helper()
	err := rpc.DecodeReply(f, &rpc.Empty{})
	if f.Kind != rpc.Error || f.ID != id || !errors.Is(err, target) {
		t.Errorf("%s: reply %s id %d: %v; want an error for id %d matching %v", what, f.Kind, f.ID, err, id, target)
	}
}

// TestBadInput sends malformed, unknown, oversized, forged, replayed and
// misdirected frames; each is answered with an error (or the connection
// closed with a reason) and the validator goes on serving.
func TestBadInput(t *testing.T) {
	ctx := t.Context()
	n := newNet(t, netConfig{validators: 4, balances: []amount.Amount{tokens(0), tokens(100), tokens(0)}})
	alice := n.wallet(1)
	cert, err := alice.Transfer(ctx, transfer(n.genesis.ChainID(2), tokens(1)))
	if err != nil {
		t.Fatal(err)
	}
	c := rawDial(t, n.addrs[0])
	req := func(k rpc.Kind, id uint64, body codec.Encoder) []byte { return rpc.NewRequest(k, id, body).Marshal() }
	unknown := ids.RootDescription(999).ID()

	wantError(t, "short frame", c.roundTrip([]byte{1, 2, 3}), 0, rpc.ErrShortFrame)
	wantError(t, "unknown kind", c.roundTrip(rpc.Frame{Kind: 40, ID: 7}.Marshal()), 7, rpc.ErrUnknownKind)
	wantError(t, "reply kind as request", c.roundTrip(rpc.Frame{Kind: rpc.Response, ID: 8}.Marshal()), 8, rpc.ErrUnknownKind)
	wantError(t, "truncated body", c.roundTrip(rpc.Frame{Kind: rpc.Proposal, ID: 9, Body: []byte{1, 2}}.Marshal()), 9, codec.ErrTruncated)
	trailing := append(req(rpc.ChainInfo, 10, rpc.ChainID{ID: alice.Chain}), 0)
	wantError(t, "trailing bytes", c.roundTrip(trailing), 10, codec.ErrTrailing)
	wantError(t, "update from a client", c.roundTrip(req(rpc.Update, 11, chain.Update{Sender: alice.Chain, Recipient: unknown})), 11, rpc.ErrUnknownKind)

	p := block.NewProposal(block.Block{Chain: alice.Chain, Height: 1, Timestamp: nowMicro(), Previous: cert.Hash(),
		Signer: n.owners[1].Owner()}, block.Round{Kind: block.MultiLeader}, n.owners[1], nil)
	p.Signature[0] ^= 1
	wantError(t, "bad proposal signature", c.roundTrip(req(rpc.Proposal, 12, p)), 12, keys.ErrBadSignature)

	forged := *cert
	forged.Signatures = append([]block.IndexedSignature(nil), cert.Signatures...)
	forged.Signatures[0].Signature[5] ^= 1
	wantError(t, "forged certificate", c.roundTrip(req(rpc.Certificate, 13, &forged)), 13, keys.ErrBadSignature)

	stranger := testKey(rand.New(rand.NewPCG(99, 99)))
	p = block.NewProposal(block.Block{Chain: unknown, Timestamp: nowMicro(), Signer: stranger.Owner()},
		block.Round{Kind: block.MultiLeader}, stranger, nil)
	wantError(t, "proposal for an unknown chain", c.roundTrip(req(rpc.Proposal, 14, p)), 14, chain.ErrInactive)
	wantError(t, "certificates of an unknown chain", c.roundTrip(req(rpc.Certificates, 15, rpc.CertRange{Chain: unknown, Limit: 5})), 15, rpc.ErrNotFound)
	info := c.roundTrip(req(rpc.ChainInfo, 16, rpc.ChainID{ID: unknown}))
	var in chain.Info
	if err := rpc.DecodeReply(info, &in); err != nil || in.Active {
		t.Errorf("chain info of an unknown chain = %+v, %v; want an inactive chain", in, err)
	}

	before := n.tip(0, alice.Chain)
	replay := c.roundTrip(req(rpc.Certificate, 17, cert))
	if err := rpc.DecodeReply(replay, &rpc.OptionalVote{}); err != nil || n.tip(0, alice.Chain) != before {
		t.Errorf("replayed certificate: %v, tip %+v (was %+v); want it accepted again without effect", err, n.tip(0, alice.Chain), before)
	}

	c.send(make([]byte, rpc.MaxFrameSize+1))
	_, _, err = c.c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Errorf("oversized frame: connection ended with %v (status %d), want a close with StatusMessageTooBig", err, got)
	}
	text := rawDial(t, n.addrs[0])
	text.c.Write(ctx, websocket.MessageText, []byte("hello"))
	if _, _, err := text.c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
		t.Errorf("text message: connection ended with %v, want a close with StatusUnsupportedData", err)
	}

	// Still serving, on a new connection, and the chain still moves.
	if _, err := alice.Transfer(ctx, transfer(n.genesis.ChainID(2), tokens(1))); err != nil {
		t.Fatalf("transfer after the bad input: %v", err)
	}
	if got := n.tip(0, alice.Chain).NextHeight; got != 2 {
		t.Errorf("alice's next height = %d, want 2", got)
	}
}

// TestHTTPPost sends one-shot frames to /rpc.
func TestHTTPPost(t *testing.T) {
	ctx := t.Context()
	n := newNet(t, netConfig{validators: 1, balances: []amount.Amount{tokens(0), tokens(100)}})
	url := "http://" + n.addrs[0] + "/rpc"
	id := n.genesis.ChainID(1)

	reply, err := client.PostFrame(ctx, url, rpc.NewRequest(rpc.ChainInfo, 42, rpc.ChainID{ID: id}))
	var in chain.Info
	if err == nil {
		err = rpc.DecodeReply(reply, &in)
	}
	if err != nil || reply.ID != 42 || !in.Active || in.Chain != id {
		t.Fatalf("POST chain-info: id %d, %+v, %v; want the active chain, id 42", reply.ID, in, err)
	}
	reply, err = client.PostFrame(ctx, url, rpc.NewRequest(rpc.Certificates, 43, rpc.CertRange{Chain: id, Limit: 1}))
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "POST certificates of a chain without blocks", reply, 43, rpc.ErrNotFound)
	reply, err = client.PostFrame(ctx, url, rpc.NewRequest(rpc.Subscribe, 44, rpc.ChainList{IDs: []ids.ChainID{id}}))
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "POST subscribe", reply, 44, rpc.ErrUnknownKind)

	for _, tc := range []struct {
		name   string
		method string
		body   []byte
		status int
		err    error
	}{
		{"short frame", http.MethodPost, []byte{1}, http.StatusBadRequest, rpc.ErrShortFrame},
		{"oversized frame", http.MethodPost, make([]byte, rpc.MaxFrameSize+1), http.StatusRequestEntityTooLarge, rpc.ErrFrameTooLarge},
		{"GET", http.MethodGet, nil, http.StatusMethodNotAllowed, nil},
	} {
		req, _ := http.NewRequestWithContext(ctx, tc.method, url, bytes.NewReader(tc.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
		if tc.err != nil {
			f, err := rpc.ParseFrame(body)
			if err != nil {
				t.Errorf("%s: reply %v", tc.name, err)
				continue
			}
			wantError(t, tc.name, f, 0, tc.err)
		}
	}
}

// TestRateLimit gives each address three requests of credit, refilled
// at one a second on the test's clock.
func TestRateLimit(t *testing.T) {
	var clock atomic.Uint64
	clock.Store(nowMicro())
	n := newNet(t, netConfig{validators: 1, balances: []amount.Amount{tokens(0)}, tweak: func(_ int, cfg *validator.Config) {
		cfg.RateLimit, cfg.RateBurst, cfg.Now = 1, 3, clock.Load
	}})
	r := n.remote(0)
	id := n.genesis.ChainID(0)
	for i := range 3 {
		if _, err := r.ChainInfo(t.Context(), id); err != nil {
			t.Fatalf("request %d within the burst: %v", i, err)
		}
	}
	if _, err := r.ChainInfo(t.Context(), id); !errors.Is(err, rpc.ErrRateLimited) {
		t.Fatalf("request past the burst = %v, want rpc.ErrRateLimited", err)
	}
	reply, err := client.PostFrame(t.Context(), "http://"+n.addrs[0], rpc.NewRequest(rpc.ChainInfo, 1, rpc.ChainID{ID: id}))
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "POST past the burst", reply, 1, rpc.ErrRateLimited)
	clock.Add(1_000_000)
	if _, err := r.ChainInfo(t.Context(), id); err != nil {
		t.Fatalf("request a second later: %v", err)
	}
	if _, err := r.ChainInfo(t.Context(), id); !errors.Is(err, rpc.ErrRateLimited) {
		t.Fatalf("second request a second later = %v, want rpc.ErrRateLimited", err)
	}
}

// TestMetrics scrapes the metrics after a transfer.
func TestMetrics(t *testing.T) {
	n := newNet(t, netConfig{validators: 1, balances: []amount.Amount{tokens(0), tokens(10), tokens(0)}})
	// The block is counted when its effects settle, after the reply to the
	// certificate: its notification is published right after.
	notes, err := n.remote(0).Subscribe(t.Context(), []ids.ChainID{n.genesis.ChainID(1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.wallet(1).Transfer(t.Context(), transfer(n.genesis.ChainID(2), tokens(1))); err != nil {
		t.Fatal(err)
	}
	for note := range notes {
		if note.Kind == chain.NewBlock {
			break
		}
	}
	ln := listen(t, "127.0.0.1:0")
	go n.servers[0].ServeMetrics(ln) //nolint:errcheck // nil after Close
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`myriad_requests_total{kind="proposal"} 1`,
		`myriad_requests_total{kind="certificate"} `,
		`myriad_request_duration_seconds_bucket{kind="proposal",le="+Inf"} 1`,
		"myriad_blocks_confirmed_total 1\n",
		"myriad_queue_depth{shard=\"0\"} ",
		"process_cpu_seconds_total ",
		"# TYPE myriad_request_duration_seconds histogram",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", text)
	}
}
