package faucet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"

	"github.com/graph-gophers/graphql-go"
)

// maxRequestBody bounds a GraphQL request's body; queries are short.
const maxRequestBody = 64 << 10

// HandlerConfig configures NewHandler. Claimer and GenesisJSON are
// required.
type HandlerConfig struct {
	// Claimer opens the chains: a *Service, or a stub forwarding to one.
	Claimer Claimer
	// GenesisJSON is returned, verbatim, by `query { genesisConfig }`: the
	// network's genesis file as the validators and wallets read it.
	GenesisJSON []byte
	// Version is returned by `query { version }`; "" means BuildVersion().
	Version string
	// Logger gets refused claims and their details; nil discards them.
	Logger *slog.Logger
}

// handler serves the GraphQL endpoint with CORS for every origin.
type handler struct {
	schema *graphql.Schema
	log    *slog.Logger
}

// NewHandler returns the faucet's HTTP handler: GraphQL requests (POST
// {"query", "operationName", "variables"} as JSON) at any path, the
// schema being Schema; CORS headers that allow every origin (the browser
// extension calls the faucet) and answers to OPTIONS preflights; a short
// text answer to GET, for health checks. The rate limit's key is the
// connection's address (AddressKey of r.RemoteAddr), never a header: put
// no proxy in front that hides it, or wrap the handler to set RemoteAddr.
func NewHandler(cfg HandlerConfig) (http.Handler, error) {
	if cfg.Claimer == nil {
		return nil, errors.New("faucet: handler needs a claimer")
	}
	if !json.Valid(cfg.GenesisJSON) {
		return nil, errors.New("faucet: the genesis is not valid JSON")
	}
	if cfg.Version == "" {
		cfg.Version = BuildVersion()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &root{claimer: cfg.Claimer, genesis: string(cfg.GenesisJSON), version: cfg.Version, log: cfg.Logger}
	s, err := graphql.ParseSchema(Schema, r, graphql.UseStringDescriptions(), graphql.MaxDepth(8),
		graphql.MaxQueryLength(8<<10), graphql.MaxParallelism(8))
	if err != nil {
		return nil, fmt.Errorf("faucet: schema: %w", err) // a bug: the schema is a constant
	}
	return &handler{schema: s, log: cfg.Logger}, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	allowCORS(w.Header(), r)
	switch r.Method {
	case http.MethodOptions:
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPost:
		h.serveGraphQL(w, r)
	case http.MethodGet, http.MethodHead:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, `Myriad faucet: POST GraphQL requests here, e.g. {"query": "{ version }"}`)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST, OPTIONS")
		http.Error(w, "faucet: method not allowed", http.StatusMethodNotAllowed)
	}
}

// allowCORS lets pages and extensions of any origin call the faucet. No
// credentials are involved: claims are public and rate-limited by address.
func allowCORS(hdr http.Header, r *http.Request) {
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	allowed := "Content-Type"
	if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
		allowed = asked
	}
	hdr.Set("Access-Control-Allow-Headers", allowed)
	hdr.Set("Access-Control-Max-Age", "86400")
}

// gqlRequest is a GraphQL request over HTTP.
type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// addrKey is the context key of the claimant's address.
type addrKey struct{}

func (h *handler) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	var req gqlRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{
			{"message": fmt.Sprintf("faucet: the body is not a GraphQL request in JSON: %v", err)}}})
		return
	}
	ctx := context.WithValue(r.Context(), addrKey{}, AddressKey(r.RemoteAddr))
	writeJSON(w, http.StatusOK, h.schema.Exec(ctx, req.Query, req.OperationName, req.Variables))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, status = []byte(`{"errors":[{"message":"faucet: internal error"}]}`), http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client has gone
}

// AddressKey returns the rate limit's key for a remote address
// ("host:port" or a bare host): the IP address, with IPv6 addresses cut
// to their /64 network, since one host commonly holds a whole /64. What
// does not parse as an IP is returned as it is.
func AddressKey(remote string) string {
	host := remote
	if h, _, err := net.SplitHostPort(remote); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// BuildVersion returns the version of the running binary's main module,
// or "devel" with the VCS revision when it was built from a checkout.
func BuildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}
