//go:build !js

package wallet

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// post sends body to url with net/http's default client and returns the
// status and at most maxFaucetAnswer+1 bytes of the answer.
func post(ctx context.Context, url, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFaucetAnswer+1))
	return resp.StatusCode, b, err
}
