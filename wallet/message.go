package wallet

import (
	"fmt"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/msgsig"
)

// SignedMessage is a message signature (package msgsig) and the key that
// made it.
type SignedMessage struct {
	Owner     ids.Owner
	PublicKey keys.PublicKey
	Signature keys.Signature
}

// SignMessage signs message for the web origin that asked (package msgsig:
// the signature is valid for that origin only and never as a block or a
// vote) with the key of owner; the zero owner is the default chain's owner.
// The private key stays in the wallet. It fails with msgsig's errors for a
// malformed origin or message, ErrNoDefault, ErrNoKey or ErrLocked.
func (w *Wallet) SignMessage(owner ids.Owner, origin, message string) (SignedMessage, error) {
	if err := msgsig.Check(origin, message); err != nil {
		return SignedMessage{}, fmt.Errorf("sign message: %w", err)
	}
	if owner.IsZero() {
		o, err := w.DefaultOwner()
		if err != nil {
			return SignedMessage{}, fmt.Errorf("sign message: %w", err)
		}
		owner = o
	}
	k, err := w.Key(owner)
	if err != nil {
		return SignedMessage{}, fmt.Errorf("sign message: %w", err)
	}
	sig, err := msgsig.Sign(k, origin, message)
	if err != nil {
		return SignedMessage{}, fmt.Errorf("sign message: %w", err)
	}
	return SignedMessage{Owner: owner, PublicKey: k.Public(), Signature: sig}, nil
}

// DefaultOwner returns the owner of the default chain: ErrNoDefault if
// there is none, ErrNoKey if the wallet only follows it.
func (w *Wallet) DefaultOwner() (ids.Owner, error) {
	id, err := w.Default()
	if err != nil {
		return ids.Owner{}, err
	}
	c, err := w.Chain(id)
	if err != nil {
		return ids.Owner{}, err
	}
	if c.Owner.IsZero() {
		return ids.Owner{}, fmt.Errorf("%w: the default chain %s is only followed", ErrNoKey, id.Short())
	}
	return c.Owner, nil
}
