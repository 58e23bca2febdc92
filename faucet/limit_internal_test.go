package faucet

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/ids"
)

func TestLimiterForgetsFullBuckets(t *testing.T) {
	l := newLimiter(RateLimit{Every: time.Second, Burst: 3})
	t0 := time.Unix(1_700_000_000, 0)
	for i := range maxAddresses {
		if err := l.take(fmt.Sprint(i), t0); err != nil {
			t.Fatalf("take(%d) = %v", i, err)
		}
	}
	if err := l.take("0", t0.Add(500*time.Millisecond)); err != nil {
		t.Fatalf("second take of a bucket of 3 = %v", err)
	}
	// A second later every bucket but "0" is full again: a new address
	// makes the limiter forget them, and keep "0", which is not.
	if err := l.take("new", t0.Add(time.Second)); err != nil {
		t.Fatalf("take(new) = %v", err)
	}
	if len(l.tat) != 2 {
		t.Errorf("limiter tracks %d addresses after forgetting full buckets, want 2", len(l.tat))
	}
}

func TestLimiterBurst(t *testing.T) {
	l := newLimiter(RateLimit{Every: 10 * time.Second, Burst: 3})
	t0 := time.Unix(1_700_000_000, 0)
	for i := range 3 {
		if err := l.take("a", t0); err != nil {
			t.Fatalf("take %d of a burst of 3 = %v", i, err)
		}
	}
	var rl *RateLimitError
	if err := l.take("a", t0.Add(4*time.Second)); !errors.As(err, &rl) || rl.RetryAfter != 6*time.Second {
		t.Fatalf("fourth take 4 s later = %v, want a wait of 6s", err)
	}
	if err := l.take("a", t0.Add(10*time.Second)); err != nil {
		t.Fatalf("take 10 s later = %v", err)
	}
	off := newLimiter(RateLimit{Every: -1})
	for range 100 {
		if err := off.take("a", t0); err != nil {
			t.Fatalf("take with the limit off = %v", err)
		}
	}
}

func TestLedger(t *testing.T) {
	l := newLedger(1)
	o := ids.Owner{1}
	if err := l.reserve(o); err != nil {
		t.Fatal(err)
	}
	if err := l.reserve(o); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("second reserve while the first is in progress = %v, want ErrAlreadyClaimed", err)
	}
	d := ids.ChildDescription(ids.ChainID{9}, 3, 0)
	l.record(o, d) // a pending block finished late opened o's chain
	l.record(o, d)
	if err := l.recheck(o); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("recheck after o's chain was found = %v, want ErrAlreadyClaimed", err)
	}
	if len(l.pending) != 0 || len(l.chains[o]) != 1 {
		t.Errorf("ledger after recheck: pending %v, chains %v; want none pending and one chain", l.pending, l.chains[o])
	}
	unlimited := newLedger(-1)
	for range 3 {
		if err := unlimited.reserve(o); err != nil {
			t.Fatalf("reserve with no limit = %v", err)
		}
	}
}
