package wallet

import (
	"context"
	"fmt"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	client "github.com/myriadchain/myriad/node-client"
)

// ValidatorStatus is what one validator says about a chain.
type ValidatorStatus struct {
	PublicKey keys.PublicKey
	Address   string
	Weight    uint64
	// Height is the validator's next height of the chain asked about; Err
	// says why it could not answer.
	Height uint64
	Err    error
}

// Validators asks every validator of the current committee about chain id.
func (w *Wallet) Validators(ctx context.Context, id ids.ChainID) ([]ValidatorStatus, error) {
	com, err := w.Committee(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := w.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ValidatorStatus, len(nodes))
	for i, n := range nodes {
		v := com.Validators[i]
		addr, _ := w.ValidatorAddress(v)
		out[i] = ValidatorStatus{PublicKey: v.PublicKey, Address: addr, Weight: v.Weight}
		info, err := n.ChainInfo(ctx, id)
		switch {
		case err != nil:
			out[i].Err = err
		case !info.Active:
			out[i].Err = fmt.Errorf("chain %s not active there", id.Short())
		default:
			out[i].Height = info.Tip.NextHeight
		}
	}
	return out, nil
}

// ChainUpdate says how far SyncValidator brought one chain.
type ChainUpdate struct {
	Chain ids.ChainID
	// From and To are the validator's next height before and after.
	From, To uint64
	Err      error
}

// SyncValidator sends the validator at address (the committee's or the
// user's, SetValidatorAddress) the blocks of the tracked
// chains that it lacks and the local node has.
func (w *Wallet) SyncValidator(ctx context.Context, address string) ([]ChainUpdate, error) {
	com, err := w.Committee(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := w.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	for i, v := range com.Validators {
		if addr, _ := w.ValidatorAddress(v); v.Address == address || addr == address {
			var out []ChainUpdate
			for _, tc := range w.doc.Chains {
				out = append(out, w.update(ctx, nodes[i], tc.ID))
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("wallet: no validator at %q in the committee", address)
}

func (w *Wallet) update(ctx context.Context, n client.Node, id ids.ChainID) ChainUpdate {
	u := ChainUpdate{Chain: id}
	info, err := n.ChainInfo(ctx, id)
	if err != nil {
		u.Err = err
		return u
	}
	u.From, u.To = info.Tip.NextHeight, info.Tip.NextHeight
	s := chain.Open(ctx, w.cfg.Store, id)
	for h := u.From; h < s.Tip().NextHeight; h++ {
		cert, ok := s.Certificate(h)
		if !ok {
			u.Err = fmt.Errorf("wallet: block %d of %s missing locally", h, id.Short())
			return u
		}
		if _, err := n.HandleCertificate(ctx, cert); err != nil {
			u.Err = err
			return u
		}
		u.To = h + 1
	}
	return u
}
