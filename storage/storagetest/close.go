package storagetest

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/core/kv"
)

func testClose(t *testing.T, s kv.Store) {
	put(t, s, "a", "1")
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v, want nil", err)
	}
	ctx := t.Context()
	_, err := s.Get(ctx, b("a"))
	checkClosed(t, "Get", err)
	_, err = s.Get(ctx, b("missing"))
	checkClosed(t, "Get(missing)", err)
	_, err = s.MultiGet(ctx, [][]byte{b("a")})
	checkClosed(t, "MultiGet", err)
	called := false
	err = s.Scan(ctx, nil, func(_, _ []byte) error { called = true; return nil })
	checkClosed(t, "Scan", err)
	if called {
		t.Error("Scan after Close called its callback")
	}
	var batch kv.Batch
	batch.Put(b("b"), b("2"))
	checkClosed(t, "Apply", s.Apply(ctx, &batch))
	// A second Close must not fail in any other way.
	if err := s.Close(); err != nil && !errors.Is(err, kv.ErrClosed) {
		t.Errorf("second Close() = %v, want nil or ErrClosed", err)
	}
}

func checkClosed(t *testing.T, op string, err error) {
	t.Helper()
	if !errors.Is(err, kv.ErrClosed) {
		t.Errorf("%s after Close = %v, want ErrClosed", op, err)
	}
}
