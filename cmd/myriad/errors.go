package main

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/msgsig"
	"github.com/myriadchain/myriad/core/rpc"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// storageError is a failure to open the local storage.
type storageError struct {
	dir string
	err error
}

func (s *storageError) Error() string { return fmt.Sprintf("open storage %s: %v", s.dir, s.err) }
func (s *storageError) Unwrap() error { return s.err }

// hints say what to do about the errors users meet, most specific first.
var hints = []struct {
	err  error
	hint string
}{
	{wallet.ErrNoWallet, "create one with `myriad wallet init --genesis FILE` (or --faucet URL), or point --wallet or MYRIAD_WALLET at yours"},
	{wallet.ErrExists, "choose another --wallet path, or remove the old wallet file if you no longer need its keys"},
	{wallet.ErrFormat, "the wallet file is damaged or from another version of myriad; restore it from a backup"},
	{wallet.ErrUnknownChain, "`myriad wallet show` lists the tracked chains; `myriad wallet follow-chain CHAIN` tracks another"},
	{wallet.ErrNoKey, "this wallet only follows the chain: one of its owners must propose"},
	{wallet.ErrNoDefault, "name a chain, get one with `myriad wallet request-chain --faucet URL`, or pick one with `myriad wallet set-default CHAIN`"},
	{wallet.ErrNotFound, "check the chain id; a chain just opened appears once the validators have delivered its creation: retry in a moment"},
	{wallet.ErrFaucet, "the faucet refused: read its message above, then retry later or use another faucet"},
	{system.ErrInsufficientFunds, "check the balance with `myriad query-balance`; incoming transfers count once `myriad process-inbox` has taken them"},
	{system.ErrZeroAmount, "give an amount greater than zero"},
	{system.ErrUnauthorized, "only the account's owner (or a chain owner, for the chain account) may spend from it"},
	{chain.ErrClosed, "the chain is closed: it can only reject incoming messages"},
	{chain.ErrNotOwner, "this wallet's key is no longer an owner of the chain"},
	{wallet.ErrUnreachable, "is the network running, and are the validator addresses in the genesis right? `myriad query-validators` shows what each says"},
	{keys.ErrBadSignature, "the signature is not this key's for this origin and message: every byte counts (a trailing newline, a slash after the origin)"},
	{errWrongOwner, "the signature may be good, but by another key than the one expected"},
	{msgsig.ErrOrigin, "give the origin as a browser writes it: https://app.example or http://127.0.0.1:8090, no path or trailing slash"},
	{msgsig.ErrTooLarge, "a message is at most 16384 bytes of text"},
	{msgsig.ErrMessage, "a message is UTF-8 text without control characters other than tab and line breaks"},
	{rpc.ErrUnavailable, "a validator could not be reached: is the network running? `myriad query-validators` shows which answer"},
	{client.ErrNoQuorum, "too few validators answered: check them with `myriad query-validators`, then retry (an interrupted block is retried first)"},
}

// explain returns err's message and a hint for it.
func explain(err error) (msg, hint string) {
	var se *storageError
	if errors.As(err, &se) {
		return err.Error(), "is another myriad command using this wallet? Otherwise check --storage or MYRIAD_STORAGE"
	}
	for _, h := range hints {
		if errors.Is(err, h.err) {
			return err.Error(), h.hint
		}
	}
	return err.Error(), ""
}
