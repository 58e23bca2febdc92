package main

import (
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/tictactoe"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestService(t *testing.T) {
	net := sdktest.NewNetwork()
	g, b := net.NewChain("game"), net.NewChain("b")
	alice, bob := sdktest.Owner("alice"), sdktest.Owner("bob")
	id, err := g.CreateApplication(net.Publish(nil, Service), nil, nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	resp, _, _ := g.GraphQL(id, `query { board turn winner players { x } games }`, nil)
	if resp.Err() != nil || string(resp.Data) != `{"board":["","","","","","","","",""],"turn":null,"winner":null,"players":null,"games":[]}` {
		t.Fatalf("no game: %s %v", resp.Data, resp.Err())
	}
	game := tictactoe.Game{X: alice, O: bob}
	game.Play(alice, 4)
	tictactoe.State(g.Store(id)).Set(game)
	tictactoe.Scores(g.Store(id)).Set(bob, tictactoe.Score{Wins: 2, Draws: 1})
	resp, _, _ = g.GraphQL(id, fmt.Sprintf(`query { board turn winner players { x o } score(owner: "%s") { wins losses draws } }`, bob), nil)
	want := fmt.Sprintf(`{"board":["","","","","X","","","",""],"turn":"%s","winner":null,"players":{"x":"%s","o":"%s"},"score":{"wins":2,"losses":0,"draws":1}}`, bob, alice, bob)
	if resp.Err() != nil || string(resp.Data) != want {
		t.Errorf("query = %s (%v)\nwant %s", resp.Data, resp.Err(), want)
	}
	_, ops, _ := g.GraphQL(id, `mutation { move(cell: 3) }`, nil)
	if len(ops) != 1 || string(ops[0]) != `{"move":3}` {
		t.Errorf("move scheduled %q", ops)
	}
	_, ops, _ = g.GraphQL(id, fmt.Sprintf(`mutation { start(opponent: "%s", opponentChain: "%s") }`, bob, b.ID), nil)
	wantOp := fmt.Sprintf(`{"start":{"opponent":"%s","opponentChain":"%s","balance":"0"}}`, bob, b.ID)
	if len(ops) != 1 || string(ops[0]) != wantOp {
		t.Errorf("start scheduled %q, want %s", ops, wantOp)
	}
	resp, ops, _ = g.GraphQL(id, `mutation { move(cell: 9) }`, nil)
	if resp.Err() == nil || len(ops) != 0 {
		t.Errorf("move 9: %v %q, want an error", resp.Err(), ops)
	}
}
