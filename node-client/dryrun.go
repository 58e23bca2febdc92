package client

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
)

// DryRun is what a block would do, found by executing it in the local node
// and rolling the state back: what a wallet shows its user before it signs.
// Nothing is stored, signed or sent.
type DryRun struct {
	// Block is the block as it would be proposed now (its timestamp and
	// height are the local node's; a later proposal gets its own).
	Block *block.Block
	// Outcome is its execution's outcome: the messages it sends, its
	// events, the fuel it burns and the fees it pays.
	Outcome *block.Outcome
	// Balances are the accounts of the chain whose balance would change,
	// the chain's own account (zero owner) first, then by owner.
	Balances []BalanceChange
	// Runs are the application entry points the block runs, in order,
	// synchronous calls between applications included.
	Runs []AppRun
	// Pending is the chain's pending block, if one is waiting: it is
	// finished before a new block is made, so the dry run's state may be
	// one block behind the real one.
	Pending *block.Block
}

// BalanceChange is an account whose balance a block changes.
type BalanceChange struct {
	Owner         ids.Owner // zero: the chain's own account
	Before, After amount.Amount
}

// AppRun is one entry point of an application's contract that a block runs.
type AppRun struct {
	App   ids.ApplicationID
	Entry app.Entry
}

// DryRun builds the block Propose would make of txs at the chain's next
// height, executes it in the local node (fetching the blobs of
// applications the chain meets first), and reports what it would do. An
// error means the block would fail: the validators would refuse it.
func (c *Client) DryRun(ctx context.Context, txs []block.Transaction) (*DryRun, error) {
	d := &DryRun{}
	b, err := c.newBlock(ctx, txs, d)
	if err != nil {
		return nil, err
	}
	d.Block = b
	if d.Pending, err = c.Pending(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// balances reads every account balance of s: the chain's own under the
// zero owner.
func balances(s *chain.State) (map[ids.Owner]amount.Amount, error) {
	m := map[ids.Owner]amount.Amount{{}: s.System.Balance()}
	s.System.OwnerBalances(func(o ids.Owner, a amount.Amount) bool {
		m[o] = a
		return true
	})
	if err := s.Tx.Err(); err != nil {
		return nil, fmt.Errorf("client: read balances: %w", err)
	}
	return m, nil
}

// balanceChanges lists the accounts whose balance differs between before
// and after: the chain's own account first, then by owner.
func balanceChanges(before, after map[ids.Owner]amount.Amount) []BalanceChange {
	var out []BalanceChange
	seen := map[ids.Owner]bool{}
	for _, m := range []map[ids.Owner]amount.Amount{before, after} {
		for o := range m {
			if seen[o] {
				continue
			}
			seen[o] = true
			if b, a := before[o], after[o]; b.Cmp(a) != 0 {
				out = append(out, BalanceChange{Owner: o, Before: b, After: a})
			}
		}
	}
	// The zero owner (the chain's account) sorts first.
	slices.SortFunc(out, func(x, y BalanceChange) int { return bytes.Compare(x.Owner[:], y.Owner[:]) })
	return out
}
