package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

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
