package gqlapi

import (
	"fmt"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
)

// Arguments arrive as strings; these parse them, naming the argument in
// the error ("argument amount: amount: malformed amount: …").

func parseHash(arg, s string) (ids.Hash, error) {
	h, err := ids.ParseHash(s)
	if err != nil {
		return h, fmt.Errorf("argument %s: %w", arg, err)
	}
	return h, nil
}

// parseOwner parses an optional owner: nil is the zero owner.
func parseOwner(arg string, s *string) (ids.Owner, error) {
	if s == nil {
		return ids.Owner{}, nil
	}
	return parseHash(arg, *s)
}

func parseAccount(arg, s string) (ids.Account, error) {
	a, err := ids.ParseAccount(s)
	if err != nil {
		return a, fmt.Errorf("argument %s: %w", arg, err)
	}
	return a, nil
}

// parseAmount parses an optional amount: nil is zero.
func parseAmount(arg string, s *string) (amount.Amount, error) {
	if s == nil {
		return amount.Zero, nil
	}
	a, err := amount.Parse(*s)
	if err != nil {
		return a, fmt.Errorf("argument %s: %w", arg, err)
	}
	return a, nil
}

// gqlInt returns a height or count as a GraphQL Int (32 bits), saturated.
func gqlInt[T ~int | ~uint64 | ~uint32](v T) int32 {
	return int32(min(uint64(v), 1<<31-1))
}

// hexOrNil returns h in hex, or nil for the zero hash.
func hexOrNil(h ids.Hash) *string {
	if h.IsZero() {
		return nil
	}
	s := h.String()
	return &s
}
