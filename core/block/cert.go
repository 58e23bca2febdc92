package block

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// Signature tags.
const (
	tagProposal = "proposal"
	tagVote     = "vote"
)

// Errors from certificate and proposal checks.
var (
	ErrNoQuorum      = errors.New("block: certificate lacks a quorum")
	ErrBadScheme     = errors.New("block: unknown signature scheme")
	ErrBadSigners    = errors.New("block: signers not sorted, unique and in the committee")
	ErrWrongProposer = errors.New("block: proposal signer does not match the block's signer")
)

// RoundKind is the kind of a consensus round.
type RoundKind uint8

// Round kinds, in the order they run.
const (
	Fast RoundKind = iota
	MultiLeader
	SingleLeader
	ValidatorRound
	numRoundKinds
)

// Round is a consensus round of one block height. Rounds are ordered by
// kind, then number.
type Round struct {
	Kind   RoundKind
	Number uint32
}

// Less reports whether r comes before s.
func (r Round) Less(s Round) bool {
	return r.Kind < s.Kind || r.Kind == s.Kind && r.Number < s.Number
}

// String formats r, e.g. "fast", "multi-leader 0".
func (r Round) String() string {
	switch r.Kind {
	case Fast:
		return "fast"
	case MultiLeader:
		return fmt.Sprintf("multi-leader %d", r.Number)
	case SingleLeader:
		return fmt.Sprintf("single-leader %d", r.Number)
	case ValidatorRound:
		return fmt.Sprintf("validator %d", r.Number)
	}
	return "?"
}

// Encode writes r.
func (r Round) Encode(w *codec.Writer) {
	w.U8(uint8(r.Kind))
	w.U32(r.Number)
}

// Decode reads r.
func (r *Round) Decode(rd *codec.Reader) {
	r.Kind = RoundKind(rd.Tag(uint8(numRoundKinds)))
	r.Number = rd.U32()
}

// Proposal is a block an owner signs for a round. A retry of a block that
// a validated certificate locked carries that certificate in Locked.
type Proposal struct {
	Block     Block
	Round     Round
	PublicKey keys.PublicKey
	Signature keys.Signature
	Locked    *Certificate
}

type proposalContent struct {
	block ids.Hash
	round Round
}

func (c proposalContent) Encode(w *codec.Writer) {
	c.block.Encode(w)
	c.round.Encode(w)
}

func (p *Proposal) signedHash() ids.Hash {
	return ids.Of(tagProposal, proposalContent{p.Block.Hash(), p.Round})
}

// NewProposal signs b for round r with k.
func NewProposal(b Block, r Round, k *keys.PrivateKey, locked *Certificate) *Proposal {
	p := &Proposal{Block: b, Round: r, PublicKey: k.Public(), Locked: locked}
	p.Signature = k.Sign(tagProposal, p.signedHash())
	return p
}

// Verify checks the owner's signature and that the key is the block's
// signer. A retry of a locked block (Locked set) may be signed by another
// owner, the round's leader: the block keeps its original signer.
func (p *Proposal) Verify() error {
	if p.Locked == nil && p.PublicKey.Owner() != p.Block.Signer {
		return ErrWrongProposer
	}
	return p.PublicKey.Verify(tagProposal, p.signedHash(), p.Signature)
}

// Encode writes p.
func (p Proposal) Encode(w *codec.Writer) {
	p.Block.Encode(w)
	p.Round.Encode(w)
	p.PublicKey.Encode(w)
	p.Signature.Encode(w)
	w.Bool(p.Locked != nil)
	if p.Locked != nil {
		p.Locked.Encode(w)
	}
}

// Decode reads p.
func (p *Proposal) Decode(r *codec.Reader) {
	p.Block.Decode(r)
	p.Round.Decode(r)
	p.PublicKey.Decode(r)
	p.Signature.Decode(r)
	p.Locked = nil
	if r.Bool() {
		p.Locked = new(Certificate)
		p.Locked.Decode(r)
	}
}

// Kind is the kind of a certified value.
type Kind uint8

// Value kinds.
const (
	Timeout Kind = iota
	Validated
	Confirmed
	numKinds2
)

func (k Kind) String() string {
	return [...]string{"timeout", "validated", "confirmed", "?"}[min(k, numKinds2)]
}

// TimeoutValue is what a timeout certificate certifies: the chain's round
// at Height may move on.
type TimeoutValue struct {
	Chain  ids.ChainID
	Height Height
	Epoch  uint32
}

// Encode writes t.
func (t TimeoutValue) Encode(w *codec.Writer) {
	t.Chain.Encode(w)
	w.U64(t.Height)
	w.U32(t.Epoch)
}

// Decode reads t.
func (t *TimeoutValue) Decode(r *codec.Reader) {
	t.Chain.Decode(r)
	t.Height = r.U64()
	t.Epoch = r.U32()
}

// Value is what validators vote for: a validated or confirmed executed
// block, or a timeout.
type Value struct {
	Kind    Kind
	Block   *Executed    // Validated, Confirmed
	Timeout TimeoutValue // Timeout
}

// Hash returns the hash votes sign: the block hash for block values.
// Validated and confirmed values of one block share the hash; the vote's
// kind tells them apart.
func (v Value) Hash() ids.Hash {
	if v.Kind == Timeout {
		return ids.Of("timeout", v.Timeout)
	}
	return v.Block.Hash()
}

