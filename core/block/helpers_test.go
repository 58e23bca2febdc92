package block

import (
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

// seedKey returns the key whose seed bytes are first, first+1, …, as in
// core/keys/testdata/vectors.json.
func seedKey(first byte) *keys.PrivateKey {
	var s [keys.SeedSize]byte
	for i := range s {
		s[i] = first + byte(i)
	}
	return keys.NewPrivateKey(s)
}

// hashOf returns a hash whose bytes are all b.
func hashOf(b byte) ids.Hash {
	var h ids.Hash
	for i := range h {
		h[i] = b
	}
	return h
}

// testCommittee is a committee and its validators' keys in committee
// order: keys[i] is Validators[i].
type testCommittee struct {
	*committee.Committee
	keys []*keys.PrivateKey
}

// newCommittee returns a committee of len(weights) validators with keys
// from seeds 1, 2, …; the weights are given in committee (key) order.
func newCommittee(tb testing.TB, weights ...uint64) testCommittee {
	tb.Helper()
	var vals []committee.Validator
	byKey := map[keys.PublicKey]*keys.PrivateKey{}
	for i := range weights {
		k := seedKey(byte(1 + i))
		byKey[k.Public()] = k
		vals = append(vals, committee.Validator{PublicKey: k.Public(), Weight: 1})
	}
	com, err := committee.New(vals, committee.NoFees())
	if err != nil {
		tb.Fatal(err)
	}
	tc := testCommittee{Committee: com}
	for i := range com.Validators {
		com.Validators[i].Weight = weights[i]
		tc.keys = append(tc.keys, byKey[com.Validators[i].PublicKey])
	}
	// Rebuild so the total weight matches the weights set above.
	if tc.Committee, err = committee.New(com.Validators, committee.NoFees()); err != nil {
		tb.Fatal(err)
	}
	return tc
}

func equalWeights(n int) []uint64 {
	w := make([]uint64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// certify returns a certificate for v in round r signed by the validators
// at the given committee indices, in that order.
func (tc testCommittee) certify(v Value, r Round, signers ...int) *Certificate {
	c := &Certificate{Value: v, Round: r, Scheme: SchemeEd25519}
	for _, i := range signers {
		vote := NewVote(v, r, tc.keys[i])
		c.Signatures = append(c.Signatures, IndexedSignature{Index: uint32(i), Signature: vote.Signature})
	}
	return c
}

var (
	testChain  = ids.RootDescription(7).ID()
	otherChain = ids.RootDescription(8).ID()
	thirdChain = ids.ChildDescription(testChain, 3, 0).ID()
	owner      = seedKey(0x40)
)

// transferOp returns a system operation the size of a Transfer: kind,
// source owner, recipient account and amount (113 bytes of payload).
func transferOp(i byte) *Operation {
	src, dst := owner.Owner(), hashOf(i)
	payload := make([]byte, 0, 113)
	payload = append(payload, 0)                   // kind: transfer
	payload = append(payload, src[:]...)           // source owner
	payload = append(payload, dst[:]...)           // recipient chain
	payload = append(payload, make([]byte, 32)...) // recipient owner: the chain's account
	payload = append(payload, make([]byte, 16)...) // amount
	return &Operation{Bytes: payload}
}

// sampleBlock returns a block with an incoming bundle, a system operation
// and a user-application operation.
func sampleBlock() Block {
	in := &IncomingBundle{
		Origin: otherChain,
		Bundle: Bundle{
			Height: 4, Timestamp: 1_700_000_000_000_000, CertificateHash: hashOf(0xcc), TransactionIndex: 1,
			Messages: []PostedMessage{
				{Index: 0, Signer: owner.Owner(), Kind: Tracked, Message: Message{Bytes: []byte("credit")}},
				{Index: 2, Kind: Simple, Message: Message{App: hashOf(0xa1), Bytes: []byte("ping")}},
			},
		},
		Action: Accept,
	}
	return Block{
		Chain: testChain, Epoch: 0, Height: 5, Timestamp: 1_700_000_000_100_000,
		Previous: hashOf(0xbb), Signer: owner.Owner(),
		Transactions: []Transaction{
			{Bundle: in},
			{Operation: transferOp(1)},
			{Operation: &Operation{App: hashOf(0xa1), Bytes: []byte("increment")}},
		},
	}
}

// sampleExecuted returns sampleBlock with an outcome that sends messages
// to two chains and publishes an event.
func sampleExecuted() *Executed {
	b := sampleBlock()
	return &Executed{Block: b, Outcome: Outcome{
		Messages: [][]OutgoingMessage{
			nil,
			{
				{Destination: otherChain, Signer: owner.Owner(), Kind: Tracked, Message: Message{Bytes: []byte("credit 1")}},
				{Destination: thirdChain, Kind: Protected, Message: Message{Bytes: []byte("notify")}},
				{Destination: otherChain, Kind: Simple, Message: Message{App: hashOf(0xa1), Bytes: []byte("hello")}},
			},
			{
				{Destination: thirdChain, Kind: Bouncing, Message: Message{Bytes: []byte("bounce")}},
			},
		},
		Events:    [][]Event{nil, nil, {{Stream: StreamID{App: hashOf(0xa1), Name: "counter"}, Index: 0, Value: []byte{1}}}},
		Results:   [][]byte{nil, nil, []byte("ok")},
		StateHash: hashOf(0x55),
		Fuel:      1234,
		Fees:      amount.Attos(1_000_000_000),
	}}
}

// executedOf returns b with an empty outcome of the right shape.
func executedOf(b Block) *Executed {
	n := len(b.Transactions)
	return &Executed{Block: b, Outcome: Outcome{
		Messages: make([][]OutgoingMessage, n),
		Events:   make([][]Event, n),
		Results:  make([][]byte, n),
	}}
}

// transferBlock returns a block of n transfer-sized operations.
func transferBlock(n int) Block {
	b := Block{Chain: testChain, Height: 1, Timestamp: 1_700_000_000_000_000, Previous: hashOf(1), Signer: owner.Owner()}
	for i := range n {
		b.Transactions = append(b.Transactions, Transaction{Operation: transferOp(byte(i))})
	}
	return b
}
