package app

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/manager"
)

func TestBlobIDsSeparateKinds(t *testing.T) {
	data := []byte("\x00asm")
	seen := map[ids.BlobID]BlobKind{}
	for k := BlobData; k < numBlobKinds; k++ {
		id := Blob{Kind: k, Bytes: data}.ID()
		if old, ok := seen[id]; ok {
			t.Fatalf("kinds %s and %s share id %s", old, k, id.Short())
		}
		seen[id] = k
	}
	if (Blob{Kind: BlobData, Bytes: []byte("a")}).ID() == (Blob{Kind: BlobData, Bytes: []byte("b")}).ID() {
		t.Fatal("different content, same id")
	}
}

func TestModuleIDText(t *testing.T) {
	m := ModuleID{Contract: ids.Sum("c", nil), Service: ids.Sum("s", nil)}
	got, err := ParseModuleID(m.String())
	if err != nil || got != m {
		t.Fatalf("ParseModuleID(String()) = %v, %v", got, err)
	}
	for _, bad := range []string{"", m.String()[:127], m.String() + "0", "zz" + m.String()[2:]} {
		if _, err := ParseModuleID(bad); err == nil {
			t.Errorf("ParseModuleID(%q) succeeded", bad)
		}
	}
}

func TestDescriptionIDIsItsBlob(t *testing.T) {
	d := Description{Module: ModuleID{Contract: ids.Sum("c", nil)}, Creator: ids.Sum("chain", nil), Height: 3, Index: 1,
		Parameters: []byte(`{"ticker":"X"}`)}
	if d.ID() != d.Blob().ID() || d.Blob().Kind != BlobDescription {
		t.Fatal("an application id must be its description blob's id")
	}
	d2 := d
	d2.Index = 2
	if d2.ID() == d.ID() {
		t.Fatal("two applications created in one block share an id")
	}
}

func TestMissingBlobs(t *testing.T) {
	id := ids.Sum("x", nil)
	err := fmt.Errorf("load: %w", &BlobsNotFoundError{IDs: []ids.BlobID{id}})
	if !errors.Is(err, ErrBlobsNotFound) {
		t.Fatal("errors.Is(ErrBlobsNotFound) is false")
	}
	if got := MissingBlobs(err); len(got) != 1 || got[0] != id {
		t.Fatalf("MissingBlobs = %v", got)
	}
	if MissingBlobs(ErrBlobsNotFound) != nil || MissingBlobs(nil) != nil {
		t.Fatal("MissingBlobs found ids in an error without any")
	}
}

func TestFuelCharge(t *testing.T) {
	f := Fuel{Left: 10}
	if err := f.Charge(4); err != nil || f.Left != 6 || f.Used != 4 {
		t.Fatalf("after 4: %+v, %v", f, err)
	}
	if err := f.Charge(7); !errors.Is(err, ErrOutOfFuel) || f.Left != 0 || f.Used != 10 {
		t.Fatalf("over the budget: %+v, %v", f, err)
	}
}

// hostValues are the values that cross the host boundary, by fuzz tag.
func hostValues() []interface {
	codec.Encoder
	codec.Decoder
} {
	return []interface {
		codec.Encoder
		codec.Decoder
	}{
		&Blob{}, &Description{}, &Context{}, &SendRequest{}, &TransferRequest{}, &ClaimRequest{},
		&CallRequest{}, &CreateRequest{}, &OpenChainRequest{}, &SubscribeRequest{}, &QueryRequest{}, &Envelope{},
	}
}

// FuzzHostValues decodes arbitrary bytes as each value that crosses the
// host boundary (the first byte picks the type): decoding never panics,
// and what decodes re-encodes to the input byte for byte.
func FuzzHostValues(f *testing.F) {
	owner := ids.Sum("owner", nil)
	seeds := []codec.Encoder{
		Blob{Kind: BlobContract, Bytes: []byte("\x00asm")},
		Description{Module: ModuleID{Contract: owner}, Creator: owner, Height: 1, Parameters: []byte("{}"), Required: []ids.ApplicationID{owner}},
		Context{Chain: owner, Height: 2, IsBouncing: true, Event: true, EventStream: "posts", EventIndex: 3},
		SendRequest{Destination: owner, Tracked: true, Message: []byte("m")},
		TransferRequest{Source: owner, Recipient: ids.Account{Chain: owner}, Amount: amount.Tokens(1)},
		ClaimRequest{Source: ids.Account{Chain: owner, Owner: owner}, Amount: amount.Tokens(2)},
		CallRequest{App: owner, Authenticated: true, Argument: []byte("a")},
		CreateRequest{Module: ModuleID{Service: owner}, Argument: []byte("1")},
		OpenChainRequest{Ownership: manager.Single(owner), Balance: amount.Tokens(3)},
		SubscribeRequest{Chain: owner, Stream: "s", Unsubscribe: true},
		QueryRequest{App: owner, Query: []byte("{}")},
		Envelope{Kind: EnvEvent, Stream: "posts", Index: 9, Payload: []byte("p")},
	}
	for i, s := range seeds {
		f.Add(append([]byte{byte(i)}, codec.Marshal(s)...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		vs := hostValues()
		v := vs[int(data[0])%len(vs)]
		if codec.Unmarshal(data[1:], v) != nil {
			return
		}
		if re := codec.Marshal(v); !bytes.Equal(re, data[1:]) {
			t.Fatalf("%T: decode→encode changed the input:\n%x\n%x", v, data[1:], re)
		}
	})
}
