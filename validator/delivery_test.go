package validator

import (
	"fmt"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

func TestSplitUpdate(t *testing.T) {
	bundle := func(h uint64, tx uint32) block.Bundle {
		return block.Bundle{Height: h, TransactionIndex: tx, Messages: []block.PostedMessage{{Message: block.Message{Bytes: make([]byte, 100)}}}}
	}
	u := &chain.Update{Bundles: []block.Bundle{bundle(1, 0), bundle(1, 1), bundle(2, 0), bundle(3, 0), bundle(3, 1), bundle(3, 2)}}
	one := len(codec.Marshal(u.Bundles[0]))
	for _, tc := range []struct {
		max  int
		want string
	}{
		{1 << 20, "[1 1 2 3 3 3]"},
		{3 * one, "[1 1 2] [3 3 3]"},
		{2 * one, "[1 1] [2] [3 3 3]"}, // block 3 alone is over the limit: sent whole
		{1, "[1 1] [2] [3 3 3]"},
	} {
		var got string
		n := 0
		for i, part := range splitUpdate(u, tc.max) {
			if i > 0 {
				got += " "
			}
			hs := []uint64{}
			for _, b := range part.Bundles {
				hs = append(hs, b.Height)
			}
			got += fmt.Sprint(hs)
			n += len(part.Bundles)
		}
		if got != tc.want || n != len(u.Bundles) {
			t.Errorf("splitUpdate(max %d) = %s, want %s", tc.max, got, tc.want)
		}
	}
}

func TestRetryPostpone(t *testing.T) {
	var r retrySet
	r.m = map[ids.ChainID]*retryState{}
	a, b := ids.ChainID{1}, ids.ChainID{2}
	r.add(a, 0)
	r.postpone(a, time.Hour)
	r.postpone(b, time.Hour) // not scheduled: stays so
	if due := r.due(time.Now().Add(time.Minute), time.Millisecond, time.Second); len(due) != 0 {
		t.Errorf("due after postpone = %v, want none", due)
	}
	if r.has(b) {
		t.Error("postpone scheduled a chain that had no retry")
	}
	if due := r.due(time.Now().Add(2*time.Hour), time.Millisecond, time.Second); len(due) != 1 || due[0] != a {
		t.Errorf("due an hour later = %v, want [%s]", due, a.Short())
	}
}
