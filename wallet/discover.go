package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/wallet/vault"
)

// ChainFinder tells which chains a faucet opened for an owner: the
// faucet's `chains(owner)` query (GraphQLFaucet implements it).
type ChainFinder interface {
	// Chains returns the descriptions of the chains the faucet opened for
	// owner, oldest first (each chain's id is its description's ID); none
	// for an owner it never served. The description is what Follow needs
	// to open the chain from its parent's block: a chain opened with a
	// balance may never take a bundle, so its own first block need not
	// say where it comes from.
	Chains(ctx context.Context, owner ids.Owner) ([]ids.Description, error)
}

// Limits of Discover against a faucet that answers too much.
const (
	maxDiscoverAccounts = 1000 // accounts asked about
	maxDiscoverChains   = 100  // chains followed per account
)

// Discovery is what Discover found.
type Discovery struct {
	// Accounts is how many accounts, from account 0 on, own chains the
	// faucet opened; each is now in use, so the next GenerateKey takes a
	// later one.
	Accounts int
	// Chains are the chains followed, in account order, then in the
	// order the faucet opened them.
	Chains []Chain
}

// Discover finds the chains of a vault wallet restored from its recovery
// phrase: it derives the key of account 0, 1, 2, … and asks f which
// chains were opened for it, stopping at the first account with none (a
// gap limit of 1: RequestChain uses accounts in order and leaves no gap,
// see docs/keys.md). Each account found is recorded as in use and its
// chains are followed (Follow: tracked with the account's key if it owns
// them). The wallet must be unlocked.
//
// It returns what it found even with an error: an error of f stops the
// search (the accounts found so far stay recorded); chains that cannot be
// followed are skipped, the search goes on, and their errors are joined
// in the result's error.
func (w *Wallet) Discover(ctx context.Context, f ChainFinder) (Discovery, error) {
	if w.vault == nil {
		return Discovery{}, errNoVault
	}
	var d Discovery
	var errs []error
	for account := range uint32(maxDiscoverAccounts) {
		k, err := w.accountKey(account)
		if err != nil {
			return d, errors.Join(append(errs, err)...)
		}
		found, err := f.Chains(ctx, k.Owner())
		if err != nil {
			return d, errors.Join(append(errs, fmt.Errorf("wallet: discover account %d: %w", account, err))...)
		}
		if len(found) == 0 {
			break
		}
		if err := w.useAccount(account, k); err != nil {
			return d, errors.Join(append(errs, err)...)
		}
		d.Accounts = int(account) + 1
		for _, desc := range found[:min(len(found), maxDiscoverChains)] {
			c, err := w.Follow(ctx, desc.ID(), &desc)
			if err != nil {
				errs = append(errs, fmt.Errorf("wallet: discover account %d: %w", account, err))
				continue
			}
			d.Chains = append(d.Chains, c)
		}
	}
	return d, errors.Join(errs...)
}

// accountKey returns the key of a vault account, without recording it.
func (w *Wallet) accountKey(account uint32) (*keys.PrivateKey, error) {
	p, err := vault.AccountPath(account)
	if err != nil {
		return nil, fmt.Errorf("wallet: account %d: %w", account, err)
	}
	k, err := w.vault.Derive(p)
	if err != nil {
		return nil, fmt.Errorf("wallet: account %d: %w", account, err)
	}
	return k, nil
}

// useAccount makes sure account, whose key is k, is in use and listed.
// Accounts are taken in order (the vault's next is one past the largest
// in use), so an account not yet in use is the next one.
func (w *Wallet) useAccount(account uint32, k *keys.PrivateKey) error {
	if w.doc.key(k.Owner()) != nil {
		return nil
	}
	e, err := w.deriveKey()
	if err != nil {
		return err
	}
	if e.Owner != k.Owner() {
		return fmt.Errorf("wallet: discover: the vault's next account is not account %d (key %s at %s)", account, e.Owner.Short(), e.Path)
	}
	return nil
}

// claimKey returns the key RequestChain claims a chain for. In a vault
// wallet it is the newest account's if no tracked chain is owned by it
// (the claim that made it failed, or its chain was never followed), so
// that failed claims leave no unused account between used ones, which is
// what lets Discover stop at the first account without chains. Otherwise
// it is a new key (GenerateKey).
func (w *Wallet) claimKey() (Key, error) {
	if w.vault == nil {
		return w.GenerateKey()
	}
	accounts, err := w.vault.Accounts()
	if err != nil {
		return Key{}, fmt.Errorf("wallet: new key: %w", err)
	}
	if len(accounts) > 0 {
		k, err := w.accountKey(accounts[len(accounts)-1])
		if err != nil {
			return Key{}, err
		}
		if e := w.doc.key(k.Owner()); e != nil && !w.ownsTracked(e.Owner) {
			return *e, nil
		}
	}
	return w.GenerateKey()
}

// ownsTracked reports whether a tracked chain is owned by owner.
func (w *Wallet) ownsTracked(owner ids.Owner) bool {
	for _, c := range w.doc.Chains {
		if c.Owner == owner {
			return true
		}
	}
	return false
}

// adopt follows the chains a faucet already opened for owner, if the
// faucet can tell (a ChainFinder) and did: an earlier claim whose answer
// was lost, or a restored wallet whose Discover could not reach the
// faucet. It returns the oldest of them that owner owns, and false if
// there is none to adopt (or the faucet cannot say: an older faucet has
// no chains query), in which case the caller claims a new chain.
func (w *Wallet) adopt(ctx context.Context, f Faucet, owner ids.Owner) (Chain, bool, error) {
	cf, ok := f.(ChainFinder)
	if !ok || w.vault == nil {
		return Chain{}, false, nil
	}
	found, err := cf.Chains(ctx, owner)
	if err != nil {
		w.cfg.Logger.Debug("faucet cannot list the chains of an owner; claiming", "owner", owner.Short(), "err", err)
		return Chain{}, false, nil
	}
	var first Chain
	var errs []error
	for _, desc := range found[:min(len(found), maxDiscoverChains)] {
		c, err := w.Follow(ctx, desc.ID(), &desc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first.ID.IsZero() && c.Owner == owner {
			first = c
		}
	}
	if !first.ID.IsZero() {
		return first, true, nil
	}
	if len(errs) > 0 {
		return Chain{}, true, errors.Join(errs...)
	}
	return Chain{}, false, nil
}
