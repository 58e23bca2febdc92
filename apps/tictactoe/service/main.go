// Command service is the tic-tac-toe game's service module: board, turn,
// winner and scores; start and move mutations.
package main

import (
	"context"
	"errors"

	"github.com/myriadchain/myriad/apps/tictactoe"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/service"
)

const schema = `
scalar U64

type Query {
	"The nine cells row by row: X, O or empty (game chain; all empty elsewhere)."
	board: [String!]!
	"The owner to move (null if the game is over or there is none)."
	turn: String
	"The winner's owner, draw, or null while the game goes on."
	winner: String
	"The players (game chain)."
	players: Players
	"The game chains started from this chain."
	games: [String!]!
	"A player's record on this chain."
	score(owner: String!): Score!
}

type Players {
	x: String!
	o: String!
}

type Score {
	wins: U64!
	losses: U64!
	draws: U64!
}

type Mutation {
	"Opens a game chain owned by the signer (X, moves first) and opponent."
	start(opponent: String!, opponentChain: String!, balance: String! = "0"): Boolean!
	"Marks cell 0-8 (row by row) for the signer on the game chain."
	move(cell: Int!): Boolean!
}
`

// Root resolves the game's queries and mutations.
type Root struct{}

func game(ctx context.Context) (tictactoe.Game, bool) {
	return tictactoe.State(service.RuntimeOf(ctx)).Lookup()
}

// Board resolves `board`.
func (Root) Board(ctx context.Context) []string {
	g, _ := game(ctx)
	out := make([]string, 9)
	for i, c := range g.Board {
		out[i] = [...]string{"", "X", "O"}[c%3]
	}
	return out
}

// Turn resolves `turn`.
func (Root) Turn(ctx context.Context) *string {
	g, ok := game(ctx)
	if !ok || g.Over {
		return nil
	}
	s := g.Turn().String()
	return &s
}

// Winner resolves `winner`.
func (Root) Winner(ctx context.Context) *string {
	g, ok := game(ctx)
	if !ok || !g.Over {
		return nil
	}
	s := tictactoe.Draw
	if !g.Winner.IsZero() {
		s = g.Winner.String()
	}
	return &s
}

// Players is the players in an answer.
type Players struct{ g tictactoe.Game }

// X resolves Players.x.
func (p Players) X() string { return p.g.X.String() }

// O resolves Players.o.
func (p Players) O() string { return p.g.O.String() }

// Players resolves `players`.
func (Root) Players(ctx context.Context) *Players {
	g, ok := game(ctx)
	if !ok {
		return nil
	}
	return &Players{g}
}

// Games resolves `games`.
func (Root) Games(ctx context.Context) []string {
	out := []string{}
	for _, c := range tictactoe.Started(service.RuntimeOf(ctx)).All() {
		out = append(out, c.String())
	}
	return out
}

// Score is a score in an answer.
type Score struct{ s tictactoe.Score }

// Wins resolves Score.wins.
func (s Score) Wins() service.U64 { return service.U64(s.s.Wins) }

// Losses resolves Score.losses.
func (s Score) Losses() service.U64 { return service.U64(s.s.Losses) }

// Draws resolves Score.draws.
func (s Score) Draws() service.U64 { return service.U64(s.s.Draws) }

// Score resolves `score(owner:)`.
func (Root) Score(ctx context.Context, args struct{ Owner string }) (Score, error) {
	o, err := ids.ParseHash(args.Owner)
	if err != nil {
		return Score{}, err
	}
	return Score{tictactoe.Scores(service.RuntimeOf(ctx)).Get(o)}, nil
}

type startArgs struct {
	Opponent, OpponentChain, Balance string
}

// Start resolves the `start` mutation.
func (Root) Start(ctx context.Context, args startArgs) (bool, error) {
	var s tictactoe.Start
	var err error
	if s.Opponent, err = ids.ParseHash(args.Opponent); err != nil {
		return false, err
	}
	if s.OpponentChain, err = ids.ParseHash(args.OpponentChain); err != nil {
		return false, err
	}
	if args.Balance != "" {
		if err := s.Balance.UnmarshalText([]byte(args.Balance)); err != nil {
			return false, err
		}
	}
	service.RuntimeOf(ctx).Schedule(sdk.JSON(tictactoe.Operation{Start: &s}))
	return true, nil
}

// Move resolves the `move` mutation.
func (Root) Move(ctx context.Context, args struct{ Cell int32 }) (bool, error) {
	if args.Cell < 0 || args.Cell > 8 {
		return false, errors.New("cell must be 0 to 8")
	}
	c := int(args.Cell)
	service.RuntimeOf(ctx).Schedule(sdk.JSON(tictactoe.Operation{Move: &c}))
	return true, nil
}

// Service is the game's service.
var Service = service.MustGraphQL(schema, &Root{})

func init() { service.Register(Service) }

func main() {}
