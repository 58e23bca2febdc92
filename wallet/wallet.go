package wallet

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet/vault"
)

// Errors of the wallet. Messages say what to do; callers branch with
// errors.Is.
var (
	ErrExists       = errors.New("wallet: a wallet already exists there")
	ErrNoWallet     = errors.New("wallet: no wallet there")
	ErrUnknownChain = errors.New("wallet: chain not tracked by this wallet")
	ErrNoKey        = errors.New("wallet: this wallet holds no key for the chain")
	ErrNoDefault    = errors.New("wallet: no default chain")
	ErrNotFound     = errors.New("wallet: chain not found on the validators")
	ErrUnreachable  = errors.New("wallet: no validator answered")

	// ErrLocked is returned (wrapped) by everything that needs a private
	// key while the keys of a format-version-2 wallet are locked: Key,
	// GenerateKey, AddKey and every operation that signs a block. It is
	// vault.ErrLocked.
	ErrLocked = vault.ErrLocked
	// ErrWrongPassword is returned (wrapped) by Unlock for a wrong
	// password. It is vault.ErrWrongPassword.
	ErrWrongPassword = vault.ErrWrongPassword
)

// Config says where a wallet keeps its file and its state and how it
// reaches the network. Store and Dialer are required.
type Config struct {
	// File holds the wallet document (keys, tracked chains, genesis).
	File File
	// Store holds the local node's chain states and pending blocks. The
	// caller owns it and closes it after the wallet.
	Store kv.Store
	// Dialer connects to validators.
	Dialer Dialer
	// Now returns the time in microseconds; nil: the system clock.
	Now func() uint64
	// Rand is the source of new keys; nil: crypto/rand.
	Rand io.Reader
	// Logger gets progress messages; nil: discarded.
	Logger *slog.Logger
	// Progress, if set, is told how long synchronisations advance (see
	// client.Client.Progress).
	Progress func(chain ids.ChainID, next, target uint64)
	// VM runs applications in the local node; nil: the wallet starts a
	// runtime (with its compiled-code cache in VMCacheDir, if set) the
	// first time an application runs, and closes it with the wallet.
	VM         app.VM
	VMCacheDir string
	// ReferenceVM makes the runtime the wallet starts run applications on
	// wazero, the reference engine (its interpreter in a browser), instead
	// of the fastest engine where the wallet runs (runtime.DefaultEngine:
	// the browser's own WebAssembly engine under GOOS=js).
	ReferenceVM bool
	// Vault says how a format-version-2 wallet seals its keys: the PBKDF2
	// iteration count of new seals, and (tests only) a lower minimum that
	// Open accepts. The zero value is the vault package's defaults.
	Vault vault.Options
}

func (c *Config) validate() error {
	if c.File == nil || c.Store == nil || c.Dialer == nil {
		return errors.New("wallet: config needs a File, a Store and a Dialer")
	}
	if c.Now == nil {
		c.Now = func() uint64 { return uint64(time.Now().UnixMicro()) }
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Wallet is a user's wallet: keys, tracked chains, and a local node that
// executes and stores those chains. Its methods are not safe for
// concurrent use.
type Wallet struct {
	cfg   Config
	doc   *Document
	vault *vault.Vault // format version 2; nil for version 1

	mu    sync.Mutex
	nodes map[keys.PublicKey]client.Node
	vm    *lazyVM
}

// Create makes a new wallet of format version 1 (keys in clear) for the
// network of genesis g, initialises the local store from g and writes the
// file. It fails with ErrExists if the file holds a wallet already.
// CreateVault makes a wallet whose keys are sealed with a password.
func Create(ctx context.Context, cfg Config, g *chain.Genesis, faucet string) (*Wallet, error) {
	if err := checkNew(&cfg, g); err != nil {
		return nil, err
	}
	doc := &Document{Version: Version, KeyFormat: KeyFormatPlain, Genesis: g, Faucet: faucet, Keys: []Key{}, Chains: []Chain{}}
	return create(ctx, cfg, doc, nil)
}

// checkNew checks cfg and g for a new wallet, and that the file holds no
// wallet yet.
func checkNew(cfg *Config, g *chain.Genesis) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	if _, err := cfg.File.Read(); err == nil {
		return ErrExists
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("wallet: %w", err)
	}
	if err := checkGenesis(g); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	return nil
}

// create initialises the store of a new wallet and writes its file.
func create(ctx context.Context, cfg Config, doc *Document, v *vault.Vault) (*Wallet, error) {
	w := &Wallet{cfg: cfg, doc: doc, vault: v, vm: &lazyVM{cacheDir: cfg.VMCacheDir, reference: cfg.ReferenceVM}}
	if err := w.initStore(ctx); err != nil {
		return nil, err
	}
	return w, w.Save()
}

// Open reads an existing wallet (ErrNoWallet if there is none) and makes
// sure its local store holds the genesis chains. A wallet of format
// version 2 opens locked: see Unlock.
func Open(ctx context.Context, cfg Config) (*Wallet, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	b, err := cfg.File.Read()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoWallet
	} else if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	doc, err := ParseDocument(b)
	if err != nil {
		return nil, err
	}
	w := &Wallet{cfg: cfg, doc: doc, vm: &lazyVM{cacheDir: cfg.VMCacheDir, reference: cfg.ReferenceVM}}
	if doc.Vault != nil {
		if w.vault, err = vault.Open(doc.Vault, cfg.Vault); err != nil {
			return nil, fmt.Errorf("wallet: %w", err)
		}
	}
	return w, w.initStore(ctx)
}

