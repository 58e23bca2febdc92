package main

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/apps/auction"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

var (
	alice = sdktest.Owner("alice") // the seller
	bob   = sdktest.Owner("bob")
	carol = sdktest.Owner("carol")
)

type fixture struct {
	net        *sdktest.Network
	auc, b, c  *sdktest.Chain
	id         ids.ApplicationID
	appAccount ids.Owner
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{net: sdktest.NewNetwork()}
	f.auc, f.b, f.c = f.net.NewChain("auction"), f.net.NewChain("b"), f.net.NewChain("c")
	f.auc.Timestamp = 1_000
	arg := `{"item":"a painting","closesAt":5000,"minimumBid":"10"}`
	id, err := f.auc.CreateApplication(f.net.Publish(Contract{}, nil), nil, []byte(arg), alice)
	if err != nil {
		t.Fatal(err)
	}
	f.id, f.appAccount = id, app.AccountOwner(id)
	f.b.SetBalance(bob, amount.Tokens(100))
	f.c.SetBalance(carol, amount.Tokens(100))
	f.auc.SetBalance(carol, amount.Tokens(100))
	return f
}

func (f *fixture) bid(c *sdktest.Chain, who ids.Owner, amt string) error {
	a := amount.MustParse(amt)
	_, err := c.Operation(f.id, who, sdk.JSON(auction.Operation{Bid: &a}))
	return err
}

func wantBalance(t *testing.T, c *sdktest.Chain, o ids.Owner, want string) {
	t.Helper()
	if got := c.Balance(o).String(); got != want {
		t.Errorf("balance of %s on %s = %s, want %s", o.Short(), c.ID.Short(), got, want)
	}
}

func TestAuction(t *testing.T) {
	f := setup(t)
	if err := f.bid(f.b, bob, "12"); err != nil {
		t.Fatal(err)
	}
	wantBalance(t, f.b, bob, "88")
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	wantBalance(t, f.auc, f.appAccount, "12")

	// Too low (does not beat 12): the bundle is rejected, the credit
	// bounces back to carol and her chain records the refusal.
	if err := f.bid(f.c, carol, "11"); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("Deliver: %v, want one rejection", errs)
	}
	wantBalance(t, f.c, carol, "100")
	if r := auction.Refused(f.c.Store(f.id)).All(); len(r) != 1 || r[0].Amount.String() != "11" {
		t.Errorf("refused on c = %+v", r)
	}

	if err := f.bid(f.c, carol, "15"); err != nil {
		t.Fatal(err)
	}
	// A local bid on the auction chain itself.
	if err := f.bid(f.auc, carol, "20"); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("Deliver: %v, want carol's 15 refused after her local 20", errs)
	}
	wantBalance(t, f.c, carol, "100")

	// Closing early is refused.
	if _, err := f.auc.Operation(f.id, bob, sdk.JSON(auction.Operation{Close: true})); !errors.Is(err, app.ErrAborted) {
		t.Fatalf("early close: err = %v, want an abort", err)
	}
	f.auc.Timestamp = 5_000
	// A bid after the closing time bounces.
	if err := f.bid(f.b, bob, "50"); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("Deliver: %v, want the late bid rejected", errs)
	}
	wantBalance(t, f.b, bob, "88")

	if _, err := f.auc.Operation(f.id, bob, sdk.JSON(auction.Operation{Close: true})); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	wantBalance(t, f.auc, alice, "20") // the seller is paid
	wantBalance(t, f.b, bob, "100")    // the loser is refunded on its chain
	wantBalance(t, f.auc, f.appAccount, "0")
	a := auction.State(f.auc.Store(f.id)).Get()
	if !a.Closed || a.Winner == nil || a.Winner.Bidder != carol || a.Winner.Amount.String() != "20" {
		t.Errorf("auction after close = %+v", a)
	}
	if _, err := f.auc.Operation(f.id, bob, sdk.JSON(auction.Operation{Close: true})); !errors.Is(err, app.ErrAborted) {
		t.Errorf("second close: err = %v, want an abort", err)
	}
}

func TestBidRefusals(t *testing.T) {
	f := setup(t)
	for name, err := range map[string]error{
		"below the minimum on the auction chain": f.bid(f.auc, carol, "9"),
		"zero":                                   f.bid(f.b, bob, "0"),
		"more than the bidder has":               f.bid(f.b, bob, "101"),
		"no signer":                              f.bid(f.b, ids.Owner{}, "12"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := f.bid(f.b, bob, "9"); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("below the minimum from b: %v, want one rejection", errs)
	}
	wantBalance(t, f.b, bob, "100")
	// A bid message whose signer is not its bidder is refused.
	forged := auction.Bid{Bidder: bob, Chain: f.c.ID, Amount: amount.Tokens(50)}
	if err := f.auc.Receive(f.c.ID, f.id, carol, sdk.JSON(forged)); !errors.Is(err, app.ErrAborted) {
		t.Errorf("forged bid: err = %v, want an abort", err)
	}
}

func TestInstantiateRefusals(t *testing.T) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	a.Timestamp = 100
	mod := net.Publish(Contract{}, nil)
	for _, arg := range []string{
		`{"item":"","closesAt":500,"minimumBid":"1"}`,
		`{"item":"x","closesAt":50,"minimumBid":"1"}`,
		`{"item":"x","closesAt":500,"minimumBid":"0"}`,
	} {
		if _, err := a.CreateApplication(mod, nil, []byte(arg), alice); err == nil {
			t.Errorf("create with %s: no error", arg)
		}
	}
	if _, err := a.CreateApplication(mod, nil, []byte(`{"item":"x","closesAt":500,"minimumBid":"1"}`), ids.Owner{}); err == nil {
		t.Error("create without a signer: no error")
	}
}
