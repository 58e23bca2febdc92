package apptest

import (
	"context"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
)

// TestFollowerSyncsPublishedModule: a node that follows a chain whose
// block published a module (two blobs, a contract and a service, in one
// block) fetches both from the validators as it executes the block.
func TestFollowerSyncsPublishedModule(t *testing.T) {
	ctx := context.Background()
	net := newNet(t)
	contract, service := appstest.Build(t, "counter")
	w1 := net.Wallet(1)
	a := create(t, w1, contract, service, "", "7")

	follower := net.WalletFor(w1.Chain, net.Key(2)) // a fresh local node
	if err := follower.Sync(ctx); err != nil {
		t.Fatalf("a follower syncs the chain that published the module: %v", err)
	}
	if got, want := follower.Local.OpenState(ctx, w1.Chain).Tip(), w1.Local.OpenState(ctx, w1.Chain).Tip(); got != want {
		t.Fatalf("follower's tip %+v, want %+v", got, want)
	}
	if got, _ := query(t, follower, a, "query { value }"); got["data"].(map[string]any)["value"] != 7.0 {
		t.Errorf("the follower's counter = %v, want 7", got)
	}
}
