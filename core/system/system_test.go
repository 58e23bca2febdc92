package system

import (
	"bytes"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
)

func sampleCommittee(t testing.TB) *committee.Committee {
	var vals []committee.Validator
	for i := byte(1); i <= 4; i++ {
		vals = append(vals, committee.Validator{PublicKey: keys.NewPrivateKey([32]byte{i}).Public(), Weight: 1, Address: "ws://127.0.0.1:9000"})
	}
	c, err := committee.New(vals, committee.Testnet())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sampleOps(t testing.TB) []Operation {
	owner := ids.Owner{7}
	return []Operation{
		{Kind: OpTransfer, Owner: owner, Recipient: ids.Account{Chain: ids.Hash{1}, Owner: ids.Owner{2}}, Amount: amount.Tokens(3)},
		{Kind: OpClaim, Owner: owner, Target: ids.Hash{3}, Recipient: ids.Account{Chain: ids.Hash{1}}, Amount: amount.Attos(1)},
		{Kind: OpOpenChain, Ownership: manager.Single(owner), Amount: amount.Tokens(1)},
		{Kind: OpCloseChain},
		{Kind: OpChangeOwnership, Ownership: manager.Multi([]ids.Owner{{1}, {2}}, 2)},
		{Kind: OpCreateCommittee, Epoch: 1, Committee: sampleCommittee(t)},
		{Kind: OpRemoveCommittee, Epoch: 0},
	}
}

func sampleMessages(t testing.TB) []Message {
	cs := Committees{{Epoch: 0, Committee: sampleCommittee(t)}}
	cfg := &Config{Description: ids.ChildDescription(ids.Hash{1}, 4, 0), Ownership: manager.Single(ids.Owner{9}),
		Balance: amount.Tokens(2), Committees: cs, Admin: ids.Hash{5}, Timestamp: 77}
	return []Message{
		{Kind: MsgCredit, Owner: ids.Owner{1}, Source: ids.Owner{2}, Amount: amount.Tokens(1)},
		{Kind: MsgWithdraw, Owner: ids.Owner{1}, Recipient: ids.Account{Chain: ids.Hash{3}}, Amount: amount.Tokens(1)},
		{Kind: MsgOpenChain, Config: cfg},
		{Kind: MsgSetCommittees, Epoch: 0, Committees: cs},
		{Kind: MsgSubscribe, Chain: ids.Hash{8}},
	}
}

func TestOperationRoundTrip(t *testing.T) {
	for _, op := range sampleOps(t) {
		b := codec.Marshal(op)
		got, err := DecodeOperation(b)
		if err != nil {
			t.Fatalf("DecodeOperation(%s) error: %v", op.Kind, err)
		}
		if !bytes.Equal(codec.Marshal(got), b) {
			t.Errorf("%s: re-encoding differs", op.Kind)
		}
	}
	if _, err := DecodeOperation([]byte{byte(numOps)}); err == nil {
		t.Error("DecodeOperation(unknown kind) succeeded")
	}
}

func FuzzOperation(f *testing.F) {
	for _, op := range sampleOps(f) {
		f.Add(codec.Marshal(op))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		op, err := DecodeOperation(b)
		if err != nil {
			return
		}
		if got := codec.Marshal(op); !bytes.Equal(got, b) {
			t.Fatalf("decode→encode changed %x into %x", b, got)
		}
	})
}

func FuzzMessage(f *testing.F) {
	for _, m := range sampleMessages(f) {
		f.Add(codec.Marshal(m))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeMessage(b)
		if err != nil {
			return
		}
		if got := codec.Marshal(m); !bytes.Equal(got, b) {
			t.Fatalf("decode→encode changed %x into %x", b, got)
		}
	})
}
