// Command contract is the tic-tac-toe game's contract module.
package main

import (
	"github.com/myriadchain/myriad/apps/tictactoe"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// Contract is the game's contract.
type Contract struct{}

// Instantiate needs no argument.
func (Contract) Instantiate(rt *contract.Runtime, arg []byte) {}

// ExecuteOperation starts a game or plays a move.
func (Contract) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
	o := sdk.FromJSON[tictactoe.Operation](op)
	switch {
	case o.Start != nil && o.Move == nil:
		return sdk.JSON(start(rt, o.Start))
	case o.Move != nil && o.Start == nil:
		move(rt, *o.Move)
	default:
		panic("tictactoe: an operation is one of start or move")
	}
	return nil
}

// start opens a chain owned by both players and sends it the game; it
// returns the game chain's id.
func start(rt *contract.Runtime, s *tictactoe.Start) ids.ChainID {
	x := rt.MustSigner()
	sdk.Require(!s.Opponent.IsZero() && s.Opponent != x, "tictactoe: the opponent must be another owner")
	sdk.Require(!s.OpponentChain.IsZero(), "tictactoe: no opponent chain")
	game := rt.OpenChain(manager.Multi([]ids.Owner{x, s.Opponent}, manager.DefaultMultiLeaderRounds), s.Balance)
	setup := tictactoe.Game{X: x, O: s.Opponent, XChain: rt.ChainID(), OChain: s.OpponentChain}
	rt.Send(game, sdk.JSON(tictactoe.Message{Setup: &setup}))
	tictactoe.Started(rt).Append(game)
	return game
}

func move(rt *contract.Runtime, cell int) {
	state := tictactoe.State(rt)
	g, ok := state.Lookup()
	sdk.Require(ok, "tictactoe: no game on this chain")
	if why := g.Play(rt.MustSigner(), cell); why != "" {
		panic("tictactoe: " + why)
	}
	state.Set(g)
	if g.Over {
		settle(rt, &g)
	}
}

// settle sends each player's chain the result.
func settle(rt *contract.Runtime, g *tictactoe.Game) {
	for _, p := range []struct {
		me, them ids.Owner
		chain    ids.ChainID
	}{{g.X, g.O, g.XChain}, {g.O, g.X, g.OChain}} {
		r := tictactoe.Result{Game: rt.ChainID(), Player: p.me, Opponent: p.them, Outcome: tictactoe.Draw}
		if g.Winner == p.me {
			r.Outcome = tictactoe.Win
		} else if !g.Winner.IsZero() {
			r.Outcome = tictactoe.Loss
		}
		rt.Send(p.chain, sdk.JSON(tictactoe.Message{Result: &r}), contract.Tracked())
	}
}

// ExecuteMessage sets up a new game chain, or records a result.
func (Contract) ExecuteMessage(rt *contract.Runtime, msg []byte) {
	m := sdk.FromJSON[tictactoe.Message](msg)
	switch {
	case rt.IsBouncing():
		rt.Log(sdk.LevelWarn, "tictactoe: a message bounced: "+string(msg))
	case m.Setup != nil && m.Result == nil:
		state := tictactoe.State(rt)
		_, exists := state.Lookup()
		sdk.Require(!exists, "tictactoe: this chain already has a game")
		g := *m.Setup
		g.Board, g.Moves, g.Over, g.Winner = [9]uint8{}, 0, false, ids.Owner{}
		state.Set(g)
	case m.Result != nil && m.Setup == nil:
		record(rt, m.Result)
	default:
		panic("tictactoe: a message is one of setup or result")
	}
}

func record(rt *contract.Runtime, r *tictactoe.Result) {
	sdk.Require(r.Game == rt.Origin(), "tictactoe: a result comes from its game chain")
	scores := tictactoe.Scores(rt)
	s := scores.Get(r.Player)
	switch r.Outcome {
	case tictactoe.Win:
		s.Wins++
	case tictactoe.Loss:
		s.Losses++
	case tictactoe.Draw:
		s.Draws++
	default:
		panic("tictactoe: unknown outcome " + r.Outcome)
	}
	scores.Set(r.Player, s)
	tictactoe.Results(rt).Append(*r)
}

func init() {
	contract.Register(Contract{})
	sdk.Warm(tictactoe.Operation{}, tictactoe.Message{}, tictactoe.Game{}, tictactoe.Result{}, tictactoe.Score{})
}

func main() {}
