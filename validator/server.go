package validator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
)

// Server is a validator process: the shards it runs locally, connections
// to the shards it does not, and the network endpoints clients and peer
// shards use. See the package documentation.
type Server struct {
	cfg     Config
	store   kv.Store // cfg.Store behind the read cache; nil for a proxy
	cache   *cache   // nil if disabled
	shards  []*shard // by shard index; nil where the shard is remote
	peers   []*client.Remote
	hub     *hub
	limiter *limiter
	metrics *metrics
	log     *slog.Logger

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	loops  sync.WaitGroup // background goroutines

	mu      sync.Mutex
	closed  bool
	servers []*http.Server
	conns   map[*wsConn]struct{}
}

// New starts a Server: it initialises the store from the genesis if
// needed, resumes the cross-chain deliveries left pending in the store,
// and starts the shards' delivery goroutines. Serve then accepts
// connections. On error, cfg.Store is left open.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, hub: newHub(), metrics: newMetrics(), log: cfg.Logger,
		limiter: newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.Now), conns: map[*wsConn]struct{}{},
		shards: make([]*shard, cfg.Shards), peers: make([]*client.Remote, cfg.Shards)}
	if cfg.Internal {
		s.limiter = nil
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.openStore(); err != nil {
		s.cancel()
		return nil, err
	}
	if err := s.startShards(); err != nil {
		s.cancel()
		s.loops.Wait()
		return nil, err
	}
	return s, nil
}

// openStore puts the read cache in front of the store and applies the
// genesis.
func (s *Server) openStore() error {
	if s.cfg.Store == nil {
		return nil
	}
	s.store = s.cfg.Store
	if s.cfg.CacheBytes > 0 {
		s.cache = newCache(s.cfg.Store, s.cfg.CacheBytes)
		s.store = s.cache
	}
	if s.cfg.Genesis == nil {
		return nil
	}
	return initGenesis(s.ctx, s.store, s.cfg.Genesis)
}

// genesisKey holds the hash of the genesis a store was initialised with.
var genesisKey = []byte("v/genesis")

// ErrGenesisMismatch means a store was initialised with another genesis.
var ErrGenesisMismatch = errors.New("validator: store holds another network's genesis")

func initGenesis(ctx context.Context, store kv.Store, g *chain.Genesis) error {
	h := genesisHash(g)
	got, err := store.Get(ctx, genesisKey)
	switch {
	case err == nil && !bytes.Equal(got, h[:]):
		return fmt.Errorf("%w (stored %x, given %s)", ErrGenesisMismatch, got, h.Short())
	case err == nil:
		return nil
	case !errors.Is(err, kv.ErrNotFound):
		return fmt.Errorf("validator: read genesis hash: %w", err)
	}
	if err := g.Initialize(ctx, store); err != nil {
		return fmt.Errorf("validator: initialise genesis: %w", err)
	}
	var b kv.Batch
	b.Put(genesisKey, h[:])
	return store.Apply(ctx, &b)
}

// genesisHash identifies a genesis: its committee, chains and timestamp.
func genesisHash(g *chain.Genesis) ids.Hash {
	w := codec.NewWriter(256)
	g.Committee.Encode(w)
	w.Count(len(g.Chains))
	for _, c := range g.Chains {
		c.Ownership.Encode(w)
		c.Balance.Encode(w)
	}
	w.U64(g.Timestamp)
	return ids.Sum("genesis", w.Data())
}

func (s *Server) startShards() error {
	for _, i := range s.cfg.Local {
		sh := newShard(s, i)
		if err := sh.loadPending(s.ctx); err != nil {
			return fmt.Errorf("validator: shard %d: load pending deliveries: %w", i, err)
		}
		s.shards[i] = sh
	}
	for i := range s.cfg.Shards {
		if s.shards[i] != nil {
			continue
		}
		r, err := client.Dial(s.ctx, s.cfg.Peers[i], client.DialOptions{Lazy: true, MaxBackoff: time.Second, RedialAtOnce: true})
		if err != nil {
			return fmt.Errorf("validator: shard %d: %w", i, err)
		}
		s.peers[i] = r
	}
	for _, sh := range s.shards {
		if sh == nil || s.cfg.manual {
			continue
		}
		for range s.cfg.Deliverers {
			s.loops.Go(func() { sh.deliver(s.ctx) })
		}
		s.loops.Go(func() { sh.retryLoop(s.ctx) })
	}
	return nil
}

// route returns the local shard of chain id, or the connection to the
// process that runs it.
func (s *Server) route(id ids.ChainID) (*shard, *client.Remote) {
	i := ShardOf(id, s.cfg.Shards)
	return s.shards[i], s.peers[i]
}

func (s *Server) now() uint64 { return s.cfg.Now() }

// Handler returns the Server's network endpoints: WebSocket at /ws and
// one-shot HTTP POST at /rpc.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/rpc", s.servePost)
	return mux
}

// Serve accepts connections on ln until Close, serving Handler. It
// returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	return s.serve(ln, s.Handler())
}

// ServeMetrics serves the metrics on ln (at every path, conventionally
// /metrics) until Close.
func (s *Server) ServeMetrics(ln net.Listener) error {
	return s.serve(ln, s.MetricsHandler())
}

func (s *Server) serve(ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, BaseContext: func(net.Listener) context.Context { return s.ctx },
		ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.servers = append(s.servers, hs)
	s.mu.Unlock()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops the Server: it stops accepting connections, closes those
// open, stops the delivery goroutines (undelivered updates stay in the
// pending index for the next start), and closes the store.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	servers := s.servers
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	s.cancel()
	for _, hs := range servers {
		hs.Close()
	}
	for _, c := range conns {
		c.close()
	}
	for _, p := range s.peers {
		if p != nil {
			p.Close()
		}
	}
	s.loops.Wait()
	if s.store != nil {
		return s.store.Close()
	}
	return nil
}

// track registers an open connection; false if the Server is closed.
func (s *Server) track(c *wsConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.metrics.connections.Add(1)
	return true
}

func (s *Server) untrack(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		s.metrics.connections.Add(-1)
	}
}

func (s *Server) gauges() gauges {
	g := gauges{queueDepth: map[int]int{}}
	for _, sh := range s.shards {
		if sh != nil {
			g.queueDepth[sh.index] = len(sh.jobs)
			g.pendingOutboxes += sh.retry.len()
			r, e := sh.worker.Executions.Counts()
			g.replayed, g.executed = g.replayed+r, g.executed+e
		}
	}
	if s.cache != nil {
		g.cacheHits, g.cacheMisses = s.cache.hits.Load(), s.cache.misses.Load()
	}
	return g
}
