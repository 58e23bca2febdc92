package block

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/keys"
)

func validated(e *Executed) Value { return Value{Kind: Validated, Block: e} }
func confirmed(e *Executed) Value { return Value{Kind: Confirmed, Block: e} }

var (
	ml0 = Round{Kind: MultiLeader, Number: 0}
	ml1 = Round{Kind: MultiLeader, Number: 1}
)

// TestBuilderCertifies collects the votes of four validators: the
// certificate appears with the third and verifies.
func TestBuilderCertifies(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	v := confirmed(sampleExecuted())
	b := NewBuilder(v, ml0, tc.Committee)
	// Vote in reverse committee order: the certificate lists signers sorted.
	for n, i := range []int{3, 1, 0, 2} {
		cert, err := b.Add(NewVote(v, ml0, tc.keys[i]))
		if err != nil {
			t.Fatalf("Add(vote %d) = %v", i, err)
		}
		if b.Weight() != uint64(n+1) {
			t.Errorf("Weight() after %d votes = %d, want %d", n+1, b.Weight(), n+1)
		}
		if (cert != nil) != (n >= 2) {
			t.Fatalf("Add(vote %d) after %d votes = %v, want a certificate from the third vote on", i, n+1, cert)
		}
		if cert == nil {
			continue
		}
		if err := cert.Verify(tc.Committee); err != nil {
			t.Errorf("Verify() of the built certificate = %v, want nil", err)
		}
		for j := 1; j < len(cert.Signatures); j++ {
			if cert.Signatures[j-1].Index >= cert.Signatures[j].Index {
				t.Errorf("built certificate signers %v are not sorted", cert.Signatures)
			}
		}
		if cert.Hash() != v.Hash() || cert.Round != ml0 || cert.Scheme != SchemeEd25519 {
			t.Errorf("certificate hash, round, scheme = %v, %v, %d, want %v, %v, %d",
				cert.Hash().Short(), cert.Round, cert.Scheme, v.Hash().Short(), ml0, SchemeEd25519)
		}
	}
}

func TestBuilderDuplicateVotes(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	v := validated(sampleExecuted())
	b := NewBuilder(v, ml0, tc.Committee)
	vote := NewVote(v, ml0, tc.keys[0])
	for range 5 {
		if cert, err := b.Add(vote); cert != nil || err != nil {
			t.Fatalf("Add(same vote) = %v, %v, want nil, nil", cert, err)
		}
	}
	if b.Weight() != 1 {
		t.Errorf("Weight() after one vote five times = %d, want 1", b.Weight())
	}
	if b.Certificate() != nil {
		t.Errorf("Certificate() with one vote = non-nil, want nil")
	}
}

func TestBuilderRefuses(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	e := sampleExecuted()
	v := validated(e)
	other := sampleExecuted()
	other.Outcome.Fuel++
	outsider := seedKey(0x70)
	forged := NewVote(v, ml0, tc.keys[1])
	forged.Signature[0] ^= 1
	stolen := NewVote(v, ml0, tc.keys[1])
	stolen.Validator = tc.keys[2].Public() // member 2's name on member 1's signature
	tests := []struct {
		name string
		vote Vote
		want error
	}{
		{"other kind", NewVote(confirmed(e), ml0, tc.keys[1]), ErrVoteMismatch},
		{"other value", NewVote(validated(other), ml0, tc.keys[1]), ErrVoteMismatch},
		{"other round", NewVote(v, ml1, tc.keys[1]), ErrVoteMismatch},
		{"timeout", NewVote(Value{Kind: Timeout}, ml0, tc.keys[1]), ErrVoteMismatch},
		{"non-member", NewVote(v, ml0, outsider), ErrNotMember},
		{"bad signature", forged, keys.ErrBadSignature},
		{"signature of another member", stolen, keys.ErrBadSignature},
	}
	for _, tt := range tests {
		b := NewBuilder(v, ml0, tc.Committee)
		if _, err := b.Add(NewVote(v, ml0, tc.keys[0])); err != nil {
			t.Fatal(err)
		}
		cert, err := b.Add(tt.vote)
		if cert != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: Add() = %v, %v, want nil, %v", tt.name, cert, err, tt.want)
		}
		if b.Weight() != 1 {
			t.Errorf("%s: Weight() after a refused vote = %d, want 1", tt.name, b.Weight())
		}
	}
}

