package validator

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
)

// Config configures a Server. New validates it once and fills in defaults.
type Config struct {
	// Store holds the chains of the local shards; the Server owns it and
	// closes it on Close. Nil for a proxy (no local shards).
	Store kv.Store
	// Key signs votes; required when Store is set.
	Key *keys.PrivateKey
	// VM runs user applications; nil means blocks that use applications
	// are refused (Main always gives one).
	VM app.VM
	// Genesis, if set, initialises Store (once; a store initialised with
	// another genesis is refused).
	Genesis *chain.Genesis

	// Shards is the number of shards of the validator (0 means 1). Chain
	// id c belongs to shard ShardOf(c, Shards).
	Shards int
	// Local lists the shards this process runs. Empty means all of them,
	// unless Store is nil (a proxy runs none).
	Local []int
	// Peers are the internal endpoints of the shard processes, by shard
	// index ("ws://10.0.0.2:9200"); needed for every shard not in Local.
	Peers []string
	// Internal marks the Server as a shard's internal endpoint: it accepts
	// the Update and Ack frames that only peer shards send, and applies no
	// rate limit. Keep such an endpoint on a private network.
	Internal bool

	// Now returns the time in microseconds; nil means the real clock.
	Now func() uint64
	// Logger receives the Server's logs; nil discards them.
	Logger *slog.Logger

	// MaxInFlight bounds the requests one connection may have in flight;
	// more get rpc.ErrTooManyFlight. 0 means 64 (4096 when Internal).
	MaxInFlight int
	// RateLimit is the requests per second one remote address may make,
	// with bursts of RateBurst (0: twice RateLimit); beyond it requests get
	// rpc.ErrRateLimited. 0 means no limit.
	RateLimit float64
	RateBurst int
	// CacheBytes bounds the read cache of chain state; 0 means 64 MiB,
	// negative disables it.
	CacheBytes int64
	// QueueSize bounds each shard's queue of cross-chain deliveries; a full
	// queue makes the producer wait. 0 means 1024.
	QueueSize int
	// Deliverers is the number of delivery goroutines per shard; 0 means 4.
	Deliverers int
	// RetryBase and RetryMax bound the capped exponential backoff of
	// cross-chain retries: 0 means 200 ms and 10 s.
	RetryBase, RetryMax time.Duration

	// manual leaves cross-chain delivery to the caller (no delivery or
	// retry goroutines), for tests that drive it step by step.
	manual bool
}

func (c *Config) setDefaults() {
	if c.Shards == 0 {
		c.Shards = 1
	}
	if c.Now == nil {
		c.Now = func() uint64 { return uint64(time.Now().UnixMicro()) }
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = 64
		if c.Internal {
			c.MaxInFlight = 4096
		}
	}
	if c.RateBurst == 0 {
		c.RateBurst = int(2 * c.RateLimit)
	}
	setDefault(&c.CacheBytes, 64<<20)
	setDefault(&c.QueueSize, 1024)
	setDefault(&c.Deliverers, 4)
	setDefault(&c.RetryBase, 200*time.Millisecond)
	setDefault(&c.RetryMax, 10*time.Second)
	if c.Store != nil && len(c.Local) == 0 {
		for i := range c.Shards {
			c.Local = append(c.Local, i)
		}
	}
}

func setDefault[T int | int64 | time.Duration](v *T, d T) {
	if *v == 0 {
		*v = d
	}
}

// validate reports the first problem with a defaulted config.
func (c *Config) validate() error {
	switch {
	case c.Shards < 1 || c.Shards > 1<<16:
		return fmt.Errorf("validator: config: %d shards (want 1 to 65536)", c.Shards)
	case len(c.Local) > 0 && c.Store == nil:
		return errors.New("validator: config: local shards need a store")
	case len(c.Local) > 0 && c.Key == nil:
		return errors.New("validator: config: local shards need a validator key")
	case c.RateLimit < 0 || c.RateBurst < 0 || c.MaxInFlight < 0:
		return errors.New("validator: config: negative limit")
	case c.RetryBase > c.RetryMax:
		return fmt.Errorf("validator: config: retry base %v above retry max %v", c.RetryBase, c.RetryMax)
	}
	for _, i := range c.Local {
		if i < 0 || i >= c.Shards {
			return fmt.Errorf("validator: config: local shard %d out of range [0, %d)", i, c.Shards)
		}
	}
	for i := range c.Shards {
		if !slices.Contains(c.Local, i) && (i >= len(c.Peers) || c.Peers[i] == "") {
			return fmt.Errorf("validator: config: shard %d is neither local nor has a peer address", i)
		}
	}
	return nil
}

// ShardOf returns the shard of chain id among n shards: the first 8 bytes
// of the id, big-endian, modulo n.
func ShardOf(id ids.ChainID, n int) int {
	return int(binary.BigEndian.Uint64(id[:8]) % uint64(n))
}
