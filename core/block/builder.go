package block

import (
	"errors"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/committee"
)

// Errors from collecting votes.
var (
	ErrVoteMismatch = errors.New("block: vote is for another value or round")
	ErrNotMember    = errors.New("block: vote from a validator outside the committee")
)

// Builder collects votes for one value and round until their weight
// reaches a quorum of its committee. It is not safe for concurrent use.
type Builder struct {
	value     Value
	round     Round
	hash      [32]byte
	committee *committee.Committee
	sigs      map[uint32]IndexedSignature
	weight    uint64
}

// NewBuilder starts collecting votes for v in round r.
func NewBuilder(v Value, r Round, c *committee.Committee) *Builder {
	return &Builder{value: v, round: r, hash: v.Hash(), committee: c, sigs: map[uint32]IndexedSignature{}}
}

// Add verifies and records a vote. It returns the certificate once the
// votes recorded reach a quorum, and nil before. A vote that does not
// match the value, comes from outside the committee or does not verify is
// refused with an error and changes nothing; a repeated vote is ignored.
func (b *Builder) Add(v Vote) (*Certificate, error) {
	if v.Kind != b.value.Kind || v.Hash != b.hash || v.Round != b.round {
		return nil, fmt.Errorf("%w: %s %s in %s", ErrVoteMismatch, v.Kind, v.Hash.Short(), v.Round)
	}
	i, ok := b.committee.Index(v.Validator)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotMember, v.Validator.Short())
	}
	if _, dup := b.sigs[uint32(i)]; dup {
		return b.Certificate(), nil
	}
	if err := v.Verify(); err != nil {
		return nil, err
	}
	b.sigs[uint32(i)] = IndexedSignature{Index: uint32(i), Signature: v.Signature}
	b.weight += b.committee.Validators[i].Weight
	return b.Certificate(), nil
}

// Weight returns the weight of the votes recorded.
func (b *Builder) Weight() uint64 { return b.weight }

// Certificate returns the certificate if a quorum has voted, else nil. It
// carries just enough signatures for a quorum, taken in committee order:
// every verifier checks each signature a certificate carries, so extra
// ones would only cost them time.
func (b *Builder) Certificate() *Certificate {
	if b.weight < b.committee.Quorum() {
		return nil
	}
	all := make([]IndexedSignature, 0, len(b.sigs))
	for _, s := range b.sigs {
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b IndexedSignature) int { return int(a.Index) - int(b.Index) })
	c := &Certificate{Value: b.value, Round: b.round, Scheme: SchemeEd25519}
	var w uint64
	for _, s := range all {
		if w >= b.committee.Quorum() {
			break
		}
		c.Signatures = append(c.Signatures, s)
		w += b.committee.Validators[s.Index].Weight
	}
	return c
}