// Chain returns the chain the value is about.
func (v Value) Chain() ids.ChainID {
	if v.Kind == Timeout {
		return v.Timeout.Chain
	}
	return v.Block.Block.Chain
}

// Height returns the height the value is about.
func (v Value) Height() Height {
	if v.Kind == Timeout {
		return v.Timeout.Height
	}
	return v.Block.Block.Height
}

// Epoch returns the epoch the value was voted in.
func (v Value) Epoch() uint32 {
	if v.Kind == Timeout {
		return v.Timeout.Epoch
	}
	return v.Block.Block.Epoch
}

// Encode writes v.
func (v Value) Encode(w *codec.Writer) {
	w.U8(uint8(v.Kind))
	if v.Kind == Timeout {
		v.Timeout.Encode(w)
		return
	}
	v.Block.Encode(w)
}

// Decode reads v.
func (v *Value) Decode(r *codec.Reader) {
	*v = Value{Kind: Kind(r.Tag(uint8(numKinds2)))}
	if v.Kind == Timeout {
		v.Timeout.Decode(r)
		return
	}
	v.Block = new(Executed)
	v.Block.Decode(r)
}

type voteContent struct {
	kind  Kind
	hash  ids.Hash
	round Round
}

func (c voteContent) Encode(w *codec.Writer) {
	w.U8(uint8(c.kind))
	c.hash.Encode(w)
	c.round.Encode(w)
}

func voteHash(k Kind, h ids.Hash, r Round) ids.Hash {
	return ids.Of(tagVote, voteContent{k, h, r})
}

// Vote is one validator's signature on a value in a round.
type Vote struct {
	Kind      Kind
	Hash      ids.Hash
	Round     Round
	Validator keys.PublicKey
	Signature keys.Signature
}

// NewVote signs (kind, value hash, round) with a validator key.
func NewVote(v Value, r Round, k *keys.PrivateKey) Vote {
	h := v.Hash()
	return Vote{Kind: v.Kind, Hash: h, Round: r, Validator: k.Public(),
		Signature: k.Sign(tagVote, voteHash(v.Kind, h, r))}
}

// Verify checks the vote's signature.
func (v Vote) Verify() error {
	return v.Validator.Verify(tagVote, voteHash(v.Kind, v.Hash, v.Round), v.Signature)
}

// Encode writes v.
func (v Vote) Encode(w *codec.Writer) {
	w.U8(uint8(v.Kind))
	v.Hash.Encode(w)
	v.Round.Encode(w)
	v.Validator.Encode(w)
	v.Signature.Encode(w)
}

// Decode reads v.
func (v *Vote) Decode(r *codec.Reader) {
	v.Kind = Kind(r.Tag(uint8(numKinds2)))
	v.Hash.Decode(r)
	v.Round.Decode(r)
	v.Validator.Decode(r)
	v.Signature.Decode(r)
}

// Signature schemes of certificates.
const (
	// SchemeEd25519 lists one ed25519 signature per signing validator.
	SchemeEd25519 uint8 = 0
)

// IndexedSignature is a validator's signature, naming the validator by its
// index in the committee.
type IndexedSignature struct {
	Index     uint32
	Signature keys.Signature
}

// Certificate is a value, a round and the signatures of a quorum.
type Certificate struct {
	Value      Value
	Round      Round
	Scheme     uint8
	Signatures []IndexedSignature
}

// Hash returns the certified value's hash.
func (c *Certificate) Hash() ids.Hash { return c.Value.Hash() }

// Verify checks that a quorum of c's committee signed the value in the
// round: the scheme is known, signers are sorted by index without
// repetition, every signature is valid, and their weight reaches quorum.
func (c *Certificate) Verify(com *committee.Committee) error {
	if c.Scheme != SchemeEd25519 {
		return fmt.Errorf("%w: %d", ErrBadScheme, c.Scheme)
	}
	if len(c.Signatures) == 0 {
		return fmt.Errorf("%w: no signatures", ErrNoQuorum)
	}
	h := voteHash(c.Value.Kind, c.Value.Hash(), c.Round)
	var weight uint64
	for i, s := range c.Signatures {
		if int(s.Index) >= len(com.Validators) || i > 0 && s.Index <= c.Signatures[i-1].Index {
			return ErrBadSigners
		}
		v := com.Validators[s.Index]
		if err := v.PublicKey.Verify(tagVote, h, s.Signature); err != nil {
			return fmt.Errorf("verify %s certificate: %w", c.Value.Kind, err)
		}
		weight += v.Weight
	}
	if weight < com.Quorum() {
		return fmt.Errorf("%w: weight %d < %d", ErrNoQuorum, weight, com.Quorum())
	}
	return nil
}

// Encode writes c.
func (c Certificate) Encode(w *codec.Writer) {
	c.Value.Encode(w)
	c.Round.Encode(w)
	w.U8(c.Scheme)
	codec.WriteList(w, c.Signatures, func(w *codec.Writer, s IndexedSignature) {
		w.U32(s.Index)
		s.Signature.Encode(w)
	})
}

// Decode reads c.
func (c *Certificate) Decode(r *codec.Reader) {
	c.Value.Decode(r)
	c.Round.Decode(r)
	c.Scheme = r.U8()
	c.Signatures = codec.List(r, committee.MaxValidators, 4+keys.SignatureSize, func(r *codec.Reader) IndexedSignature {
		var s IndexedSignature
		s.Index = r.U32()
		s.Signature.Decode(r)
		return s
	})
}