func TestCertificateVerify(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	v := confirmed(sampleExecuted())
	good := tc.certify(v, ml0, 0, 1, 2)
	otherRound := tc.certify(v, ml1, 0, 1, 2)
	otherRound.Round = ml0
	otherKind := tc.certify(validated(v.Block), ml0, 0, 1, 2)
	otherKind.Value = v
	mixed := tc.certify(v, ml0, 0, 1, 2)
	mixed.Signatures[1] = otherRound.Signatures[1]
	badScheme := tc.certify(v, ml0, 0, 1, 2)
	badScheme.Scheme = 1
	tests := []struct {
		name string
		c    *Certificate
		want error
	}{
		{"3 of 4", good, nil},
		{"4 of 4", tc.certify(v, ml0, 0, 1, 2, 3), nil},
		{"2 of 4", tc.certify(v, ml0, 1, 3), ErrNoQuorum},
		{"none", tc.certify(v, ml0), ErrNoQuorum},
		{"unsorted", tc.certify(v, ml0, 0, 2, 1), ErrBadSigners},
		{"duplicate", tc.certify(v, ml0, 0, 1, 1, 2), ErrBadSigners},
		{"duplicate reaching quorum", tc.certify(v, ml0, 0, 0, 0), ErrBadSigners},
		{"index out of range", withIndex(tc.certify(v, ml0, 0, 1, 2), 2, 4), ErrBadSigners},
		{"index far out of range", withIndex(tc.certify(v, ml0, 0, 1, 2), 2, 1<<32-1), ErrBadSigners},
		{"signatures from another round", otherRound, keys.ErrBadSignature},
		{"signatures for another kind", otherKind, keys.ErrBadSignature},
		{"one signature from another round", mixed, keys.ErrBadSignature},
		{"unsorted first", tc.certify(v, ml0, 1, 0, 2), ErrBadSigners},
		{"unknown scheme", badScheme, ErrBadScheme},
	}
	for _, tt := range tests {
		err := tt.c.Verify(tc.Committee)
		if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify() = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestCertificateSignersRenamed checks that signatures listed under the
// wrong indices fail even when sorted.
func TestCertificateSignersRenamed(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	v := confirmed(sampleExecuted())
	c := tc.certify(v, ml0, 0, 1, 2)
	c.Signatures[2].Index = 3 // validator 2's signature named as validator 3's
	if err := c.Verify(tc.Committee); !errors.Is(err, keys.ErrBadSignature) {
		t.Errorf("Verify() = %v, want %v", err, keys.ErrBadSignature)
	}
}

func withIndex(c *Certificate, i int, index uint32) *Certificate {
	c.Signatures[i].Index = index
	return c
}

func TestCertificateWeights(t *testing.T) {
	tc := newCommittee(t, 100, 1, 1, 1) // total 103, quorum 69
	v := confirmed(sampleExecuted())
	tests := []struct {
		signers []int
		want    error
	}{
		{[]int{0}, nil},
		{[]int{1, 2, 3}, ErrNoQuorum},
		{[]int{0, 1, 2, 3}, nil},
	}
	for _, tt := range tests {
		err := tc.certify(v, ml0, tt.signers...).Verify(tc.Committee)
		if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
			t.Errorf("Verify(signers %v of weights 100,1,1,1) = %v, want %v", tt.signers, err, tt.want)
		}
	}
	// The certificate of one committee does not verify under another.
	other := newCommittee(t, equalWeights(5)...)
	if err := tc.certify(v, ml0, 0, 1, 2).Verify(other.Committee); err == nil {
		t.Errorf("Verify(another committee) = nil, want an error")
	}
}

func TestTimeoutCertificate(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	v := Value{Kind: Timeout, Timeout: TimeoutValue{Chain: testChain, Height: 5, Epoch: 2}}
	b := NewBuilder(v, ml1, tc.Committee)
	var cert *Certificate
	for i := range 3 {
		var err error
		if cert, err = b.Add(NewVote(v, ml1, tc.keys[i])); err != nil {
			t.Fatal(err)
		}
	}
	if cert == nil {
		t.Fatal("no certificate after 3 of 4 timeout votes")
	}
	if err := cert.Verify(tc.Committee); err != nil {
		t.Errorf("Verify() = %v, want nil", err)
	}
	next := v
	next.Timeout.Height++
	cert.Value = next
	if err := cert.Verify(tc.Committee); !errors.Is(err, keys.ErrBadSignature) {
		t.Errorf("Verify() of a timeout certificate moved to height 6 = %v, want %v", err, keys.ErrBadSignature)
	}
}

func TestValueAccessors(t *testing.T) {
	e := sampleExecuted()
	e.Block.Epoch = 3
	timeout := Value{Kind: Timeout, Timeout: TimeoutValue{Chain: otherChain, Height: 9, Epoch: 4}}
	tests := []struct {
		v      Value
		chain  [32]byte
		height Height
		epoch  uint32
	}{
		{validated(e), testChain, 5, 3},
		{confirmed(e), testChain, 5, 3},
		{timeout, otherChain, 9, 4},
	}
	for _, tt := range tests {
		if tt.v.Chain() != tt.chain || tt.v.Height() != tt.height || tt.v.Epoch() != tt.epoch {
			t.Errorf("%s value: Chain, Height, Epoch = %v, %d, %d, want %v, %d, %d", tt.v.Kind,
				tt.v.Chain().Short(), tt.v.Height(), tt.v.Epoch(), tt.chain, tt.height, tt.epoch)
		}
	}
	if validated(e).Hash() != confirmed(e).Hash() || validated(e).Hash() != e.Hash() {
		t.Errorf("validated and confirmed values of one block hash differently or not to the block hash")
	}
	if timeout.Hash() == (Value{Kind: Timeout, Timeout: TimeoutValue{Chain: otherChain, Height: 10, Epoch: 4}}).Hash() {
		t.Errorf("timeouts at heights 9 and 10 share a hash")
	}
}

func TestVoteVerify(t *testing.T) {
	k := seedKey(1)
	v := validated(sampleExecuted())
	vote := NewVote(v, ml0, k)
	if err := vote.Verify(); err != nil {
		t.Errorf("Verify() = %v, want nil", err)
	}
	changes := []struct {
		name   string
		change func(*Vote)
	}{
		{"kind", func(v *Vote) { v.Kind = Confirmed }},
		{"hash", func(v *Vote) { v.Hash[0] ^= 1 }},
		{"round number", func(v *Vote) { v.Round.Number++ }},
		{"round kind", func(v *Vote) { v.Round.Kind = SingleLeader }},
		{"validator", func(v *Vote) { v.Validator = seedKey(2).Public() }},
	}
	for _, tt := range changes {
		changed := vote
		tt.change(&changed)
		if err := changed.Verify(); !errors.Is(err, keys.ErrBadSignature) {
			t.Errorf("Verify() with the %s changed = %v, want %v", tt.name, err, keys.ErrBadSignature)
		}
	}
}

func TestProposalVerify(t *testing.T) {
	b := sampleBlock()
	p := NewProposal(b, ml0, owner, nil)
	if err := p.Verify(); err != nil {
		t.Fatalf("Verify() = %v, want nil", err)
	}
	stranger := seedKey(0x71)
	tests := []struct {
		name   string
		change func(p *Proposal)
		want   error
	}{
		{"signed by another owner", func(p *Proposal) { *p = *NewProposal(b, ml0, stranger, nil) }, ErrWrongProposer},
		{"key replaced", func(p *Proposal) { p.PublicKey = stranger.Public() }, ErrWrongProposer},
		{"height", func(p *Proposal) { p.Block.Height++ }, keys.ErrBadSignature},
		{"operation bytes", func(p *Proposal) { p.Block.Transactions[1].Operation = transferOp(2) }, keys.ErrBadSignature},
		{"transaction dropped", func(p *Proposal) { p.Block.Transactions = p.Block.Transactions[:2] }, keys.ErrBadSignature},
		{"round", func(p *Proposal) { p.Round = ml1 }, keys.ErrBadSignature},
		{"signature", func(p *Proposal) { p.Signature[5] ^= 0x80 }, keys.ErrBadSignature},
		{"signer changed to the stranger", func(p *Proposal) {
			p.Block.Signer = stranger.Owner()
			p.PublicKey = stranger.Public()
		}, keys.ErrBadSignature},
	}
	for _, tt := range tests {
		q := NewProposal(sampleBlock(), ml0, owner, nil)
		tt.change(q)
		if err := q.Verify(); !errors.Is(err, tt.want) {
			t.Errorf("Verify() with %s changed = %v, want %v", tt.name, err, tt.want)
		}
	}
	// A vote signature is not a proposal signature, even over the same
	// bytes' hash.
	vote := NewVote(validated(executedOf(b)), ml0, owner)
	q := NewProposal(b, ml0, owner, nil)
	q.Signature = vote.Signature
	if err := q.Verify(); !errors.Is(err, keys.ErrBadSignature) {
		t.Errorf("Verify() with a vote's signature = %v, want %v", err, keys.ErrBadSignature)
	}
}

// TestCertificateVerifyUncheckedCommittee checks a certificate with no
// signatures against a committee read from JSON (as a genesis file would
// be): its cached total weight is 0, so Quorum() is 0 and the empty
// certificate passes.
func TestCertificateVerifyUncheckedCommittee(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	js, err := json.Marshal(tc.Committee)
	if err != nil {
		t.Fatal(err)
	}
	var com committee.Committee
	if err := json.Unmarshal(js, &com); err != nil {
		t.Fatal(err)
	}
	empty := &Certificate{Value: confirmed(sampleExecuted()), Round: ml0, Scheme: SchemeEd25519}
	if err := empty.Verify(&com); !errors.Is(err, ErrNoQuorum) {
		t.Errorf("Verify(no signatures, committee from JSON) = %v, want %v", err, ErrNoQuorum)
	}
}
