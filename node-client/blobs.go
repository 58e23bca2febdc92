package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/system"
)

// BlobNode is a Node that stores and serves blobs.
type BlobNode interface {
	UploadBlobs(ctx context.Context, blobs []app.Blob) error
	DownloadBlob(ctx context.Context, id ids.BlobID) (app.Blob, error)
}

// maxBlobRounds bounds how often one request is retried after giving a
// validator the blobs it asked for (an application can need its
// description, then its bytecode, then a required application's).
const maxBlobRounds = 4

// localBlob returns a blob from the local node's store.
func (c *Client) localBlob(ctx context.Context, id ids.BlobID) (app.Blob, bool) {
	b, ok, err := chain.StoreBlobs{Store: c.Local.Store, Ctx: ctx}.Blob(id)
	return b, ok && err == nil
}

// FetchBlobs downloads blobs the local node lacks from the validators,
// checks that their content matches their ids, and stores them.
func (c *Client) FetchBlobs(ctx context.Context, want []ids.BlobID) error {
	var got []app.Blob
	for _, id := range want {
		if b, ok := c.localBlob(ctx, id); ok {
			got = append(got, b)
			continue
		}
		var found bool
		for _, v := range c.Validators {
			bn, ok := v.(BlobNode)
			if !ok {
				continue
			}
			b, err := bn.DownloadBlob(ctx, id)
			if err == nil && b.ID() == id {
				got, found = append(got, b), true
				break
			}
		}
		if !found {
			return fmt.Errorf("client: no validator has blob %s: %w", id.Short(), app.ErrBlobsNotFound)
		}
	}
	return c.storeBlobs(ctx, got)
}

func (c *Client) storeBlobs(ctx context.Context, blobs []app.Blob) error {
	var b kv.Batch
	for _, bl := range blobs {
		chain.PutBlob(&b, bl)
	}
	if err := c.Local.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("client: store blobs: %w", err)
	}
	return nil
}

// giveBlobs uploads to n the blobs it reported missing, from the local
// store or, failing that, from the other validators.
func (c *Client) giveBlobs(ctx context.Context, n Node, missing []ids.BlobID) error {
	bn, ok := n.(BlobNode)
	if !ok {
		return fmt.Errorf("client: validator cannot take blobs: %w", app.ErrBlobsNotFound)
	}
	if err := c.FetchBlobs(ctx, missing); err != nil {
		return err
	}
	var blobs []app.Blob
	for _, id := range missing {
		b, _ := c.localBlob(ctx, id)
		blobs = append(blobs, b)
	}
	return bn.UploadBlobs(ctx, blobs)
}

// withBlobs calls fn, and while n answers that it lacks blobs, gives them
// and calls fn again.
func withBlobs[T any](ctx context.Context, c *Client, n Node, fn func() (T, error)) (T, error) {
	v, err := fn()
	for range maxBlobRounds {
		missing := app.MissingBlobs(err)
		if missing == nil {
			break
		}
		if gerr := c.giveBlobs(ctx, n, missing); gerr != nil {
			return v, errors.Join(err, gerr)
		}
		v, err = fn()
	}
	return v, err
}

// executeLocal executes b on the local state, fetching the blobs it needs
// from validators; the state is rolled back. If d is not nil, it gets the
// balance changes and application runs of the execution.
func (c *Client) executeLocal(ctx context.Context, b *block.Block, d *DryRun) (*block.Outcome, error) {
	var out *block.Outcome
	err := c.fetchingBlobs(ctx, len(b.Transactions), func() error {
		s := c.local(ctx)
		defer s.Tx.Rollback()
		var err error
		out, err = executeObserved(s, b, d)
		return err
	})
	return out, err
}

// fetchingBlobs runs exec (the execution of a block of txs transactions)
// and, while it fails for blobs the local node lacks, fetches them from
// the validators and runs it again. Execution stops at the first blob it
// lacks, so a block that publishes several blobs (a contract and a
// service) or meets several applications takes a round per blob: at most
// one per transaction, and a few for the applications an operation loads.
func (c *Client) fetchingBlobs(ctx context.Context, txs int, exec func() error) error {
	err := exec()
	for range txs + maxBlobRounds {
		missing := app.MissingBlobs(err)
		if missing == nil {
			return err
		}
		if ferr := c.FetchBlobs(ctx, missing); ferr != nil {
			return errors.Join(err, ferr)
		}
		err = exec()
	}
	if app.MissingBlobs(err) != nil {
		return fmt.Errorf("client: still missing blobs after %d rounds: %w", txs+maxBlobRounds, err)
	}
	return err
}

// PublishBlobs stores blobs locally, gives them to every validator and
// proposes a block publishing them.
func (c *Client) PublishBlobs(ctx context.Context, blobs []app.Blob) (*block.Certificate, error) {
	if err := c.storeBlobs(ctx, blobs); err != nil {
		return nil, err
	}
	for _, v := range c.Validators {
		if bn, ok := v.(BlobNode); ok {
			_ = bn.UploadBlobs(ctx, blobs) // a validator that misses them asks again
		}
	}
	ops := make([]block.Operation, len(blobs))
	for i, b := range blobs {
		ops[i] = system.PublishBlob(b.ID())
	}
	return c.Execute(ctx, ops...)
}

// executeObserved executes b on s, filling d (if not nil) with what the
// execution did; the caller rolls s back.
func executeObserved(s *chain.State, b *block.Block, d *DryRun) (*block.Outcome, error) {
	if d == nil {
		return s.Execute(b, chain.ExecOptions{})
	}
	before, err := balances(s)
	if err != nil {
		return nil, err
	}
	d.Runs = d.Runs[:0]
	out, err := s.Execute(b, chain.ExecOptions{OnRun: func(a ids.ApplicationID, e app.Entry) {
		d.Runs = append(d.Runs, AppRun{App: a, Entry: e})
	}})
	if err != nil {
		return nil, err
	}
	after, err := balances(s)
	if err != nil {
		return nil, err
	}
	d.Balances = balanceChanges(before, after)
	return out, nil
}
