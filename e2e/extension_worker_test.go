package e2e

import (
	"context"
	"testing"
	"time"
)

// extensionOnWorkerFaucet onboards a new wallet in the extension against
// the faucet running as a Cloudflare Worker under workerd (issue 7): the
// genesis and the first chain come from the Worker. TestFaucetWorker runs
// it on its network; built waits for buildExtension.
func extensionOnWorkerFaucet(t *testing.T, ctx context.Context, built func() string, url string) {
	e := startExtBrowser(t, ctx, built(), t.TempDir(), artifacts(t))
	popup := e.page("")
	popup.goto_(extURL("popup.html"))
	chain, _ := onboard(t, popup, url)
	popup.wait(tid("synced"), 30*time.Second)
	if b := popup.text(tid(`balance"][data-chain="` + chain)); b != "100" {
		t.Fatalf("balance of the chain from the Worker faucet = %q, want 100", b)
	}
	popup.screenshot("home-worker-faucet")
}
