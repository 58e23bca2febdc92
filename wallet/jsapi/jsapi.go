//go:build js && wasm

package jsapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"syscall/js"
	"time"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// Config wires the JavaScript face to the browser.
type Config struct {
	// OpenDocument opens the store that keeps the wallet document (the
	// vault and the tracked chains).
	OpenDocument func(ctx context.Context) (kv.Store, error)
	// OpenState opens the store of the local node's chain states.
	OpenState func(ctx context.Context) (kv.Store, error)
	// ResetState deletes the chain-state store (closed first), for
	// recovery from a damaged or too new database; the keys are in the
	// document store and survive.
	ResetState func(ctx context.Context) error
	// Dialer reaches validators (the WebSocket client).
	Dialer wallet.Dialer
	// Logger gets progress and warnings; nil: discarded.
	Logger *slog.Logger
	// ReferenceVM runs applications on wazero's interpreter instead of the
	// browser's own WebAssembly engine (wallet.Config.ReferenceVM).
	ReferenceVM bool
}

// documentKey is the key of the wallet document in its store.
var documentKey = []byte("wallet/document")

// API is the wallet core as JavaScript sees it. Calls that touch the
// wallet run one at a time.
type API struct {
	cfg Config

	mu       sync.Mutex
	doc      kv.Store
	state    kv.Store
	w        *wallet.Wallet
	ql       *gqlapi.Service
	follow   context.CancelFunc
	subs     map[int]context.CancelFunc
	nextSub  int
	approver js.Value
}

// New returns the API over cfg. Nothing is opened until the first call.
func New(cfg Config) *API {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &API{cfg: cfg, subs: map[int]context.CancelFunc{}}
}

// Object returns the JavaScript object whose methods are the API (see the
// package documentation).
func (a *API) Object() js.Value {
	o := js.Global().Get("Object").New()
	for name, m := range map[string]method{
		"status":              a.status,
		"create":              a.create,
		"unlock":              a.unlock,
		"lock":                a.lock,
		"session":             a.session,
		"resume":              a.resume,
		"claimChain":          a.claimChain,
		"graphql":             a.graphql,
		"subscribe":           a.subscribe,
		"unsubscribe":         a.unsubscribe,
		"reset":               a.reset,
		"setPolicy":           a.setPolicy,
		"signMessage":         a.signMessage,
		"setValidatorAddress": a.setValidatorAddress,
	} {
		o.Set(name, promise(m))
	}
	return o
}

// open opens the stores and, if there is a wallet, the wallet (locked).
// It must be called with a.mu held.
func (a *API) open(ctx context.Context) error {
	if a.doc == nil {
		s, err := a.cfg.OpenDocument(ctx)
		if err != nil {
			return storageError("open the wallet's database", err)
		}
		a.doc = s
	}
	if a.state == nil {
		s, err := a.cfg.OpenState(ctx)
		if err != nil {
			return storageError("open the chain-state database (reset() wipes it; the keys stay)", err)
		}
		a.state = s
	}
	if a.w != nil {
		return nil
	}
	w, err := wallet.Open(ctx, a.walletConfig())
	if errors.Is(err, wallet.ErrNoWallet) {
		return nil
	} else if err != nil {
		return err
	}
	return a.started(ctx, w)
}

func (a *API) walletConfig() wallet.Config {
	return wallet.Config{File: wallet.KVFile{Store: a.doc, Key: documentKey}, Store: a.state,
		Dialer: a.cfg.Dialer, Logger: a.cfg.Logger, ReferenceVM: a.cfg.ReferenceVM}
}

// started adopts w: its GraphQL service and its follower.
func (a *API) started(ctx context.Context, w *wallet.Wallet) error {
	ql, err := gqlapi.New(gqlapi.Config{Wallet: w, Logger: a.cfg.Logger})
	if err != nil {
		return err
	}
	a.w, a.ql = w, ql
	fctx := a.startFollowing(ql)
	go a.catchUp(fctx, ql)
	return nil
}

