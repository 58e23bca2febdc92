package wallet

import (
	"context"
	"fmt"

	"github.com/myriadchain/myriad/core/committee"
	client "github.com/myriadchain/myriad/node-client"
)

// RemoteDialer reaches validators over the WebSocket transport, natively
// and in the browser alike. The connection is made by the first request,
// so a validator that is down costs nothing until it is asked, and then
// fails that request only.
type RemoteDialer struct{}

// Dial implements Dialer.
func (RemoteDialer) Dial(ctx context.Context, v committee.Validator) (client.Node, error) {
	r, err := client.Dial(ctx, v.Address, client.DialOptions{PublicKey: v.PublicKey, Lazy: true})
	if err != nil {
		return nil, fmt.Errorf("dial validator %s: %w", v.PublicKey.Short(), err)
	}
	return r, nil
}
