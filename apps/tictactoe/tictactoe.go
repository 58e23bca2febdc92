// Package tictactoe is a turn-based game on a temporary chain: a player
// starts a game from its own chain, which opens a new chain owned by both
// players (a multi-owner ownership) and sends it the game; the players take
// turns with move operations on the game chain, each checked for turn and
// validity; when the game ends the game chain sends each player's chain a
// result message, which keeps the player's score. Its contract is in
// ./contract, its service in ./service; this package holds what both share.
package tictactoe

import (
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Operation is one of the game's operations, as JSON: exactly one field is
// set.
type Operation struct {
	// Start, on the starting player's chain, opens a game chain against
	// an opponent.
	Start *Start `json:"start,omitempty"`
	// Move, on the game chain, marks a cell (0–8, row by row) for the
	// signer, whose turn it must be.
	Move *int `json:"move,omitempty"`
}

// Start starts a game: the signer plays X and moves first.
type Start struct {
	Opponent      ids.Owner   `json:"opponent"`
	OpponentChain ids.ChainID `json:"opponentChain"`
	// Balance funds the game chain from the starting chain's account
	// (its blocks pay fees); "0" if omitted.
	Balance sdk.Amount `json:"balance"`
}

// Message is one of the game's messages, as JSON: exactly one field is set.
type Message struct {
	// Setup gives a new game chain its game.
	Setup *Game `json:"setup,omitempty"`
	// Result tells a player's chain how a game ended for that player.
	Result *Result `json:"result,omitempty"`
}

// Game is a game's state on its chain.
type Game struct {
	X, O           ids.Owner   // the players; X moves first
	XChain, OChain ids.ChainID // where their results go
	Board          [9]uint8    // 0 empty, 1 X, 2 O
	Moves          int
	Over           bool
	Winner         ids.Owner // zero: none (yet) or a draw
}

// Turn returns the player to move, or zero once the game is over.
func (g *Game) Turn() ids.Owner {
	switch {
	case g.Over:
		return ids.Owner{}
	case g.Moves%2 == 0:
		return g.X
	default:
		return g.O
	}
}

var lines = [8][3]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}}

// Play marks cell for player, or returns why it may not.
func (g *Game) Play(player ids.Owner, cell int) string {
	switch {
	case g.Over:
		return "the game is over"
	case player != g.Turn():
		return "not your turn"
	case cell < 0 || cell > 8:
		return "no such cell"
	case g.Board[cell] != 0:
		return "the cell is taken"
	}
	mark := uint8(g.Moves%2 + 1)
	g.Board[cell] = mark
	g.Moves++
	for _, l := range lines {
		if g.Board[l[0]] == mark && g.Board[l[1]] == mark && g.Board[l[2]] == mark {
			g.Over, g.Winner = true, player
		}
	}
	if g.Moves == 9 {
		g.Over = true
	}
	return ""
}

// Outcomes of a game for a player.
const (
	Win  = "win"
	Loss = "loss"
	Draw = "draw"
)

// Result is how a game ended for Player.
type Result struct {
	Game     ids.ChainID `json:"game"`
	Player   ids.Owner   `json:"player"`
	Opponent ids.Owner   `json:"opponent"`
	Outcome  string      `json:"outcome"`
}

// Score is a player's record on its chain.
type Score struct {
	Wins, Losses, Draws uint64
}

// State is the game, on a game chain.
func State(s sdk.Store) sdk.Register[Game] { return sdk.NewRegister[Game](s, "game") }

// Scores is the players' scores on their chains.
func Scores(s sdk.Store) sdk.Map[ids.Owner, Score] { return sdk.NewMap[ids.Owner, Score](s, "scores") }

// Results is the results received by a player's chain, in order.
func Results(s sdk.Store) sdk.Log[Result] { return sdk.NewLog[Result](s, "results") }

// Started is the game chains started from this chain, in order.
func Started(s sdk.Store) sdk.Log[ids.ChainID] { return sdk.NewLog[ids.ChainID](s, "started") }
