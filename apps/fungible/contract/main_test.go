package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/fungible"
	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

var (
	alice = sdktest.Owner("alice")
	bob   = sdktest.Owner("bob")
	carol = sdktest.Owner("carol")
)

type fixture struct {
	net  *sdktest.Network
	a, b *sdktest.Chain
	id   ids.ApplicationID
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{net: sdktest.NewNetwork()}
	f.a, f.b = f.net.NewChain("a"), f.net.NewChain("b")
	arg := fmt.Sprintf(`{"accounts":{"%s":"100"}}`, alice)
	id, err := f.a.CreateApplication(f.net.Publish(Token{}, nil), []byte(`{"ticker":"MYT"}`), []byte(arg), alice)
	if err != nil {
		t.Fatal(err)
	}
	f.id = id
	return f
}

func (f *fixture) balance(c *sdktest.Chain, o ids.Owner) string {
	return fungible.Accounts(c.Store(f.id)).Get(o).String()
}

func (f *fixture) transfer(c *sdktest.Chain, signer, from ids.Owner, amt string, to *sdktest.Chain, owner ids.Owner) error {
	op := fungible.Operation{Transfer: &fungible.Transfer{Owner: from, Amount: amount.MustParse(amt),
		Target: fungible.Account{Chain: to.ID, Owner: owner}}}
	_, err := c.Operation(f.id, signer, sdk.JSON(op))
	return err
}

func (f *fixture) want(t *testing.T, c *sdktest.Chain, o ids.Owner, want string) {
	t.Helper()
	if got := f.balance(c, o); got != want {
		t.Errorf("balance of %s on %s = %s, want %s", o.Short(), c.ID.Short(), got, want)
	}
}

func TestInstantiateRefusals(t *testing.T) {
	net := sdktest.NewNetwork()
	a := net.NewChain("a")
	mod := net.Publish(Token{}, nil)
	for _, tc := range []struct{ params, arg string }{
		{`{}`, `{"accounts":{}}`},
		{`{"ticker":"T"}`, `{"accounts":{"zz":"1"}}`},
		{`{"ticker":"T"}`, fmt.Sprintf(`{"accounts":{"%s":"1"}}`, ids.Owner{})},
	} {
		if _, err := a.CreateApplication(mod, []byte(tc.params), []byte(tc.arg), alice); err == nil {
			t.Errorf("create with %s %s: no error", tc.params, tc.arg)
		}
	}
}

func TestLocalTransfer(t *testing.T) {
	f := setup(t)
	if err := f.transfer(f.a, alice, alice, "30", f.a, bob); err != nil {
		t.Fatal(err)
	}
	f.want(t, f.a, alice, "70")
	f.want(t, f.a, bob, "30")
	for name, err := range map[string]error{
		"not the signer":    f.transfer(f.a, bob, alice, "1", f.a, bob),
		"no signer":         f.transfer(f.a, ids.Owner{}, alice, "1", f.a, bob),
		"insufficient":      f.transfer(f.a, bob, bob, "30.5", f.a, alice),
		"zero":              f.transfer(f.a, alice, alice, "0", f.a, bob),
		"to the zero owner": f.transfer(f.a, alice, alice, "1", f.a, ids.Owner{}),
	} {
		if !errors.Is(err, app.ErrAborted) {
			t.Errorf("%s: err = %v, want an abort", name, err)
		}
	}
	f.want(t, f.a, alice, "70")
	f.want(t, f.a, bob, "30")
}

func TestCrossChainTransfer(t *testing.T) {
	f := setup(t)
	if err := f.transfer(f.a, alice, alice, "20.5", f.b, carol); err != nil {
		t.Fatal(err)
	}
	if len(f.a.Sent) != 1 || !f.a.Sent[0].Tracked || f.a.Sent[0].To != f.b.ID {
		t.Fatalf("sent %+v, want one tracked message to b", f.a.Sent)
	}
	f.want(t, f.a, alice, "79.5")
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	f.want(t, f.b, carol, "20.5")
}

func TestRejectedCreditBounces(t *testing.T) {
	f := setup(t)
	f.b.RejectIncoming = true
	if err := f.transfer(f.a, alice, alice, "10", f.b, carol); err != nil {
		t.Fatal(err)
	}
	f.want(t, f.a, alice, "90")
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("Deliver: %v, want one rejection", errs)
	}
	f.want(t, f.a, alice, "100")
	f.want(t, f.b, carol, "0")
}

func TestFailingCreditBounces(t *testing.T) {
	f := setup(t)
	if err := f.transfer(f.a, alice, alice, "10", f.b, ids.Owner{}); err != nil {
		t.Fatal(err)
	}
	errs := f.net.Deliver()
	if len(errs) != 1 || !errors.Is(errs[0], app.ErrAborted) {
		t.Fatalf("Deliver: %v, want the credit's abort", errs)
	}
	f.want(t, f.a, alice, "100")
}

func (f *fixture) claim(c *sdktest.Chain, signer ids.Owner, from *sdktest.Chain, owner ids.Owner, amt string, to *sdktest.Chain, target ids.Owner) error {
	op := fungible.Operation{Claim: &fungible.Claim{Source: fungible.Account{Chain: from.ID, Owner: owner},
		Amount: amount.MustParse(amt), Target: fungible.Account{Chain: to.ID, Owner: target}}}
	_, err := c.Operation(f.id, signer, sdk.JSON(op))
	return err
}

func TestClaim(t *testing.T) {
	f := setup(t)
	// Alice, on chain b, pulls 40 from her account on chain a to bob on b.
	if err := f.claim(f.b, alice, f.a, alice, "40", f.b, bob); err != nil {
		t.Fatal(err)
	}
	if s := f.b.Sent; len(s) != 1 || !s[0].Authenticated || !s[0].Tracked {
		t.Fatalf("sent %+v, want one authenticated tracked message", s)
	}
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	f.want(t, f.a, alice, "60")
	f.want(t, f.b, bob, "40")

	// Too much: the withdrawal fails on a and bounces; nothing moves.
	if err := f.claim(f.b, alice, f.a, alice, "61", f.b, bob); err != nil {
		t.Fatal(err)
	}
	if errs := f.net.Deliver(); len(errs) != 1 {
		t.Fatalf("Deliver: %v, want one rejection", errs)
	}
	f.want(t, f.a, alice, "60")
	f.want(t, f.b, bob, "40")

	// Nobody claims from another's account.
	if err := f.claim(f.b, bob, f.a, alice, "1", f.b, bob); !errors.Is(err, app.ErrAborted) {
		t.Errorf("bob claims alice's tokens: err = %v, want an abort", err)
	}
}

func TestUnknownOperation(t *testing.T) {
	f := setup(t)
	for _, op := range []string{`{}`, `{"burn":{}}`, `{"transfer":{},"claim":{}}`} {
		if _, err := f.a.Operation(f.id, alice, []byte(op)); err == nil {
			t.Errorf("operation %s: no error", op)
		}
	}
}
