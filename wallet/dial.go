package wallet

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	client "github.com/myriadchain/myriad/node-client"
)

// Dialer connects a wallet to validators: the WebSocket transport for
// real, an in-process network in tests.
type Dialer interface {
	// Dial connects to validator v (v.Address says where). A Node that
	// also implements io.Closer is closed by Wallet.Close. Dial may be
	// called for several validators at once.
	Dial(ctx context.Context, v committee.Validator) (client.Node, error)
}

// DialFunc makes a function a Dialer.
type DialFunc func(ctx context.Context, v committee.Validator) (client.Node, error)

// Dial implements Dialer.
func (f DialFunc) Dial(ctx context.Context, v committee.Validator) (client.Node, error) {
	return f(ctx, v)
}

// Committee returns the current committee as the local admin chain knows
// it (the genesis committee until the admin chain is synchronised).
func (w *Wallet) Committee(ctx context.Context) (*committee.Committee, error) {
	s := chain.Open(ctx, w.cfg.Store, w.doc.Genesis.Admin())
	com, ok := s.System.Committee()
	if err := s.Tx.Err(); err != nil {
		return nil, fmt.Errorf("wallet: read committee: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("wallet: admin chain has no committee for epoch %d", s.System.Epoch())
	}
	return com, nil
}

// Nodes returns the validators of the current committee, dialling those
// not yet connected. A validator that cannot be reached is returned as a
// node whose every request fails with the dial error, so a quorum of the
// others can still serve.
func (w *Wallet) Nodes(ctx context.Context) ([]client.Node, error) {
	com, err := w.Committee(ctx)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	if w.nodes == nil {
		w.nodes = map[keys.PublicKey]client.Node{}
	}
	w.mu.Unlock()
	var wg sync.WaitGroup
	for _, v := range com.Validators {
		w.mu.Lock()
		_, ok := w.nodes[v.PublicKey]
		w.mu.Unlock()
		if ok {
			continue
		}
		wg.Go(func() {
			n, err := w.cfg.Dialer.Dial(ctx, w.reach(v))
			if err != nil {
				w.cfg.Logger.Warn("validator unreachable", "address", v.Address, "err", err)
				n = unreachable{v: v, err: err}
			}
			w.mu.Lock()
			w.nodes[v.PublicKey] = n
			w.mu.Unlock()
		})
	}
	wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]client.Node, len(com.Validators))
	for i, v := range com.Validators {
		out[i] = w.nodes[v.PublicKey]
	}
	return out, nil
}

// reach is v with the address the wallet reaches it at: the user's, if
// set (SetValidatorAddress), else the committee's.
func (w *Wallet) reach(v committee.Validator) committee.Validator {
	w.mu.Lock()
	defer w.mu.Unlock()
	if a, ok := w.doc.Addresses[v.PublicKey]; ok {
		v.Address = a
	}
	return v
}

// ValidatorAddress answers where the wallet reaches validator v, and
// whether that is the user's address rather than the committee's.
func (w *Wallet) ValidatorAddress(v committee.Validator) (string, bool) {
	r := w.reach(v)
	return r.Address, r.Address != v.Address
}

// SetValidatorAddress makes the wallet reach the validator with public key
// pub at address (a proxy, a tunnel, a closer mirror) instead of where the
// committee says; "" goes back to the committee's address. The validator
// must be in the current committee. Its key still authenticates every
// connection, so an address cannot make another server pass for it. The
// connection to it, if any, is closed: the next request dials the new
// address.
func (w *Wallet) SetValidatorAddress(ctx context.Context, pub keys.PublicKey, address string) error {
	com, err := w.Committee(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(com.Validators, func(v committee.Validator) bool { return v.PublicKey == pub }) {
		return fmt.Errorf("wallet: no validator with key %s in the committee", pub.Short())
	}
	if address != "" {
		if _, err := client.Endpoint(address, "ws", "/"); err != nil {
			return fmt.Errorf("wallet: validator %s: %w", pub.Short(), err)
		}
	}
	w.mu.Lock()
	next := maps.Clone(w.doc.Addresses)
	if next == nil {
		next = map[keys.PublicKey]string{}
	}
	if address == "" {
		delete(next, pub)
	} else {
		next[pub] = address
	}
	old := w.doc.Addresses
	w.doc.Addresses = next
	w.mu.Unlock()
	if err := w.Save(); err != nil {
		w.mu.Lock()
		w.doc.Addresses = old
		w.mu.Unlock()
		return err
	}
	w.mu.Lock()
	n := w.nodes[pub]
	delete(w.nodes, pub)
	w.mu.Unlock()
	if c, ok := n.(io.Closer); ok {
		c.Close()
	}
	return nil
}

// unreachable is a validator that could not be dialled.
type unreachable struct {
	v   committee.Validator
	err error
}

func (u unreachable) fail() error {
	return fmt.Errorf("validator %s at %s unreachable: %w", u.v.PublicKey.Short(), u.v.Address, u.err)
}

func (u unreachable) PublicKey() keys.PublicKey { return u.v.PublicKey }

// ConcurrentSafe tells the client that u may be asked in parallel.
func (u unreachable) ConcurrentSafe() {}

func (u unreachable) HandleProposal(context.Context, *block.Proposal) (block.Vote, error) {
	return block.Vote{}, u.fail()
}

func (u unreachable) HandleCertificate(context.Context, *block.Certificate) (*block.Vote, error) {
	return nil, u.fail()
}

func (u unreachable) ChainInfo(context.Context, ids.ChainID) (*chain.Info, error) {
	return nil, u.fail()
}

func (u unreachable) Certificate(context.Context, ids.ChainID, uint64) (*block.Certificate, error) {
	return nil, u.fail()
}

func (u unreachable) RequestTimeout(context.Context, ids.ChainID, uint64) (block.Vote, error) {
	return block.Vote{}, u.fail()
}
