package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/rpc"
)

// PostFrame sends one request frame to a validator's HTTP endpoint and
// returns its reply frame, for clients that cannot hold a WebSocket.
// httpURL is "http://host:port/rpc"; a bare validator address
// ("ws://host:port" or "http://host:port") gets the /rpc path. The reply
// may be an Error frame: decode it with rpc.DecodeReply.
func PostFrame(ctx context.Context, httpURL string, f rpc.Frame) (rpc.Frame, error) {
	url, err := Endpoint(httpURL, "http", "/rpc")
	if err != nil {
		return rpc.Frame{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(f.Marshal()))
	if err != nil {
		return rpc.Frame{}, fmt.Errorf("client: post frame: %w", err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return rpc.Frame{}, fmt.Errorf("%w: post frame: %w", rpc.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, rpc.MaxFrameSize+1))
	if err != nil {
		return rpc.Frame{}, fmt.Errorf("%w: post frame: read reply: %w", rpc.ErrUnavailable, err)
	}
	reply, err := rpc.ParseFrame(body)
	if err != nil {
		return rpc.Frame{}, fmt.Errorf("client: post frame: %s: %w", resp.Status, err)
	}
	return reply, nil
}

// HTTPNode is a validator reached by posting one frame per request to its
// HTTP endpoint (PostFrame), for runtimes that cannot hold a WebSocket or
// should not (a Cloudflare Worker, where fetch is the way out). It holds no
// connection and is safe for concurrent use. It implements Node and
// BlobNode; notifications need the WebSocket transport (Remote).
type HTTPNode struct {
	url string
	pub keys.PublicKey
}

var (
	_ Node     = (*HTTPNode)(nil)
	_ BlobNode = (*HTTPNode)(nil)
)

// NewHTTPNode returns the validator with key pub at address ("ws://host:port"
// as the committee lists it, or "http://host:port[/rpc]").
func NewHTTPNode(address string, pub keys.PublicKey) (*HTTPNode, error) {
	url, err := Endpoint(address, "http", "/rpc")
	if err != nil {
		return nil, err
	}
	return &HTTPNode{url: url, pub: pub}, nil
}

// PublicKey implements Node.
func (h *HTTPNode) PublicKey() keys.PublicKey { return h.pub }

// ConcurrentSafe marks the node as safe for concurrent requests.
func (h *HTTPNode) ConcurrentSafe() {}

// Call posts a request of kind k with body and decodes the reply into
// reply; an error reply is returned as a *rpc.RemoteError.
func (h *HTTPNode) Call(ctx context.Context, k rpc.Kind, body codec.Encoder, reply codec.Decoder) error {
	rep, err := PostFrame(ctx, h.url, rpc.NewRequest(k, 1, body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", h.url, k, err)
	}
	return rpc.DecodeReply(rep, reply)
}

// HandleProposal implements Node.
func (h *HTTPNode) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	var v block.Vote
	err := h.Call(ctx, rpc.Proposal, p, &v)
	return v, err
}

// HandleCertificate implements Node.
func (h *HTTPNode) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	var o rpc.OptionalVote
	if err := h.Call(ctx, rpc.Certificate, c, &o); err != nil {
		return nil, err
	}
	return o.Vote, nil
}

// ChainInfo implements Node.
func (h *HTTPNode) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	var in chain.Info
	if err := h.Call(ctx, rpc.ChainInfo, rpc.ChainID{ID: id}, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// Certificate implements Node.
func (h *HTTPNode) Certificate(ctx context.Context, id ids.ChainID, height uint64) (*block.Certificate, error) {
	var l rpc.CertList
	if err := h.Call(ctx, rpc.Certificates, rpc.CertRange{Chain: id, From: height, Limit: 1}, &l); err != nil {
		return nil, err
	}
	if len(l.Certs) == 0 || l.Certs[0].Value.Height() != height {
		return nil, fmt.Errorf("%w: block %d of %s from %s", rpc.ErrNotFound, height, id.Short(), h.url)
	}
	return &l.Certs[0], nil
}

// RequestTimeout implements Node.
func (h *HTTPNode) RequestTimeout(ctx context.Context, id ids.ChainID, height uint64) (block.Vote, error) {
	var v block.Vote
	err := h.Call(ctx, rpc.Timeout, rpc.TimeoutRequest{Chain: id, Height: height}, &v)
	return v, err
}

// UploadBlobs implements BlobNode, one request per blob.
func (h *HTTPNode) UploadBlobs(ctx context.Context, blobs []app.Blob) error {
	for _, b := range blobs {
		if err := h.Call(ctx, rpc.UploadBlobs, rpc.BlobList{Blobs: []app.Blob{b}}, &rpc.Empty{}); err != nil {
			return fmt.Errorf("upload blob %s: %w", b.ID().Short(), err)
		}
	}
	return nil
}

// DownloadBlob implements BlobNode.
func (h *HTTPNode) DownloadBlob(ctx context.Context, id ids.BlobID) (app.Blob, error) {
	var b app.Blob
	if err := h.Call(ctx, rpc.DownloadBlob, rpc.BlobID{ID: id}, &b); err != nil {
		return app.Blob{}, fmt.Errorf("download blob %s: %w", id.Short(), err)
	}
	return b, nil
}