// startFollowing runs ql's Follow until a.follow is called, and returns
// its context. It must be called with a.mu held.
func (a *API) startFollowing(ql *gqlapi.Service) context.Context {
	fctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ql.Follow(fctx)
	}()
	a.follow = func() {
		cancel()
		<-done // one Follow at a time
	}
	return fctx
}

// catchUp brings the admin chain (the committees to trust) and the
// tracked chains up to date once, after the wallet opens: notifications
// tell only of what changes later. Failures are logged; the next
// notification or mutation tries again.
func (a *API) catchUp(ctx context.Context, ql *gqlapi.Service) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	ql.WithWallet(func(w *wallet.Wallet) error { //nolint:errcheck // logged below
		chains := []ids.ChainID{w.Genesis().Admin()}
		for _, c := range w.Chains() {
			chains = append(chains, c.ID)
		}
		for _, id := range chains {
			if _, err := w.Sync(ctx, id); err != nil {
				a.cfg.Logger.Warn("catch up", "chain", id.Short(), "err", err)
			}
		}
		return nil
	})
}

func storageError(what string, err error) error {
	return &Error{Code: CodeStorage, Message: fmt.Sprintf("%s: %v", what, err)}
}

// wallet returns the open wallet and its GraphQL service, or a NO_WALLET
// error. It must be called with a.mu held; the wallet itself is then used
// through the service (gqlapi orders the wallet's users).
func (a *API) wallet(ctx context.Context) (*wallet.Wallet, *gqlapi.Service, error) {
	if err := a.open(ctx); err != nil {
		return nil, nil, err
	}
	if a.w == nil {
		return nil, nil, &Error{Code: CodeNoWallet, Message: "no wallet: create or import one first"}
	}
	return a.w, a.ql, nil
}

// service is wallet for a call that then runs without a.mu.
func (a *API) service(ctx context.Context) (*wallet.Wallet, *gqlapi.Service, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.wallet(ctx)
}

// Status is the answer of status().
type Status struct {
	Exists       bool           `json:"exists"`
	Locked       bool           `json:"locked"`
	Faucet       string         `json:"faucet,omitempty"`
	DefaultChain string         `json:"defaultChain,omitempty"`
	Chains       []wallet.Chain `json:"chains"`
	// Validators are the network's genesis committee: where the wallet
	// reaches the validators (later epochs may change it).
	Validators []Validator `json:"validators"`
}

// Validator is one validator of Status.
type Validator struct {
	// Address is where the wallet reaches the validator: the user's
	// address (Custom) or the committee's (CommitteeAddress).
	Address          string `json:"address"`
	CommitteeAddress string `json:"committeeAddress"`
	Custom           bool   `json:"custom"`
	PublicKey        string `json:"publicKey"`
}

func (a *API) status(ctx context.Context, _ []js.Value) (any, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.open(ctx); err != nil {
		return nil, err
	}
	st := Status{Chains: []wallet.Chain{}, Validators: []Validator{}}
	if a.w == nil {
		return st, nil
	}
	d := a.w.Document()
	st.Exists, st.Locked, st.Faucet, st.Chains = true, a.w.Locked(), d.Faucet, a.w.Chains()
	if c := a.w.Genesis().Committee; c != nil {
		for _, v := range c.Validators {
			addr, custom := a.w.ValidatorAddress(v)
			st.Validators = append(st.Validators, Validator{Address: addr, CommitteeAddress: v.Address, Custom: custom,
				PublicKey: v.PublicKey.String()})
		}
	}
	if !d.Default.IsZero() {
		st.DefaultChain = d.Default.String()
	}
	return st, nil
}

