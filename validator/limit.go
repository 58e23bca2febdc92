package validator

import (
	"net"
	"sync"
)

// limiter is a token bucket per remote address: each address may make
// rate requests per second with bursts of burst. It reads the Server's
// injected clock, so tests control it. (Hand-written rather than
// golang.org/x/time/rate: the bucket is a few lines, needs no
// dependency, and takes our clock in microseconds.)
type limiter struct {
	rate  float64 // tokens per microsecond
	burst float64
	now   func() uint64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   uint64 // µs
}

// maxBuckets bounds the addresses remembered; past it, full buckets (of
// addresses idle long enough to refill) are forgotten.
const maxBuckets = 100_000

func newLimiter(perSecond float64, burst int, now func() uint64) *limiter {
	if perSecond <= 0 {
		return nil
	}
	return &limiter{rate: perSecond / 1e6, burst: float64(max(burst, 1)), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for addr and reports whether there was one. A nil
// limiter allows everything.
func (l *limiter) allow(addr string) bool {
	if l == nil {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweepLocked(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[addr] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *limiter) refill(b *bucket, now uint64) {
	if now > b.last {
		b.tokens = min(l.burst, b.tokens+float64(now-b.last)*l.rate)
	}
	b.last = max(b.last, now)
}

func (l *limiter) sweepLocked(now uint64) {
	for addr, b := range l.buckets {
		if l.refill(b, now); b.tokens >= l.burst {
			delete(l.buckets, addr)
		}
	}
}

// hostOf returns the host part of a remote address ("1.2.3.4:5678" →
// "1.2.3.4"): limits apply per host, not per connection.
func hostOf(remote string) string {
	if h, _, err := net.SplitHostPort(remote); err == nil {
		return h
	}
	return remote
}
