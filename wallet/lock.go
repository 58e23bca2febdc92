package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/wallet/vault"
)

// errNoVault is returned by the password methods of a format-version-1
// wallet.
var errNoVault = errors.New("wallet: this wallet's keys are not sealed with a password (format version 1)")

// VaultSetup is what CreateVault needs beyond a Config.
type VaultSetup struct {
	// Genesis is the network the wallet belongs to.
	Genesis *chain.Genesis
	// Faucet is the faucet the wallet is made from, if any.
	Faucet string
	// Mnemonic is a BIP-39 recovery phrase to restore; empty makes a new
	// 24-word one, which Wallet.Mnemonic returns for the user to write
	// down. A restored wallet's GenerateKey gives the keys of accounts 0,
	// 1, ... again, in the order the first wallet made them.
	Mnemonic string
	// Passphrase is an optional BIP-39 passphrase ("" for none). It is
	// not stored: restoring needs it again.
	Passphrase string
	// Password seals the vault; Unlock needs it.
	Password string
}

// CreateVault makes a new wallet of format version 2, whose keys are
// sealed in a vault with s.Password (PBKDF2 with cfg.Vault's iteration
// count), for the network of s.Genesis; it initialises the local store and
// writes the file (ErrExists if the file holds a wallet already). The
// wallet is unlocked and holds no key yet: GenerateKey derives them.
func CreateVault(ctx context.Context, cfg Config, s VaultSetup) (*Wallet, error) {
	if err := checkNew(&cfg, s.Genesis); err != nil {
		return nil, err
	}
	phrase := s.Mnemonic
	if phrase == "" {
		var err error
		if phrase, err = vault.NewMnemonic(cfg.Rand, 0); err != nil {
			return nil, fmt.Errorf("wallet: %w", err)
		}
	}
	v, err := vault.New(phrase, s.Passphrase, s.Password, cfg.Vault)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	doc := &Document{Version: VersionVault, KeyFormat: KeyFormatVault, Genesis: s.Genesis, Faucet: s.Faucet,
		Vault: v.Sealed(), Keys: []Key{}, Chains: []Chain{}}
	w, err := create(ctx, cfg, doc, v)
	if err != nil {
		v.Lock()
	}
	return w, err
}

// Locked reports whether the wallet's keys are locked. A wallet of format
// version 1 is never locked.
func (w *Wallet) Locked() bool { return w.vault != nil && w.vault.Locked() }

// Lock locks the keys of a vault wallet and zeroes the secrets it held in
// memory. Clients made while it was unlocked keep their key.
func (w *Wallet) Lock() {
	if w.vault != nil {
		w.vault.Lock()
	}
}

// Unlock unlocks the keys of a vault wallet with its password
// (ErrWrongPassword if it is wrong) and checks that the vault holds every
// key the document lists. It takes as long as PBKDF2 at the vault's
// iteration count: a few tenths of a second.
func (w *Wallet) Unlock(password string) error {
	if w.vault == nil {
		return errNoVault
	}
	if err := w.vault.Unlock(password); err != nil {
		return fmt.Errorf("wallet: unlock: %w", err)
	}
	return w.checkKeys()
}

// checkKeys checks, just after unlocking, that the vault gives every key
// the document lists; if not it locks the vault again.
func (w *Wallet) checkKeys() error {
	for _, e := range w.doc.Keys {
		if _, err := w.vaultKey(e); err != nil {
			w.vault.Lock()
			return err
		}
	}
	return nil
}

// Mnemonic returns the recovery phrase of an unlocked vault wallet, for
// the user to write down.
func (w *Wallet) Mnemonic() (string, error) {
	if w.vault == nil {
		return "", errNoVault
	}
	m, err := w.vault.Mnemonic()
	if err != nil {
		return "", fmt.Errorf("wallet: %w", err)
	}
	return m, nil
}

// ChangePassword seals the keys of an unlocked vault wallet under a new
// password, with a new salt and Config.Vault's iteration count (which
// raises the count of a wallet sealed when the default was lower), and
// saves the file.
func (w *Wallet) ChangePassword(password string) error {
	if w.vault == nil {
		return errNoVault
	}
	if err := w.vault.Reseal(password, 0); err != nil {
		return fmt.Errorf("wallet: change password: %w", err)
	}
	w.doc.Vault = w.vault.Sealed()
	return w.Save()
}

// vaultKey returns the private key of a vault wallet's key e, derived
// from its path or imported, and checks it against e's public key.
func (w *Wallet) vaultKey(e Key) (*keys.PrivateKey, error) {
	p, err := e.path()
	if err != nil {
		return nil, err
	}
	var k *keys.PrivateKey
	if p == nil {
		k, err = w.vault.Imported(e.PublicKey)
	} else {
		k, err = w.vault.Derive(p)
	}
	if err != nil {
		return nil, fmt.Errorf("wallet: key %s: %w", e.Owner.Short(), err)
	}
	if k.Public() != e.PublicKey {
		return nil, fmt.Errorf("%w: key %s: the vault gives another public key at %s", ErrFormat, e.Owner.Short(), e.Path)
	}
	return k, nil
}

// deriveKey adds the key of the vault's next account and saves the file.
func (w *Wallet) deriveKey() (Key, error) {
	account, err := w.vault.NextAccount()
	if err != nil {
		return Key{}, fmt.Errorf("wallet: new key: %w", err)
	}
	p, err := vault.AccountPath(account)
	if err != nil {
		return Key{}, fmt.Errorf("wallet: new key: %w", err)
	}
	k, err := w.vault.Derive(p)
	if err != nil {
		return Key{}, fmt.Errorf("wallet: new key: %w", err)
	}
	e := Key{Owner: k.Owner(), PublicKey: k.Public(), Path: p.String()}
	return e, w.addSealed(e)
}

// importKey seals k in the vault and saves the file.
func (w *Wallet) importKey(k *keys.PrivateKey) (Key, error) {
	if err := w.vault.Import(k); err != nil {
		return Key{}, fmt.Errorf("wallet: add key: %w", err)
	}
	e := Key{Owner: k.Owner(), PublicKey: k.Public()}
	return e, w.addSealed(e)
}

// addSealed lists e (once) with the vault's new sealed form and saves.
func (w *Wallet) addSealed(e Key) error {
	w.doc.Vault = w.vault.Sealed()
	if w.doc.key(e.Owner) == nil {
		w.doc.Keys = append(w.doc.Keys, e)
	}
	return w.Save()
}

// ErrSession is returned (wrapped) by Resume for a session token that does
// not open the wallet's vault. It is vault.ErrSession.
var ErrSession = vault.ErrSession

// Session returns a token that unlocks the wallet again without its
// password (Resume) until the vault is sealed under another password: the
// key the password derived, never the password. A host keeps it only in
// memory-backed storage and forgets it on Lock (docs/keys.md, "How does
// an unlocked session survive a restart?").
func (w *Wallet) Session() ([]byte, error) {
	if w.vault == nil {
		return nil, errNoVault
	}
	t, err := w.vault.Session()
	if err != nil {
		return nil, fmt.Errorf("wallet: session: %w", err)
	}
	return t, nil
}

// Resume unlocks the wallet with a token from Session (ErrSession if it
// does not open this vault) and checks the listed keys as Unlock does.
func (w *Wallet) Resume(token []byte) error {
	if w.vault == nil {
		return errNoVault
	}
	if err := w.vault.Resume(token); err != nil {
		return fmt.Errorf("wallet: resume: %w", err)
	}
	return w.checkKeys()
}