// CreateRequest is the argument of create().
type CreateRequest struct {
	// Password seals the vault.
	Password string `json:"password"`
	// Mnemonic imports a wallet; empty: a new mnemonic is made.
	Mnemonic string `json:"mnemonic"`
	// Faucet gives the network's genesis (and later chains).
	Faucet string `json:"faucet"`
	// Genesis is the network's genesis file, if there is no faucet.
	Genesis json.RawMessage `json:"genesis"`
}

// CreateAnswer is the answer of create().
type CreateAnswer struct {
	// Mnemonic is the new recovery phrase, shown once so the user can
	// write it down (empty for an import).
	Mnemonic string `json:"mnemonic,omitempty"`
	// Chains are the chains an import found: those the faucet opened for
	// the phrase's accounts (wallet.Discover), now tracked. Empty for a
	// new wallet.
	Chains []wallet.Chain `json:"chains"`
	// Warning, for an import, says why its chains could not all be
	// looked for or followed; the wallet is imported either way.
	Warning string `json:"warning,omitempty"`
}

func (a *API) create(ctx context.Context, args []js.Value) (any, error) {
	var req CreateRequest
	if err := arg(args, 0, &req); err != nil {
		return nil, err
	}
	if req.Password == "" {
		return nil, badRequest("create: a password is required")
	}
	ql, mnemonic, err := a.createWallet(ctx, req)
	if err != nil {
		return nil, err
	}
	if req.Mnemonic == "" {
		return CreateAnswer{Mnemonic: mnemonic, Chains: []wallet.Chain{}}, nil
	}
	chains, warning := a.discover(ctx, ql, req.Faucet)
	return CreateAnswer{Chains: chains, Warning: warning}, nil
}

// createWallet makes the wallet, saved and unlocked, and starts it.
func (a *API) createWallet(ctx context.Context, req CreateRequest) (*gqlapi.Service, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.open(ctx); err != nil {
		return nil, "", err
	}
	if a.w != nil {
		return nil, "", &Error{Code: CodeExists, Message: "a wallet exists already"}
	}
	g, err := genesisOf(ctx, req)
	if err != nil {
		return nil, "", err
	}
	w, mnemonic, err := createVault(ctx, a.walletConfig(), g, req)
	if err != nil {
		return nil, "", err
	}
	if err := a.started(ctx, w); err != nil {
		return nil, "", err
	}
	return a.ql, mnemonic, nil
}

// discoverTimeout bounds the search for an imported wallet's chains.
const discoverTimeout = 2 * time.Minute

// discover looks for the chains of an imported wallet at its faucet and
// follows them (wallet.Discover). The wallet is saved already: a failure
// only becomes the answer's warning.
func (a *API) discover(ctx context.Context, ql *gqlapi.Service, faucet string) ([]wallet.Chain, string) {
	if faucet == "" {
		return []wallet.Chain{}, "no faucet: the chains of this recovery phrase were not looked for"
	}
	ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	var d wallet.Discovery
	err := ql.WithWallet(func(w *wallet.Wallet) error {
		var err error
		d, err = w.Discover(ctx, &wallet.GraphQLFaucet{URL: faucet})
		return err
	})
	chains := append([]wallet.Chain{}, d.Chains...)
	for _, c := range chains {
		ql.Watch(c.ID)
	}
	if err != nil {
		a.cfg.Logger.Warn("import: discover chains", "found", len(chains), "err", err)
		return chains, fmt.Sprintf("the wallet is imported, but its chains could not all be found (%v); "+
			"claiming a chain later picks up the chains the faucet opened for the account it uses", err)
	}
	return chains, ""
}

func genesisOf(ctx context.Context, req CreateRequest) (*chain.Genesis, error) {
	if len(req.Genesis) > 0 {
		raw := []byte(req.Genesis)
		var s string
		if json.Unmarshal(raw, &s) == nil {
			raw = []byte(s)
		}
		g, err := wallet.ParseGenesisFile(raw)
		if err != nil {
			return nil, badRequest("create: genesis: %v", err)
		}
		return g, nil
	}
	if req.Faucet == "" {
		return nil, badRequest("create: give a faucet URL or a genesis")
	}
	g, err := (&wallet.GraphQLFaucet{URL: req.Faucet}).Genesis(ctx)
	if err != nil {
		return nil, &Error{Code: CodeUnreachable, Message: fmt.Sprintf("get the genesis from the faucet: %v", err)}
	}
	return g, nil
}

