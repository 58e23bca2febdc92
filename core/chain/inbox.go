package chain

import (
	"fmt"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
)

// takeBundle removes an incoming bundle from origin's inbox as a block
// takes it. Bundles are taken in order, exactly once; earlier bundles may
// be passed over only if skippable. A bundle not delivered yet is recorded
// as taken by anticipation (unless mustBePresent), and its delivery must
// match later.
func (s *State) takeBundle(origin ids.ChainID, b *block.Bundle, mustBePresent bool) error {
	curReg, added, removed := s.inbox(origin)
	cur := curReg.Get()
	c := b.Cursor()
	if c.Less(cur.NextRemove) {
		return fmt.Errorf("%w: bundle %s from %s, next is %s", ErrBundleOrder, c, origin.Short(), cur.NextRemove)
	}
	for {
		front, ok := added.Front()
		if !ok || !front.Cursor().Less(c) {
			break
		}
		if !front.Skippable() {
			return fmt.Errorf("%w: bundle %s from %s before %s", ErrUnskippable, front.Cursor(), origin.Short(), c)
		}
		added.PopFront()
	}
	if front, ok := added.Front(); ok {
		if front.Cursor() != c {
			return fmt.Errorf("%w: bundle %s from %s", ErrBundleNotReceived, c, origin.Short())
		}
		if front.Hash() != b.Hash() {
			return fmt.Errorf("%w: bundle %s from %s", ErrBundleMismatch, c, origin.Short())
		}
		added.PopFront()
	} else {
		if mustBePresent || c.Less(cur.NextAdd) {
			return fmt.Errorf("%w: bundle %s from %s", ErrBundleNotReceived, c, origin.Short())
		}
		removed.PushBack(*b)
	}
	cur.NextRemove = c.Next()
	curReg.Set(cur)
	return nil
}

// Receive adds bundles sent by origin to the chain's inbox, as cross-chain
// delivery does. Bundles already received are ignored, so delivery may be
// retried. The first bundle with an OpenChain message creates the chain.
// It returns the height of the last bundle now known from origin.
func (s *State) Receive(origin ids.ChainID, bundles []block.Bundle) (uint64, error) {
	return s.receive(origin, bundles, false)
}

// ReceivePending is Receive for a light node that learns of a chain's
// inbox only from what validators report as waiting there, never from
// the sender's whole outbox: the bundles from origin that the chain's
// confirmed blocks took before they were delivered here, older than the
// first of bundles, will never be delivered, and are settled (the
// certificates of the blocks that took them were checked when they were
// applied). A validator, which gets every bundle from its sender, uses
// Receive.
func (s *State) ReceivePending(origin ids.ChainID, bundles []block.Bundle) (uint64, error) {
	return s.receive(origin, bundles, true)
}

func (s *State) receive(origin ids.ChainID, bundles []block.Bundle, settle bool) (uint64, error) {
	curReg, added, removed := s.inbox(origin)
	cur := curReg.Get()
	for i := range bundles {
		b := &bundles[i]
		c := b.Cursor()
		if c.Less(cur.NextAdd) {
			continue // already received
		}
		for settle {
			ant, ok := removed.Front()
			if !ok || !ant.Cursor().Less(c) {
				break
			}
			removed.PopFront()
		}
		if err := s.receiveOne(origin, b, added, removed); err != nil {
			return 0, err
		}
		cur.NextAdd = c.Next()
	}
	curReg.Set(cur)
	return cur.NextAdd.Height, s.Tx.Err()
}

func (s *State) receiveOne(origin ids.ChainID, b *block.Bundle, added, removed bundleQueue) error {
	if err := s.maybeOpen(b); err != nil {
		return err
	}
	ant, ok := removed.Front()
	switch {
	case !ok:
		added.PushBack(*b)
	case ant.Cursor() == b.Cursor():
		if ant.Hash() != b.Hash() {
			return fmt.Errorf("%w: bundle %s from %s taken as %s", ErrBundleMismatch, b.Cursor(), origin.Short(), ant.Hash().Short())
		}
		removed.PopFront()
	case b.Cursor().Less(ant.Cursor()):
		// The chain already took a later bundle, passing over this one.
		if !b.Skippable() {
			return fmt.Errorf("%w: bundle %s from %s was passed over", ErrUnskippable, b.Cursor(), origin.Short())
		}
	default:
		return fmt.Errorf("%w: bundle %s from %s was taken but never sent", ErrBundleMismatch, ant.Cursor(), origin.Short())
	}
	return nil
}

// maybeOpen creates an inactive chain from an OpenChain message.
func (s *State) maybeOpen(b *block.Bundle) error {
	if s.Active() {
		return nil
	}
	for _, pm := range b.Messages {
		if !pm.Message.IsSystem() {
			continue
		}
		m, err := system.DecodeMessage(pm.Message.Bytes)
		if err != nil || m.Kind != system.MsgOpenChain {
			continue
		}
		if m.Config.Description.ID() != s.ID {
			return fmt.Errorf("chain: open-chain message for %s delivered to %s", m.Config.Description.ID().Short(), s.ID.Short())
		}
		s.Initialize(m.Config)
		return nil
	}
	return nil
}

// Acknowledge drops from the outbox to recipient every block up to height.
func (s *State) Acknowledge(recipient ids.ChainID, h uint64) {
	q := s.outbox(recipient)
	for {
		front, ok := q.Front()
		if !ok || front.v > h {
			break
		}
		q.PopFront()
	}
	if q.Len() == 0 {
		s.removeOutbox(recipient)
	}
}

// OutboxHeights returns the heights of blocks with bundles for recipient
// not yet acknowledged.
func (s *State) OutboxHeights(recipient ids.ChainID) []uint64 {
	var out []uint64
	s.outbox(recipient).Each(func(h height) bool {
		out = append(out, h.v)
		return true
	})
	return out
}

// BundlesFor returns the unacknowledged bundles for recipient.
func (s *State) BundlesFor(recipient ids.ChainID) []block.Bundle {
	return s.bundlesFor(recipient, certMemo{})
}

// certMemo keeps the certificates BundlesFor decoded and their hashes, by
// height, for a series of calls: a block that sends to many recipients
// (a hundred OpenChain, say) is then decoded and hashed once, not once
// per recipient.
type certMemo map[uint64]*hashedCert

type hashedCert struct {
	cert *block.Certificate
	hash ids.Hash
}

// bundlesFor is BundlesFor with the certificates remembered in memo.
func (s *State) bundlesFor(recipient ids.ChainID, memo certMemo) []block.Bundle {
	var out []block.Bundle
	for _, h := range s.OutboxHeights(recipient) {
		hc := memo[h]
		if hc == nil {
			c, ok := s.Certificate(h)
			if !ok {
				s.Tx.Fail(fmt.Errorf("chain: outbox names missing block %d of %s", h, s.ID.Short()))
				return nil
			}
			hc = &hashedCert{cert: c, hash: c.Hash()}
			memo[h] = hc
		}
		out = append(out, hc.cert.Value.Block.Bundles(hc.hash, recipient)...)
	}
	return out
}
