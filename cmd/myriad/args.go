package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
)

// chainArg resolves a chain argument: 64 hex digits, or a unique prefix of
// at least 4 hex digits of a tracked chain; "" means the default chain.
func chainArg(w *wallet.Wallet, s string) (ids.ChainID, error) {
	if s == "" {
		return w.Default()
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) == 2*ids.HashSize {
		id, err := ids.ParseHash(s)
		if err != nil {
			return id, usageErrorf("malformed chain id %q: want 64 hex digits", s)
		}
		return id, nil
	}
	if _, err := hex.DecodeString(s + strings.Repeat("0", len(s)%2)); err != nil || len(s) < 4 {
		return ids.ChainID{}, usageErrorf("malformed chain id %q: want 64 hex digits, or a unique prefix of a tracked chain", s)
	}
	var found []ids.ChainID
	for _, c := range w.Chains() {
		if strings.HasPrefix(c.ID.String(), s) {
			found = append(found, c.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return ids.ChainID{}, fmt.Errorf("%w: no tracked chain starts with %s", wallet.ErrUnknownChain, s)
	}
	return ids.ChainID{}, usageErrorf("chain prefix %s is ambiguous: %d tracked chains start with it", s, len(found))
}

// accountArg resolves CHAIN[:OWNER]; "" is the default chain's account.
func accountArg(w *wallet.Wallet, s string) (ids.Account, error) {
	chainPart, ownerPart, hasOwner := strings.Cut(s, ":")
	id, err := chainArg(w, chainPart)
	if err != nil {
		return ids.Account{}, err
	}
	a := ids.Account{Chain: id}
	if hasOwner {
		if a.Owner, err = ownerArg(ownerPart); err != nil {
			return a, err
		}
	}
	return a, nil
}

// ownerArg parses an owner: 64 hex digits, as keygen prints it.
func ownerArg(s string) (ids.Owner, error) {
	o, err := ids.ParseHash(s)
	if err != nil {
		return o, usageErrorf("malformed owner %q: want 64 hex digits, as `myriad keygen` prints", s)
	}
	return o, nil
}

// ownersArg parses a comma-separated list of owners.
func ownersArg(s string) ([]ids.Owner, error) {
	var out []ids.Owner
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		o, err := ownerArg(part)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// sortedOwners sorts owners and drops duplicates, as ownerships need.
func sortedOwners(owners []ids.Owner) []ids.Owner {
	out := slices.Clone(owners)
	slices.SortFunc(out, func(a, b ids.Owner) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(out)
}

// amountArg parses a token amount.
func amountArg(s string) (amount.Amount, error) {
	a, err := amount.Parse(s)
	if err != nil {
		return a, usageErrorf("malformed amount %q: want a decimal number of tokens such as 12.5", s)
	}
	return a, nil
}

// optional returns the single optional positional argument.
func optional(args []string) (string, error) {
	switch len(args) {
	case 0:
		return "", nil
	case 1:
		return args[0], nil
	}
	return "", usageErrorf("too many arguments: %s", strings.Join(args[1:], " "))
}

// exactly returns the n positional arguments.
func exactly(args []string, names ...string) ([]string, error) {
	if len(args) < len(names) {
		return nil, usageErrorf("missing %s", strings.Join(names[len(args):], " "))
	}
	if len(args) > len(names) {
		return nil, usageErrorf("too many arguments: %s", strings.Join(args[len(names):], " "))
	}
	return args, nil
}
