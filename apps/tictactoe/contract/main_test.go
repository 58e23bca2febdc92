package main

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/apps/tictactoe"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

var alice, bob = sdktest.Owner("alice"), sdktest.Owner("bob")

type fixture struct {
	net        *sdktest.Network
	a, b, game *sdktest.Chain
	id         ids.ApplicationID
}

// setup has alice start a game against bob and delivers the setup.
func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{net: sdktest.NewNetwork()}
	f.a, f.b = f.net.NewChain("a"), f.net.NewChain("b")
	id, err := f.a.CreateApplication(f.net.Publish(Contract{}, nil), nil, nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	f.id = id
	out, err := f.a.Operation(id, alice, sdk.JSON(tictactoe.Operation{Start: &tictactoe.Start{Opponent: bob, OpponentChain: f.b.ID}}))
	if err != nil {
		t.Fatal(err)
	}
	f.game = f.net.Chain(sdk.FromJSON[ids.ChainID](out))
	if f.game == nil {
		t.Fatalf("start returned %s, not a chain", out)
	}
	if o := f.game.Ownership.Owners; len(o) != 2 {
		t.Fatalf("game chain owners = %+v, want alice and bob", o)
	}
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	return f
}

func (f *fixture) move(who ids.Owner, cell int) error {
	_, err := f.game.Operation(f.id, who, sdk.JSON(tictactoe.Operation{Move: &cell}))
	return err
}

func (f *fixture) play(t *testing.T, moves ...int) {
	t.Helper()
	for i, c := range moves {
		who := alice
		if i%2 == 1 {
			who = bob
		}
		if err := f.move(who, c); err != nil {
			t.Fatalf("move %d (cell %d): %v", i, c, err)
		}
	}
}

func TestWinSettlesOnBothChains(t *testing.T) {
	f := setup(t)
	f.play(t, 0, 3, 1, 4, 2) // alice takes the top row
	g := tictactoe.State(f.game.Store(f.id)).Get()
	if !g.Over || g.Winner != alice {
		t.Fatalf("game = %+v, want alice to win", g)
	}
	if err := f.move(bob, 5); !errors.Is(err, app.ErrAborted) {
		t.Errorf("move after the end: err = %v, want an abort", err)
	}
	if errs := f.net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	if s := tictactoe.Scores(f.a.Store(f.id)).Get(alice); s != (tictactoe.Score{Wins: 1}) {
		t.Errorf("alice's score on a = %+v", s)
	}
	if s := tictactoe.Scores(f.b.Store(f.id)).Get(bob); s != (tictactoe.Score{Losses: 1}) {
		t.Errorf("bob's score on b = %+v", s)
	}
	if r := tictactoe.Results(f.b.Store(f.id)).All(); len(r) != 1 || r[0].Game != f.game.ID || r[0].Opponent != alice {
		t.Errorf("results on b = %+v", r)
	}
}

func TestDraw(t *testing.T) {
	f := setup(t)
	f.play(t, 0, 1, 2, 4, 3, 5, 7, 6, 8)
	g := tictactoe.State(f.game.Store(f.id)).Get()
	if !g.Over || !g.Winner.IsZero() {
		t.Fatalf("game = %+v, want a draw", g)
	}
	f.net.Deliver()
	if s := tictactoe.Scores(f.a.Store(f.id)).Get(alice); s != (tictactoe.Score{Draws: 1}) {
		t.Errorf("alice's score = %+v", s)
	}
}

func TestBadMoves(t *testing.T) {
	f := setup(t)
	for name, err := range map[string]error{
		"bob before alice": f.move(bob, 0),
		"no such cell":     f.move(alice, 9),
		"negative cell":    f.move(alice, -1),
		"no signer":        f.move(ids.Owner{}, 0),
		"a stranger":       f.move(sdktest.Owner("eve"), 0),
	} {
		if !errors.Is(err, app.ErrAborted) {
			t.Errorf("%s: err = %v, want an abort", name, err)
		}
	}
	f.play(t, 4)
	if err := f.move(bob, 4); !errors.Is(err, app.ErrAborted) {
		t.Errorf("taken cell: err = %v, want an abort", err)
	}
	if err := f.move(alice, 0); !errors.Is(err, app.ErrAborted) {
		t.Errorf("alice twice: err = %v, want an abort", err)
	}
	// No game on a player's chain; no second setup; no forged result.
	if err := f.a.Receive(f.b.ID, f.id, ids.Owner{}, []byte(`{"result":{"game":"`+f.game.ID.String()+`","player":"`+alice.String()+`","outcome":"win"}}`)); !errors.Is(err, app.ErrAborted) {
		t.Errorf("forged result: err = %v, want an abort", err)
	}
	if err := f.game.Receive(f.a.ID, f.id, ids.Owner{}, sdk.JSON(tictactoe.Message{Setup: &tictactoe.Game{X: bob, O: alice}})); !errors.Is(err, app.ErrAborted) {
		t.Errorf("second setup: err = %v, want an abort", err)
	}
	if err := func() error {
		c := 0
		_, err := f.a.Operation(f.id, alice, sdk.JSON(tictactoe.Operation{Move: &c}))
		return err
	}(); !errors.Is(err, app.ErrAborted) {
		t.Errorf("move on a player's chain: err = %v, want an abort", err)
	}
}

func TestStartRefusals(t *testing.T) {
	f := setup(t)
	for name, s := range map[string]tictactoe.Start{
		"against oneself": {Opponent: alice, OpponentChain: f.b.ID},
		"no opponent":     {OpponentChain: f.b.ID},
		"no chain":        {Opponent: bob},
	} {
		if _, err := f.a.Operation(f.id, alice, sdk.JSON(tictactoe.Operation{Start: &s})); !errors.Is(err, app.ErrAborted) {
			t.Errorf("%s: err = %v, want an abort", name, err)
		}
	}
}
