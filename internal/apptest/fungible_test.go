package apptest

import (
	"context"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
)

func balance(t *testing.T, c *client.Client, a ids.ApplicationID, owner ids.Owner) string {
	t.Helper()
	got, _ := query(t, c, a, fmt.Sprintf(`query { balance(owner: "%s") }`, owner))
	data, _ := got["data"].(map[string]any)
	s, _ := data["balance"].(string)
	return s
}

func processInbox(t *testing.T, net *testnet.Network, c *client.Client) *block.Certificate {
	t.Helper()
	if err := net.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	cert, err := c.ProcessInbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestFungibleAcrossChainsAndBounce(t *testing.T) {
	net := newNet(t)
	contract, service := appstest.Build(t, "fungible")
	w1, w2 := net.Wallet(1), net.Wallet(2)
	o1, o2 := w1.Key.Owner(), w2.Key.Owner()
	a := create(t, w1, contract, service, `{"ticker":"MYT"}`, fmt.Sprintf(`{"accounts":{"%s":"100"}}`, o1))
	if b := balance(t, w1, a, o1); b != "100" {
		t.Fatalf("initial balance %q", b)
	}
	send := func(amount string, to ids.ChainID, owner ids.Owner) {
		op := fmt.Sprintf(`{"transfer":{"owner":"%s","amount":"%s","target":{"chain":"%s","owner":"%s"}}}`, o1, amount, to, owner)
		mustExec(t, w1, block.Operation{App: a, Bytes: []byte(op)})
	}
	// A cross-chain transfer arrives once the recipient takes its inbox.
	send("30", w2.Chain, o2)
	if b := balance(t, w1, a, o1); b != "70" {
		t.Fatalf("sender after transfer: %q", b)
	}
	processInbox(t, net, w2)
	if b := balance(t, w2, a, o2); b != "30" {
		t.Fatalf("recipient: %q, want 30", b)
	}
	// A credit the recipient cannot take (the zero owner) is rejected by
	// its wallet; the tracked message bounces and re-credits the sender.
	send("5", w2.Chain, ids.Owner{})
	if b := balance(t, w1, a, o1); b != "65" {
		t.Fatalf("sender after second transfer: %q", b)
	}
	cert := processInbox(t, net, w2)
	if cert == nil || cert.Value.Block.Block.Transactions[0].Bundle.Action != block.Reject {
		t.Fatalf("the failing bundle was not rejected")
	}
	processInbox(t, net, w1)
	if b := balance(t, w1, a, o1); b != "70" {
		t.Fatalf("sender after the bounce: %q, want 70", b)
	}
}
