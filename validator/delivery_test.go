package validator

import (
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
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
