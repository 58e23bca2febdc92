// Package nodeservice is the wallet's node service: GraphQL over HTTP for
// the chains a wallet tracks, as `myriad service` serves it. The system
// schema (chains, balances, applications, transfers) is at "/", each
// application's own GraphQL at "/chains/{chain}/applications/{app}" —
// answered by the application's service in the local node; a mutation
// there builds, signs and submits a block of the operations the service
// schedules, and answers the block's hash — and subscriptions to chain
// notifications over WebSocket (graphql-transport-ws) at "/ws". A GET of
// "/" shows a GraphiQL page.
//
// The wallet signs with the user's keys, so browsers may call the service
// only from the origins in Config.AllowOrigins.
package nodeservice

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
)

// Config configures a Service.
type Config struct {
	Wallet *wallet.Wallet
	// AllowOrigins lists the web origins whose pages may call the
	// service from a browser ("*" for any: only for development).
	AllowOrigins []string
	Logger       *slog.Logger
}

// Service serves a wallet over GraphQL. The wallet is used by one request
// at a time.
type Service struct {
	cfg    Config
	schema *graphql.Schema
	mu     sync.Mutex // the wallet is not safe for concurrent use
	hub    *hub
}

const maxBody = 1 << 20

// New returns a Service over cfg.Wallet.
func New(cfg Config) (*Service, error) {
	if cfg.Wallet == nil {
		return nil, fmt.Errorf("nodeservice: no wallet")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, hub: newHub()}
	schema, err := graphql.ParseSchema(Schema, &root{s: s}, graphql.UseFieldResolvers(), graphql.MaxDepth(10),
		graphql.MaxQueryLength(16<<10), graphql.MaxParallelism(4))
	if err != nil {
		return nil, fmt.Errorf("nodeservice: schema: %w", err)
	}
	s.schema = schema
	return s, nil
}

// Handler returns the HTTP endpoints.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveGraphiQL)
	mux.HandleFunc("POST /{$}", s.serveSystem)
	mux.HandleFunc("POST /chains/{chain}/applications/{app}", s.serveApp)
	mux.HandleFunc("GET /chains/{chain}/applications/{app}", s.serveGraphiQL)
	mux.HandleFunc("GET /ws", s.serveWS)
	return s.cors(mux)
}

func (s *Service) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && !sameOrigin(r, origin) {
			if !slices.Contains(s.cfg.AllowOrigins, origin) && !slices.Contains(s.cfg.AllowOrigins, "*") {
				http.Error(w, "nodeservice: origin "+origin+" is not allowed (see --allow-origin)", http.StatusForbidden)
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Vary", "Origin")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether the page calling is the service's own (its
// GraphiQL page), reached by a loopback address: a name such as
// evil.example resolved to 127.0.0.1 (DNS rebinding) is not the same
// origin, so its pages stay out.
func sameOrigin(r *http.Request, origin string) bool {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return false
	}
	return origin == "http://"+r.Host
}

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client hung up
}

func gqlError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"errors": []map[string]string{{"message": fmt.Sprintf(format, args...)}}})
}

func (s *Service) serveSystem(w http.ResponseWriter, r *http.Request) {
	var req gqlRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: the body is not a GraphQL request in JSON: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, s.schema.Exec(r.Context(), req.Query, req.OperationName, req.Variables))
}

// serveApp answers an application's GraphQL with its service; operations
// the service schedules go into a block, whose hash is the answer.
func (s *Service) serveApp(w http.ResponseWriter, r *http.Request) {
	id, err := ids.ParseHash(r.PathValue("chain"))
	if err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: chain id: %v", err)
		return
	}
	a, err := ids.ParseHash(r.PathValue("app"))
	if err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: application id: %v", err)
		return
	}
	body := make([]byte, 0, 1024)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: the body is not JSON: %v", err)
		return
	}
	body = append(body, raw...)
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.cfg.Wallet.Query(r.Context(), id, a, body)
	if err != nil {
		gqlError(w, http.StatusOK, "%v", err)
		return
	}
	if len(res.Operations) == 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Write(res.Response) //nolint:errcheck // the client hung up
		return
	}
	cert, err := s.cfg.Wallet.ExecuteApp(r.Context(), id, a, res.Operations...)
	if err != nil {
		gqlError(w, http.StatusOK, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": cert.Hash().String()})
}

// Follow keeps the tracked chains in sync: it subscribes to the
// validators' notifications, synchronises a chain when it changes, and
// passes the notifications on to subscribers. It returns when ctx ends.
func (s *Service) Follow(ctx context.Context) {
	s.mu.Lock()
	var chains []ids.ChainID
	for _, c := range s.cfg.Wallet.Chains() {
		chains = append(chains, c.ID)
	}
	nodes, err := s.cfg.Wallet.Nodes(ctx)
	s.mu.Unlock()
	if err != nil {
		s.cfg.Logger.Warn("no validators to follow", "err", err)
		return
	}
	merged := make(chan chain.Notification, 64)
	for _, n := range nodes {
		sub, ok := n.(interface {
			Subscribe(context.Context, []ids.ChainID) (<-chan chain.Notification, error)
		})
		if !ok {
			continue
		}
		ch, err := sub.Subscribe(ctx, chains)
		if err != nil {
			continue
		}
		go func() {
			for n := range ch {
				select {
				case merged <- n:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	seen := map[chain.Notification]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-merged:
			if seen[n] {
				continue // every validator sends the same news
			}
			if len(seen) > 4096 {
				clear(seen)
			}
			seen[n] = true
			s.mu.Lock()
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if _, err := s.cfg.Wallet.Sync(sctx, n.Chain); err != nil {
				s.cfg.Logger.Warn("sync after notification", "chain", n.Chain.Short(), "err", err)
			}
			cancel()
			s.mu.Unlock()
			s.hub.publish(n)
		}
	}
}
