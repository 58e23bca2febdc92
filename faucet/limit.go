package faucet

import (
	"fmt"
	"sync"
	"time"

	"github.com/myriadchain/myriad/core/ids"
)

// maxAddresses is how many addresses the limiter tracks before it forgets
// those whose bucket is full again (they are then as if never seen).
const maxAddresses = 10_000

// limiter is a token bucket per address, kept as one time per address
// (the generic cell rate algorithm): tat is when the bucket would be full
// again. A claim at now is allowed if tat-now ≤ (burst-1)·every, and then
// moves tat one interval later.
type limiter struct {
	every time.Duration // negative: no limit
	burst int

	mu  sync.Mutex
	tat map[string]time.Time
}

func newLimiter(r RateLimit) *limiter {
	return &limiter{every: r.Every, burst: r.Burst, tat: map[string]time.Time{}}
}

// take spends a token of addr at now, or returns a *RateLimitError.
func (l *limiter) take(addr string, now time.Time) error {
	if l.every < 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, ok := l.tat[addr]
	if !ok || tat.Before(now) {
		tat = now
	}
	tolerance := time.Duration(l.burst-1) * l.every
	if wait := tat.Sub(now) - tolerance; wait > 0 {
		return &RateLimitError{RetryAfter: wait}
	}
	if !ok && len(l.tat) >= maxAddresses {
		l.forget(now)
	}
	l.tat[addr] = tat.Add(l.every)
	return nil
}

// forget drops the addresses whose bucket is full again.
func (l *limiter) forget(now time.Time) {
	for a, t := range l.tat {
		if !t.After(now) {
			delete(l.tat, a)
		}
	}
}

// ledger counts the faucet's chains per owner: those confirmed (their
// descriptions, oldest first), and the claims accepted but not yet
// answered (pending), so that concurrent claims of one owner cannot pass
// the limit together.
type ledger struct {
	limit int // negative: no limit

	mu      sync.Mutex
	chains  map[ids.Owner][]ids.Description
	pending map[ids.Owner]int
}

func newLedger(limit int) *ledger {
	return &ledger{limit: limit, chains: map[ids.Owner][]ids.Description{}, pending: map[ids.Owner]int{}}
}

// reserve counts a new claim of owner, or refuses it if owner has reached
// the limit.
func (l *ledger) reserve(owner ids.Owner) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit >= 0 && len(l.chains[owner])+l.pending[owner] >= l.limit {
		return l.refusal(owner)
	}
	l.pending[owner]++
	return nil
}

// recheck refuses (and releases) a reserved claim if chains confirmed since
// it was reserved put its owner over the limit.
func (l *ledger) recheck(owner ids.Owner) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit < 0 || len(l.chains[owner])+l.pending[owner] <= l.limit {
		return nil
	}
	l.dec(owner)
	return l.refusal(owner)
}

func (l *ledger) refusal(owner ids.Owner) error {
	if cs := l.chains[owner]; len(cs) > 0 {
		return fmt.Errorf("%w: owner %s already has chain %s", ErrAlreadyClaimed, owner, cs[len(cs)-1].ID())
	}
	return fmt.Errorf("%w: owner %s has a claim in progress", ErrAlreadyClaimed, owner)
}

// release forgets a reserved claim that failed.
func (l *ledger) release(owner ids.Owner) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dec(owner)
}

func (l *ledger) dec(owner ids.Owner) {
	if l.pending[owner]--; l.pending[owner] <= 0 {
		delete(l.pending, owner)
	}
}

// confirm turns a reserved claim into the chain it opened.
func (l *ledger) confirm(owner ids.Owner, d ids.Description) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dec(owner)
	l.chains[owner] = append(l.chains[owner], d)
}

// owned returns the chains confirmed for owner, oldest first (a copy).
func (l *ledger) owned(owner ids.Owner) []ids.Description {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ids.Description{}, l.chains[owner]...)
}

// record counts a chain opened for owner outside a reserved claim: found in
// the chain's history, or confirmed late by a block finished after a failure.
func (l *ledger) record(owner ids.Owner, d ids.Description) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.chains[owner] {
		if c == d {
			return
		}
	}
	l.chains[owner] = append(l.chains[owner], d)
}
