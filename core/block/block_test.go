package block

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

func TestRoundLess(t *testing.T) {
	fast := Round{Kind: Fast}
	sl0 := Round{Kind: SingleLeader}
	vr0 := Round{Kind: ValidatorRound}
	big := Round{Kind: MultiLeader, Number: 1<<32 - 1}
	tests := []struct {
		r, s Round
		want bool
	}{
		{fast, fast, false},
		{fast, ml0, true},
		{ml0, fast, false},
		{ml0, ml1, true},
		{ml1, ml0, false},
		{ml1, ml1, false},
		{big, sl0, true}, // kind first, then number
		{sl0, big, false},
		{sl0, vr0, true},
		{Round{Kind: ValidatorRound, Number: 3}, Round{Kind: ValidatorRound, Number: 4}, true},
	}
	for _, tt := range tests {
		if got := tt.r.Less(tt.s); got != tt.want {
			t.Errorf("(%v).Less(%v) = %v, want %v", tt.r, tt.s, got, tt.want)
		}
	}
}

func TestCursor(t *testing.T) {
	tests := []struct {
		c, d Cursor
		want bool
	}{
		{Cursor{0, 0}, Cursor{0, 0}, false},
		{Cursor{0, 0}, Cursor{0, 1}, true},
		{Cursor{0, 1}, Cursor{0, 0}, false},
		{Cursor{0, 1<<32 - 1}, Cursor{1, 0}, true}, // height first, then index
		{Cursor{1, 0}, Cursor{0, 1<<32 - 1}, false},
		{Cursor{2, 5}, Cursor{2, 6}, true},
	}
	for _, tt := range tests {
		if got := tt.c.Less(tt.d); got != tt.want {
			t.Errorf("(%v).Less(%v) = %v, want %v", tt.c, tt.d, got, tt.want)
		}
	}
	c := Cursor{Height: 3, Index: 4}
	if got := c.Next(); got != (Cursor{3, 5}) || !c.Less(got) {
		t.Errorf("(%v).Next() = %v, want 3.5", c, got)
	}
	if got := c.String(); got != "3.4" {
		t.Errorf("(%v).String() = %q, want %q", c, got, "3.4")
	}
	b := Bundle{Height: 3, TransactionIndex: 4}
	if b.Cursor() != c {
		t.Errorf("Bundle.Cursor() = %v, want %v", b.Cursor(), c)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Round{Kind: Fast}.String(), "fast"},
		{Round{Kind: MultiLeader, Number: 2}.String(), "multi-leader 2"},
		{Round{Kind: SingleLeader, Number: 3}.String(), "single-leader 3"},
		{Round{Kind: ValidatorRound, Number: 4}.String(), "validator 4"},
		{Round{Kind: 9}.String(), "?"},
		{Timeout.String(), "timeout"},
		{Validated.String(), "validated"},
		{Confirmed.String(), "confirmed"},
		{Kind(200).String(), "?"},
		{Simple.String(), "simple"},
		{Protected.String(), "protected"},
		{Tracked.String(), "tracked"},
		{Bouncing.String(), "bouncing"},
		{MessageKind(200).String(), "?"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSkippable(t *testing.T) {
	kinds := map[MessageKind]bool{Simple: true, Protected: false, Tracked: false, Bouncing: true}
	for k, want := range kinds {
		if got := k.Skippable(); got != want {
			t.Errorf("%v.Skippable() = %v, want %v", k, got, want)
		}
	}
	tests := []struct {
		kinds []MessageKind
		want  bool
	}{
		{nil, true},
		{[]MessageKind{Simple, Bouncing}, true},
		{[]MessageKind{Simple, Tracked}, false},
		{[]MessageKind{Protected}, false},
	}
	for _, tt := range tests {
		var b Bundle
		for _, k := range tt.kinds {
			b.Messages = append(b.Messages, PostedMessage{Kind: k})
		}
		if got := b.Skippable(); got != tt.want {
			t.Errorf("Bundle of %v: Skippable() = %v, want %v", tt.kinds, got, tt.want)
		}
	}
}

func TestOperationIsSystem(t *testing.T) {
	if !(Operation{}).IsSystem() || (Operation{App: hashOf(1)}).IsSystem() {
		t.Errorf("IsSystem() wrong: zero app = %v, app 0101… = %v", Operation{}.IsSystem(), Operation{App: hashOf(1)}.IsSystem())
	}
}

func TestBundles(t *testing.T) {
	e := sampleExecuted()
	h := e.Hash()
	o := e.Outcome.Messages
	bundle := func(tx uint32, posted ...PostedMessage) Bundle {
		return Bundle{Height: 5, Timestamp: e.Block.Timestamp, CertificateHash: h, TransactionIndex: tx, Messages: posted}
	}
	posted := func(tx, j int) PostedMessage {
		m := o[tx][j]
		return PostedMessage{Index: uint32(j), Signer: m.Signer, Kind: m.Kind, Message: m.Message}
	}
	tests := []struct {
		name      string
		recipient ids.ChainID
		want      []Bundle
	}{
		{"other", otherChain, []Bundle{bundle(1, posted(1, 0), posted(1, 2))}},
		{"third", thirdChain, []Bundle{bundle(1, posted(1, 1)), bundle(2, posted(2, 0))}},
		{"self", testChain, nil},
	}
	for _, tt := range tests {
		if got := e.Bundles(h, tt.recipient); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Bundles(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got, want := e.Recipients(), []ids.ChainID{otherChain, thirdChain}; !reflect.DeepEqual(got, want) {
		t.Errorf("Recipients() = %v, want %v", got, want)
	}
	if got := executedOf(sampleBlock()).Recipients(); got != nil {
		t.Errorf("Recipients() of a block sending nothing = %v, want nil", got)
	}
	third := e.Bundles(h, thirdChain)
	if third[0].Skippable() || !third[1].Skippable() {
		t.Errorf("Skippable() of protected, bouncing bundles = %v, %v, want false, true", third[0].Skippable(), third[1].Skippable())
	}
}

func TestHashesAreDomainSeparated(t *testing.T) {
	e := sampleExecuted()
	b := e.Block
	bundle := e.Bundles(e.Hash(), otherChain)[0]
	hashes := map[string]ids.Hash{
		"block":    b.Hash(),
		"executed": e.Hash(),
		"bundle":   bundle.Hash(),
		"empty":    executedOf(b).Hash(),
	}
	seen := map[ids.Hash]string{}
	for name, h := range hashes {
		if prev, dup := seen[h]; dup {
			t.Errorf("%s and %s share hash %v", name, prev, h.Short())
		}
		seen[h] = name
	}
	if b.Hash() != ids.Of("proposed-block", b) || e.Hash() != ids.Of("block", e) {
		t.Errorf("Block.Hash or Executed.Hash does not use its domain tag")
	}
}

// roundTrip encodes v, decodes the encoding into a fresh value and checks
// that the value and the bytes come back.
func roundTrip[T any, P interface {
	*T
	codec.Encoder
	codec.Decoder
}](t *testing.T, name string, v P) {
	t.Helper()
	enc := codec.Marshal(v)
	back := P(new(T))
	if err := codec.Unmarshal(enc, back); err != nil {
		t.Errorf("%s: Unmarshal(Marshal(v)) = %v", name, err)
		return
	}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("%s: Unmarshal(Marshal(v)) = %+v, want %+v", name, back, v)
	}
	if re := codec.Marshal(back); !bytes.Equal(re, enc) {
		t.Errorf("%s: re-encoding = %x, want %x", name, re, enc)
	}
	for _, n := range []int{0, len(enc) / 2, len(enc) - 1} {
		if err := codec.Unmarshal(enc[:n], P(new(T))); err == nil {
			t.Errorf("%s: Unmarshal(first %d of %d bytes) = nil, want an error", name, n, len(enc))
		}
	}
	if err := codec.Unmarshal(append(enc, 0), P(new(T))); !errors.Is(err, codec.ErrTrailing) {
		t.Errorf("%s: Unmarshal(encoding + 1 byte) = %v, want %v", name, err, codec.ErrTrailing)
	}
}

func TestRoundTrips(t *testing.T) {
	tc := newCommittee(t, equalWeights(4)...)
	e := sampleExecuted()
	cert := tc.certify(validated(e), ml0, 0, 1, 3)
	timeout := tc.certify(Value{Kind: Timeout, Timeout: TimeoutValue{Chain: testChain, Height: 5, Epoch: 1}}, ml1, 1, 2, 3)
	b := sampleBlock()
	bundle := e.Bundles(e.Hash(), otherChain)[0]
	ev := e.Outcome.Events[2][0]
	om := e.Outcome.Messages[1][0]
	roundTrip(t, "block", &b)
	roundTrip(t, "empty block", &Block{})
	roundTrip(t, "executed", e)
	roundTrip(t, "executed empty", &Executed{})
	roundTrip(t, "proposal", NewProposal(b, ml0, owner, nil))
	roundTrip(t, "proposal locked", NewProposal(b, ml1, owner, cert))
	roundTrip(t, "certificate", cert)
	roundTrip(t, "timeout certificate", timeout)
	roundTrip(t, "vote", ptr(NewVote(validated(e), ml0, tc.keys[0])))
	roundTrip(t, "timeout vote", ptr(NewVote(timeout.Value, ml1, tc.keys[0])))
	roundTrip(t, "bundle", &bundle)
	roundTrip(t, "incoming bundle", b.Transactions[0].Bundle)
	roundTrip(t, "transaction", &b.Transactions[1])
	roundTrip(t, "outgoing message", &om)
	roundTrip(t, "event", &ev)
	roundTrip(t, "round", &Round{Kind: ValidatorRound, Number: 77})
	roundTrip(t, "value", ptr(confirmed(e)))
}

func ptr[T any](v T) *T { return &v }

func TestDecodeRefuses(t *testing.T) {
	e := sampleExecuted()
	enc := codec.Marshal(e)
	// Offsets in the encoding of sampleExecuted.
	const (
		txCount   = 32 + 4 + 8 + 8 + 32 + 32 // after the block header
		firstTag  = txCount + 4
		kindOf1st = firstTag + 1 + 32 + 8 + 8 + 32 + 4 + 4 + 4 + 32 // first posted message's kind
	)
	tests := []struct {
		name string
		in   []byte
		v    codec.Decoder
		want error
	}{
		{"transaction tag 2", patch(enc, firstTag, 2), new(Executed), codec.ErrInvalid},
		{"message kind 4", patch(enc, kindOf1st, 4), new(Executed), codec.ErrInvalid},
		{"transaction count too large", patch(enc, txCount+3, 4), new(Executed), codec.ErrInvalid},
		{"outcome shape", codec.Marshal(&Executed{Block: e.Block}), new(Executed), codec.ErrInvalid},
		{"action 2", patch(codec.Marshal(e.Block.Transactions[0].Bundle), -1, 2), new(IncomingBundle), codec.ErrInvalid},
		{"round kind 4", []byte{4, 0, 0, 0, 0}, new(Round), codec.ErrInvalid},
		{"vote kind 3", patch(codec.Marshal(ptr(NewVote(validated(e), ml0, owner))), 0, 3), new(Vote), codec.ErrInvalid},
		{"value kind 3", []byte{3}, new(Value), codec.ErrInvalid},
		{"proposal locked bool 2", patch(codec.Marshal(NewProposal(e.Block, ml0, owner, nil)), -1, 2), new(Proposal), codec.ErrInvalid},
		{"hostile transaction count", append(make([]byte, txCount), 0x7f, 0xff, 0xff, 0xff, 0), new(Block), codec.ErrTooLarge},
		{"transaction count over input", append(make([]byte, txCount), 0, 1, 0, 0, 0), new(Block), codec.ErrTruncated},
	}
	for _, tt := range tests {
		if err := codec.Unmarshal(tt.in, tt.v); !errors.Is(err, tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// patch returns a copy of b with b[i] = v; a negative i counts from the end.
func patch(b []byte, i int, v byte) []byte {
	b = bytes.Clone(b)
	if i < 0 {
		i += len(b)
	}
	b[i] = v
	return b
}
