package manager

import (
	"bytes"
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

var testChain = ids.RootDescription(7).ID()

// net is four honest validators' managers for one chain, with a committee
// of weight 1 each (quorum 3).
type net struct {
	t    testing.TB
	com  *committee.Committee
	keys []*keys.PrivateKey // keys[i] signs for mgrs[i]
	mgrs []*Manager
	now  uint64
}

func newNet(t testing.TB, own Ownership) *net {
	t.Helper()
	n := &net{t: t, now: t0}
	var vals []committee.Validator
	for i := range 4 {
		k := key('v', byte(i))
		n.keys = append(n.keys, k)
		vals = append(vals, committee.Validator{PublicKey: k.Public(), Weight: 1})
		n.mgrs = append(n.mgrs, New(own, testChain, 0, n.now))
	}
	com, err := committee.New(vals, committee.NoFees())
	if err != nil {
		t.Fatal(err)
	}
	n.com = com
	return n
}

// newBlock returns a block at height 0 of testChain signed by signer; tag
// tells blocks apart.
func newBlock(signer *keys.PrivateKey, tag byte) block.Block {
	op := block.Operation{Bytes: []byte{tag}}
	return block.Block{
		Chain: testChain, Timestamp: t0, Signer: signer.Owner(),
		Transactions: []block.Transaction{{Operation: &op}},
	}
}

// execute is what every validator computes for b.
func execute(b block.Block) *block.Executed {
	n := len(b.Transactions)
	return &block.Executed{Block: b, Outcome: block.Outcome{
		Messages:  make([][]block.OutgoingMessage, n),
		Events:    make([][]block.Event, n),
		Results:   make([][]byte, n),
		StateHash: ids.Sum("test-state", codec.Marshal(b)),
	}}
}

func propose(signer *keys.PrivateKey, tag byte, r block.Round, locked *block.Certificate) *block.Proposal {
	return block.NewProposal(newBlock(signer, tag), r, signer, locked)
}

// propose delivers p to validator i and returns its vote, or the error.
func (n *net) propose(i int, p *block.Proposal) (block.Vote, error) {
	n.t.Helper()
	if err := p.Verify(); err != nil {
		n.t.Fatalf("proposal does not verify: %v", err)
	}
	if err := VerifyLocked(p, n.com); err != nil {
		return block.Vote{}, err
	}
	m := n.mgrs[i]
	out, err := m.CheckProposal(p)
	if err != nil {
		return block.Vote{}, err
	}
	if out == Skip {
		v, _, _ := m.PendingVote()
		return v, nil
	}
	return m.CreateVote(p, execute(p.Block), n.keys[i], n.now), nil
}

// validated delivers a validated certificate to validator i.
func (n *net) validated(i int, c *block.Certificate) (block.Vote, error) {
	n.t.Helper()
	if err := c.Verify(n.com); err != nil {
		n.t.Fatalf("certificate does not verify: %v", err)
	}
	m := n.mgrs[i]
	out, err := m.CheckValidated(c)
	if err != nil {
		return block.Vote{}, err
	}
	if out == Skip {
		v, _, _ := m.PendingVote()
		return v, nil
	}
	return m.CreateFinalVote(c, n.keys[i], n.now), nil
}

// certify builds the certificate for value v in round r from votes, and
// fails the test unless they reach a quorum.
func (n *net) certify(v block.Value, r block.Round, votes []block.Vote) *block.Certificate {
	n.t.Helper()
	c := n.tryCertify(v, r, votes)
	if c == nil {
		n.t.Fatalf("%d votes for %s in %s: no quorum", len(votes), v.Kind, r)
	}
	if err := c.Verify(n.com); err != nil {
		n.t.Fatalf("certificate does not verify: %v", err)
	}
	return c
}

func (n *net) tryCertify(v block.Value, r block.Round, votes []block.Vote) *block.Certificate {
	n.t.Helper()
	b := block.NewBuilder(v, r, n.com)
	var c *block.Certificate
	for _, vote := range votes {
		var err error
		if c, err = b.Add(vote); err != nil {
			n.t.Fatalf("add vote: %v", err)
		}
	}
	return c
}

// forge signs a certificate for v in r with validators' keys directly,
// as if they had voted; for setting up states in unit tests.
func (n *net) forge(v block.Value, r block.Round) *block.Certificate {
	n.t.Helper()
	var votes []block.Vote
	for _, k := range n.keys {
		votes = append(votes, block.NewVote(v, r, k))
	}
	return n.certify(v, r, votes)
}

// timeout makes every validator sign a timeout at the current time and
// returns the certificate for round r.
func (n *net) timeout(r block.Round) *block.Certificate {
	n.t.Helper()
	var votes []block.Vote
	for i, m := range n.mgrs {
		v, ok := m.VoteTimeout(0, n.now, n.keys[i])
		if !ok {
			n.t.Fatalf("validator %d: no timeout vote in %s at %d (timeout %d)", i, m.CurrentRound(), n.now, m.RoundTimeout())
		}
		votes = append(votes, v)
	}
	return n.certify(block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: testChain}}, r, votes)
}

// restart replaces every manager by its decoded encoding, as after a crash.
func (n *net) restart() {
	n.t.Helper()
	for i, m := range n.mgrs {
		n.mgrs[i] = roundTrip(n.t, m)
	}
}

func roundTrip(t testing.TB, m *Manager) *Manager {
	t.Helper()
	return decode(t, encode(m))
}

func encode(m *Manager) []byte { return codec.Marshal(m) }

// decode decodes a manager and checks that it re-encodes to enc.
func decode(t testing.TB, enc []byte) *Manager {
	t.Helper()
	var d Manager
	if err := codec.Unmarshal(enc, &d); err != nil {
		t.Fatalf("decode manager: %v", err)
	}
	if re := codec.Marshal(&d); !bytes.Equal(re, enc) {
		t.Fatalf("manager re-encodes differently")
	}
	return &d
}

func validatedValue(p *block.Proposal) block.Value {
	return block.Value{Kind: block.Validated, Block: execute(p.Block)}
}

func confirmedValue(p *block.Proposal) block.Value {
	return block.Value{Kind: block.Confirmed, Block: execute(p.Block)}
}

func wantErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}
