package gqlapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
)

//go:embed schema.graphql
var schema string

// Schema returns the system schema in GraphQL's schema language.
func Schema() string { return schema }

// ErrRequest is returned (wrapped) by ExecApplication for a request that
// is malformed: the caller's fault, not the application's.
var ErrRequest = errors.New("gqlapi: malformed request")

// Config configures a Service.
type Config struct {
	// Wallet is the wallet served. From New on, use it only through the
	// Service (Exec, …, WithWallet): it is not safe for concurrent use.
	Wallet *wallet.Wallet
	// Logger gets warnings, such as failed synchronisations while
	// following; nil: discarded.
	Logger *slog.Logger
	// SyncTimeout bounds each synchronisation Follow starts after a
	// notification; zero: 30 seconds.
	SyncTimeout time.Duration
}

// Request is a GraphQL request, with the JSON names transports use.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// Service answers GraphQL about a wallet. Its methods are safe for
// concurrent use; see the package documentation for how they are ordered.
type Service struct {
	cfg    Config
	schema *graphql.Schema
	hub    *hub

	// ops serialises what talks to validators or proposes blocks.
	ops sync.Mutex
	// doc guards the wallet's document: queries share it; a change of
	// the document holds it alone, always after ops.
	doc sync.RWMutex
	// index serialises block lookups, which write the wallet's index.
	index sync.Mutex

	fmu       sync.Mutex
	following *following // the running Follow, if any
}

// New returns a Service over cfg.Wallet.
func New(cfg Config) (*Service, error) {
	if cfg.Wallet == nil {
		return nil, errors.New("gqlapi: no wallet")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SyncTimeout <= 0 {
		cfg.SyncTimeout = 30 * time.Second
	}
	s := &Service{cfg: cfg, hub: newHub()}
	sch, err := graphql.ParseSchema(schema, &root{s: s}, graphql.UseStringDescriptions(), graphql.UseFieldResolvers(),
		graphql.MaxDepth(10), graphql.MaxQueryLength(16<<10), graphql.MaxParallelism(4))
	if err != nil {
		return nil, fmt.Errorf("gqlapi: schema: %w", err)
	}
	s.schema = sch
	return s, nil
}

// read holds the document for a query; the result releases it.
func (s *Service) read() func() {
	s.doc.RLock()
	return s.doc.RUnlock
}

// operate holds the wallet for an operation; the result releases it.
func (s *Service) operate() func() {
	s.ops.Lock()
	return s.ops.Unlock
}

// exclusive holds the wallet alone; the result releases it.
func (s *Service) exclusive() func() {
	s.ops.Lock()
	s.doc.Lock()
	return func() {
		s.doc.Unlock()
		s.ops.Unlock()
	}
}

// WithWallet runs fn with the wallet to itself: no query or operation of
// the Service runs meanwhile. It returns fn's error.
func (s *Service) WithWallet(fn func(*wallet.Wallet) error) error {
	defer s.exclusive()()
	return fn(s.cfg.Wallet)
}

// Exec executes a query or mutation of the system schema. Errors are in
// the response.
func (s *Service) Exec(ctx context.Context, req Request) *graphql.Response {
	return s.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
}

// Subscribe starts a subscription of the system schema. Its responses
// arrive on the channel, which is closed when ctx ends; a subscription
// that cannot start answers with one error response and closes. The error
// is for a Service that offers no subscriptions (never, with this schema).
func (s *Service) Subscribe(ctx context.Context, req Request) (<-chan *graphql.Response, error) {
	in, err := s.schema.Subscribe(ctx, req.Query, req.OperationName, req.Variables)
	if err != nil {
		return nil, fmt.Errorf("gqlapi: %w", err)
	}
	out := make(chan *graphql.Response)
	go func() {
		defer close(out)
		for v := range in {
			r, ok := v.(*graphql.Response)
			if !ok {
				continue
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// ExecApplication answers request, a JSON GraphQL request ({"query",
// "variables", "operationName"}), with the service of application appID on
// chain chainID, executed in the local node. If the service schedules
// operations (a mutation), they become one block of the chain, signed with
// the wallet's key, and the answer is {"data": "BLOCK_HASH"}; otherwise it
// is the service's own JSON response. Malformed ids or a request that is
// not JSON give an error wrapping ErrRequest; other errors say why the
// query or the block failed.
func (s *Service) ExecApplication(ctx context.Context, chainID, appID string, request []byte) ([]byte, error) {
	id, err := ids.ParseHash(chainID)
	if err != nil {
		return nil, fmt.Errorf("%w: chain id: %w", ErrRequest, err)
	}
	a, err := ids.ParseHash(appID)
	if err != nil {
		return nil, fmt.Errorf("%w: application id: %w", ErrRequest, err)
	}
	if !json.Valid(request) {
		return nil, fmt.Errorf("%w: the request is not JSON", ErrRequest)
	}
	res, err := s.queryApp(ctx, id, a, request)
	if err != nil || len(res.Operations) == 0 {
		return responseOf(res, err)
	}
	cert, err := s.executeApp(ctx, id, a, res.Operations)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"data": cert.Hash().String()})
}

func responseOf(res *chain.QueryResult, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return res.Response, nil
}

func (s *Service) queryApp(ctx context.Context, id ids.ChainID, a ids.ApplicationID, request []byte) (*chain.QueryResult, error) {
	defer s.read()()
	res, err := s.cfg.Wallet.Query(ctx, id, a, request)
	if err != nil {
		return nil, fmt.Errorf("gqlapi: query application %s on %s: %w", a.Short(), id.Short(), err)
	}
	return res, nil
}

func (s *Service) executeApp(ctx context.Context, id ids.ChainID, a ids.ApplicationID, ops [][]byte) (*block.Certificate, error) {
	defer s.operate()()
	cert, err := s.cfg.Wallet.ExecuteApp(ctx, id, a, ops...)
	if err != nil {
		return nil, fmt.Errorf("gqlapi: execute operations of application %s on %s: %w", a.Short(), id.Short(), err)
	}
	s.announce(cert)
	return cert, nil
}

// announce tells subscribers about a block the Service made.
func (s *Service) announce(cert *block.Certificate) {
	if cert == nil {
		return
	}
	s.hub.publish(chain.Notification{Chain: cert.Value.Chain(), Kind: chain.NewBlock,
		Height: cert.Value.Height(), Hash: cert.Hash()})
}