func (a *API) unlock(ctx context.Context, args []js.Value) (any, error) {
	password, err := stringArg(args, 0)
	if err != nil {
		return nil, err
	}
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	return nil, ql.WithWallet(func(w *wallet.Wallet) error { return unlockWallet(w, password) })
}

// session() answers a token (base64) that resume(token) takes to unlock
// the wallet again without its password, after the page or document that
// held it was stopped: the host keeps it in memory-backed storage only.
func (a *API) session(ctx context.Context, _ []js.Value) (any, error) {
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	var token []byte
	err = ql.WithWallet(func(w *wallet.Wallet) error {
		token, err = w.Session()
		return err
	})
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString(token), nil
}

// resume(token) unlocks the wallet with a token from session().
func (a *API) resume(ctx context.Context, args []js.Value) (any, error) {
	s, err := stringArg(args, 0)
	if err != nil {
		return nil, err
	}
	token, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, &Error{Code: CodeSession, Message: "resume: the session token is not base64"}
	}
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	return nil, ql.WithWallet(func(w *wallet.Wallet) error { return w.Resume(token) })
}

func (a *API) lock(ctx context.Context, _ []js.Value) (any, error) {
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	return nil, ql.WithWallet(func(w *wallet.Wallet) error { w.Lock(); return nil })
}

func (a *API) claimChain(ctx context.Context, args []js.Value) (any, error) {
	var req struct {
		Faucet string `json:"faucet"`
	}
	if err := arg(args, 0, &req); err != nil {
		return nil, err
	}
	_, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var c wallet.Chain
	err = ql.WithWallet(func(w *wallet.Wallet) error {
		if req.Faucet == "" {
			req.Faucet = w.Document().Faucet
		}
		if req.Faucet == "" {
			return badRequest("claimChain: no faucet: give {faucet: URL}")
		}
		c, err = w.RequestChain(ctx, &wallet.GraphQLFaucet{URL: req.Faucet})
		return err
	})
	if err != nil {
		return nil, err
	}
	ql.Watch(c.ID)
	return c, nil
}

func (a *API) reset(ctx context.Context, _ []js.Value) (any, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.follow != nil {
		a.follow()
	}
	if a.w != nil {
		a.w.Close() //nolint:errcheck // connections only; the state store goes next
	}
	if a.state != nil {
		a.state.Close() //nolint:errcheck // about to be deleted
	}
	a.w, a.ql, a.state = nil, nil, nil
	if err := a.cfg.ResetState(ctx); err != nil {
		return nil, storageError("reset the chain-state database", err)
	}
	return nil, a.open(ctx)
}

// setValidatorAddress(publicKey, address) makes the wallet reach a
// validator of the committee at address ("": the committee's address
// again), and follows the validators anew.
func (a *API) setValidatorAddress(ctx context.Context, args []js.Value) (any, error) {
	key, err := stringArg(args, 0)
	if err != nil {
		return nil, err
	}
	address, err := stringArg(args, 1)
	if err != nil {
		return nil, err
	}
	var pub keys.PublicKey
	if err := pub.UnmarshalText([]byte(key)); err != nil {
		return nil, badRequest("setValidatorAddress: public key: %v", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ql, err := a.wallet(ctx)
	if err != nil {
		return nil, err
	}
	err = ql.WithWallet(func(w *wallet.Wallet) error { return w.SetValidatorAddress(ctx, pub, address) })
	if err != nil {
		return nil, badRequest("%v", err)
	}
	// The follower holds the old connection's subscription.
	a.follow()
	a.startFollowing(ql)
	return nil, nil
}
