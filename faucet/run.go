package faucet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
)

// Config is what Run needs: where to listen, the network, the faucet's
// chain and key, and the claim Options (Amount is required).
type Config struct {
	// Listen is the HTTP address, "127.0.0.1:8080"; ignored if Listener
	// is set.
	Listen string
	// Listener, if set, is used instead of listening on Listen; Run
	// closes it.
	Listener net.Listener
	// Genesis is the network's genesis, parsed.
	Genesis *chain.Genesis
	// GenesisJSON is the genesis file as validators and wallets read it,
	// served verbatim as genesisConfig. It must describe Genesis.
	GenesisJSON []byte
	// Validators optionally replaces the addresses the genesis committee
	// lists, in the committee's order (all of them, or none).
	Validators []string
	// Dial connects to a validator; nil means the WebSocket transport
	// (client.Dial, lazily connected).
	Dial func(ctx context.Context, v committee.Validator) (client.Node, error)
	// Chain is the faucet chain: a root chain of Genesis owned by the key.
	Chain ids.ChainID
	// Seed is the faucet key's seed.
	Seed [keys.SeedSize]byte
	// Store holds the faucet chain's state and its pending block. Give a
	// persistent store (pebble): with the default, an in-memory store, a
	// block interrupted by a crash cannot be finished after the restart.
	Store kv.Store
	// Version is returned by `query { version }`; "" means BuildVersion().
	Version string
	Options
}

func (cfg *Config) validate() error {
	if err := cfg.Options.validate(); err != nil {
		return err
	}
	if cfg.Genesis == nil || cfg.Genesis.Committee == nil {
		return errors.New("faucet: config: no genesis")
	}
	if n, m := len(cfg.Validators), len(cfg.Genesis.Committee.Validators); n != 0 && n != m {
		return fmt.Errorf("faucet: config: %d validator addresses for a committee of %d", n, m)
	}
	for i := range cfg.Genesis.Chains {
		if cfg.Genesis.ChainID(i) == cfg.Chain {
			return nil
		}
	}
	return fmt.Errorf("faucet: config: chain %s is not a root chain of the genesis", cfg.Chain)
}

// Run serves the faucet until ctx ends, then shuts the server down,
// closes the Service and the validator connections, and returns nil. It
// returns an error if the configuration is wrong, the faucet chain cannot
// be read, or the server cannot listen. This is `myriad faucet`.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Listener == nil && cfg.Listen == "" {
		return errors.New("faucet: config: no listen address")
	}
	f, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.cfg.serve(ctx, f.Handler)
}

// Faucet is a started faucet without a server: its claim Service and the
// GraphQL handler over it. Run serves it over net/http; the Cloudflare
// Worker build (faucet/worker) serves it from a Durable Object.
type Faucet struct {
	// Service is the claim logic over the faucet chain's client.
	Service *Service
	// Handler is NewHandler over Service.
	Handler http.Handler
	cfg     Config
	nodes   []client.Node
}

// Start does what Run does before it listens: it checks cfg (Listen is
// not needed), connects to the validators (cfg.Dial), initialises the
// local store from the genesis, builds the faucet chain's client and
// starts the Service and its handler. Close stops them.
func Start(ctx context.Context, cfg Config) (*Faucet, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	nodes, err := cfg.dial(ctx)
	if err != nil {
		closeNodes(nodes)
		return nil, err
	}
	f := &Faucet{cfg: cfg, nodes: nodes}
	if err := f.start(ctx); err != nil {
		closeNodes(nodes)
		return nil, err
	}
	return f, nil
}

func (f *Faucet) start(ctx context.Context) error {
	cfg := &f.cfg
	if cfg.Store == nil {
		cfg.Store = kv.NewMemory()
	}
	if err := cfg.Genesis.Initialize(ctx, cfg.Store); err != nil {
		return fmt.Errorf("faucet: initialise the local store: %w", err)
	}
	now := cfg.Now
	c := &client.Client{Chain: cfg.Chain, Key: keys.NewPrivateKey(cfg.Seed), Local: &chain.Worker{Store: cfg.Store},
		Validators: f.nodes, Now: func() uint64 { return uint64(now().UnixMicro()) }}
	svc, err := New(ctx, c, cfg.Options)
	if err != nil {
		return err
	}
	h, err := NewHandler(HandlerConfig{Claimer: svc, GenesisJSON: cfg.GenesisJSON, Version: cfg.Version, Logger: cfg.Logger})
	if err != nil {
		svc.Close()
		return err
	}
	f.Service, f.Handler = svc, h
	return nil
}

// Close stops the Service (see Service.Close) and closes the validator
// connections. The Store stays open: it is the caller's.
func (f *Faucet) Close() error {
	err := f.Service.Close()
	closeNodes(f.nodes)
	return err
}

// dial returns a node for every validator of the genesis committee.
func (cfg *Config) dial(ctx context.Context) ([]client.Node, error) {
	dial := cfg.Dial
	if dial == nil {
		dial = func(ctx context.Context, v committee.Validator) (client.Node, error) {
			return client.Dial(ctx, v.Address, client.DialOptions{PublicKey: v.PublicKey, Lazy: true})
		}
	}
	var nodes []client.Node
	for i, v := range cfg.Genesis.Committee.Validators {
		if len(cfg.Validators) > 0 {
			v.Address = cfg.Validators[i]
		}
		n, err := dial(ctx, v)
		if err != nil {
			return nodes, fmt.Errorf("faucet: validator %s at %s: %w", v.PublicKey.Short(), v.Address, err)
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

func closeNodes(nodes []client.Node) {
	for _, n := range nodes {
		if c, ok := n.(io.Closer); ok {
			c.Close() //nolint:errcheck // shutting down
		}
	}
}

// serve runs the HTTP server until ctx ends.
func (cfg *Config) serve(ctx context.Context, h http.Handler) error {
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Listen); err != nil {
			return fmt.Errorf("faucet: %w", err)
		}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2*cfg.BlockTimeout + 30*time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	cfg.Logger.Info("faucet listening", "addr", ln.Addr().String(), "chain", cfg.Chain.Short(), "amount", cfg.Amount.String())
	select {
	case err := <-errc:
		return fmt.Errorf("faucet: serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		srv.Close() //nolint:errcheck // claims still waiting are cut off
	}
	<-errc
	return nil
}
