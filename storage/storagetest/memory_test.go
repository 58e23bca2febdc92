package storagetest_test

import (
	"testing"

	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/storage/storagetest"
)

func TestMemory(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return kv.NewMemory() })
}
