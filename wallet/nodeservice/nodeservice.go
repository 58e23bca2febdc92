// Package nodeservice is the HTTP and WebSocket transport of the wallet's
// GraphQL API (package gqlapi), as `myriad service` serves it: the system
// schema (docs/schema.graphql: chains, balances, inboxes, blocks,
// applications, transfers, opening and closing chains) at "/", each
// application's own GraphQL at "/chains/{chain}/applications/{app}" —
// answered by the application's service in the local node; a mutation
// there builds, signs and submits a block of the operations the service
// schedules, and answers the block's hash — and subscriptions to chain
// notifications over WebSocket (graphql-transport-ws) at "/ws". A GET of
// "/" shows a GraphiQL page. The browser wallet answers the same API
// in-process, without this package.
//
// The wallet signs with the user's keys, so browsers may call the service
// only from the origins in Config.AllowOrigins.
package nodeservice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"

	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// Config configures a Service.
type Config struct {
	// Wallet is the wallet served; from New on, only through the
	// Service (see gqlapi.Config).
	Wallet *wallet.Wallet
	// AllowOrigins lists the web origins whose pages may call the
	// service from a browser ("*" for any: only for development).
	AllowOrigins []string
	// Logger gets warnings; nil: discarded.
	Logger *slog.Logger
}

// Service serves a wallet's GraphQL API over HTTP and WebSocket. Requests
// are ordered as gqlapi.Service orders them.
type Service struct {
	cfg Config
	api *gqlapi.Service
}

const maxBody = 1 << 20

// New returns a Service over cfg.Wallet.
func New(cfg Config) (*Service, error) {
	api, err := gqlapi.New(gqlapi.Config{Wallet: cfg.Wallet, Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("nodeservice: %w", err)
	}
	return &Service{cfg: cfg, api: api}, nil
}

// API returns the transport-free API the endpoints answer with.
func (s *Service) API() *gqlapi.Service { return s.api }

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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client hung up
}

func gqlError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"errors": []map[string]string{{"message": fmt.Sprintf(format, args...)}}})
}

func (s *Service) serveSystem(w http.ResponseWriter, r *http.Request) {
	var req gqlapi.Request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: the body is not a GraphQL request in JSON: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, s.api.Exec(r.Context(), req))
}

// serveApp answers an application's GraphQL with its service; operations
// the service schedules go into a block, whose hash is the answer.
func (s *Service) serveApp(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&body); err != nil {
		gqlError(w, http.StatusBadRequest, "nodeservice: the body is not JSON: %v", err)
		return
	}
	res, err := s.api.ExecApplication(r.Context(), r.PathValue("chain"), r.PathValue("app"), body)
	switch {
	case errors.Is(err, gqlapi.ErrRequest):
		gqlError(w, http.StatusBadRequest, "%v", err)
	case err != nil:
		gqlError(w, http.StatusOK, "%v", err)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Write(res) //nolint:errcheck // the client hung up
	}
}

// Follow keeps the tracked chains in sync and passes the validators'
// notifications on to subscribers (gqlapi.Service.Follow). It returns when
// ctx ends.
func (s *Service) Follow(ctx context.Context) { s.api.Follow(ctx) }
