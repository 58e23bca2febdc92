package validator_test

import (
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	client "github.com/myriadchain/myriad/node-client"
)

// BenchmarkTransfer measures confirmed transfer blocks over WebSocket on
// four in-process validators with pebble storage (two phases per block:
// validated, then confirmed), with 8 wallets proposing concurrently.
func BenchmarkTransfer(b *testing.B) {
	const wallets = 8
	balances := make([]amount.Amount, wallets+1)
	for i := range balances {
		balances[i] = tokens(1_000_000)
	}
	n := newNet(b, netConfig{validators: 4, shards: 2, pebble: true, balances: balances})
	ws := make([]*client.Client, wallets)
	for i := range ws {
		ws[i] = n.wallet(i + 1)
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	per := (b.N + wallets - 1) / wallets
	for i, w := range ws {
		wg.Go(func() {
			to := ws[(i+1)%wallets].Chain
			for range per {
				if _, err := w.Transfer(b.Context(), transfer(to, amount.Attos(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(per*wallets)/b.Elapsed().Seconds(), "blocks/s")
}