func (w *Wallet) initStore(ctx context.Context) error {
	if err := w.doc.Genesis.Initialize(ctx, w.cfg.Store); err != nil {
		return fmt.Errorf("wallet: initialise local state from genesis: %w", err)
	}
	return nil
}

// Save writes the wallet file.
func (w *Wallet) Save() error {
	b, err := w.doc.Marshal()
	if err != nil {
		return err
	}
	return w.cfg.File.Write(b)
}

// Close closes the connections to validators. It does not close the store.
func (w *Wallet) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	for _, n := range w.nodes {
		if c, ok := n.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	w.nodes = nil
	errs = append(errs, w.vm.close())
	return errors.Join(errs...)
}

// Document returns the wallet's document. The caller must not modify it.
func (w *Wallet) Document() *Document { return w.doc }

// Genesis returns the network's genesis.
func (w *Wallet) Genesis() *chain.Genesis { return w.doc.Genesis }

// Store returns the local store.
func (w *Wallet) Store() kv.Store { return w.cfg.Store }

// GenerateKey makes a new key, adds it to the wallet and saves the file.
// In a vault wallet the key is the next account's (vault.AccountPath),
// which needs the wallet unlocked (ErrLocked).
func (w *Wallet) GenerateKey() (Key, error) {
	if w.vault != nil {
		return w.deriveKey()
	}
	k, err := keys.Generate(w.cfg.Rand)
	if err != nil {
		return Key{}, fmt.Errorf("wallet: generate key: %w", err)
	}
	return w.AddKey(k)
}

// AddKey adds k to the wallet (once) and saves the file. In a vault
// wallet k is imported into the vault, which needs the wallet unlocked
// (ErrLocked); the recovery phrase does not restore it.
func (w *Wallet) AddKey(k *keys.PrivateKey) (Key, error) {
	if e := w.doc.key(k.Owner()); e != nil {
		return *e, nil
	}
	if w.vault != nil {
		return w.importKey(k)
	}
	e := NewKey(k)
	w.doc.Keys = append(w.doc.Keys, e)
	return e, w.Save()
}

// Key returns the private key of owner: ErrNoKey if the wallet has none,
// ErrLocked if it is sealed in a locked vault.
func (w *Wallet) Key(owner ids.Owner) (*keys.PrivateKey, error) {
	e := w.doc.key(owner)
	if e == nil {
		return nil, fmt.Errorf("%w: owner %s", ErrNoKey, owner.Short())
	}
	if w.vault != nil {
		return w.vaultKey(*e)
	}
	return e.PrivateKey()
}

// Chains returns the tracked chains.
func (w *Wallet) Chains() []Chain { return append([]Chain{}, w.doc.Chains...) }

// Chain returns the tracked chain id, or ErrUnknownChain.
func (w *Wallet) Chain(id ids.ChainID) (Chain, error) {
	c := w.doc.chain(id)
	if c == nil {
		return Chain{}, fmt.Errorf("%w: %s", ErrUnknownChain, id)
	}
	return *c, nil
}

// Default returns the default chain, or ErrNoDefault.
func (w *Wallet) Default() (ids.ChainID, error) {
	if w.doc.Default.IsZero() {
		return ids.ChainID{}, ErrNoDefault
	}
	return w.doc.Default, nil
}

// SetDefault makes a tracked chain the default and saves the file.
func (w *Wallet) SetDefault(id ids.ChainID) error {
	if w.doc.chain(id) == nil {
		return fmt.Errorf("%w: %s", ErrUnknownChain, id)
	}
	w.doc.Default = id
	return w.Save()
}

// Track adds c to the tracked chains, or updates its owner key if it is
// tracked already; the first chain with a key becomes the default. It
// saves the file.
func (w *Wallet) Track(c Chain) error {
	if c.Description.ID() != c.ID {
		return fmt.Errorf("wallet: track %s: description %s names another chain", c.ID.Short(), c.Description)
	}
	if !c.Owner.IsZero() && w.doc.key(c.Owner) == nil {
		return fmt.Errorf("%w: owner %s", ErrNoKey, c.Owner.Short())
	}
	if old := w.doc.chain(c.ID); old != nil {
		if !c.Owner.IsZero() {
			old.Owner = c.Owner
		}
	} else {
		w.doc.Chains = append(w.doc.Chains, c)
	}
	if w.doc.Default.IsZero() && !c.Owner.IsZero() {
		w.doc.Default = c.ID
	}
	return w.Save()
}

// Client returns a client of chain id over the local node and the
// validators of the current committee, signing with the wallet's key for
// the chain if it has one and is not locked (without a key the client
// can synchronise but not propose).
func (w *Wallet) Client(ctx context.Context, id ids.ChainID) (*client.Client, error) {
	nodes, err := w.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	c := &client.Client{Chain: id, Local: w.worker(), Validators: nodes, Now: w.cfg.Now}
	if p := w.cfg.Progress; p != nil {
		c.Progress = func(next, target uint64) { p(id, next, target) }
	}
	if tc := w.doc.chain(id); tc != nil && !tc.Owner.IsZero() && !w.Locked() {
		if c.Key, err = w.Key(tc.Owner); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// signer returns a client of a tracked chain the wallet holds a key for.
func (w *Wallet) signer(ctx context.Context, id ids.ChainID) (*client.Client, error) {
	tc := w.doc.chain(id)
	if tc == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownChain, id)
	}
	if tc.Owner.IsZero() {
		return nil, fmt.Errorf("%w: %s is followed, not owned", ErrNoKey, id.Short())
	}
	if w.Locked() {
		return nil, fmt.Errorf("wallet: sign on %s: %w", id.Short(), ErrLocked)
	}
	return w.Client(ctx, id)
}
