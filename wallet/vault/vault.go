package vault

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/myriadchain/myriad/core/keys"
	"golang.org/x/text/unicode/norm"
)

// Errors of vaults.
var (
	// ErrWrongPassword: the password does not open the vault (or the
	// header was altered, which changes the key just as a wrong password
	// does).
	ErrWrongPassword = errors.New("vault: wrong password")
	// ErrTampered: the password is right but the sealed secrets do not
	// authenticate: they were altered or damaged.
	ErrTampered = errors.New("vault: the sealed secrets were altered or damaged")
	// ErrLocked: the operation needs the secrets; Unlock first.
	ErrLocked = errors.New("vault: locked: unlock it with its password")
	// ErrNoKey: the vault holds no imported key of that public key.
	ErrNoKey = errors.New("vault: no imported key of that public key")
)

// Options say how a vault seals and what it accepts. The zero Options
// are the defaults.
type Options struct {
	// Iterations is the PBKDF2 iteration count of new seals; 0 means
	// DefaultIterations.
	Iterations int
	// Rand is the source of salts and nonces; nil means crypto/rand.
	Rand io.Reader
	// InsecureMinIterations, if positive, replaces MinIterations as the
	// least iteration count New, Reseal and Open accept. It is for tests,
	// which cannot spend 600,000 iterations on each vault; a program must
	// never set it, or a stored vault whose count an attacker lowered
	// would still open (and then be resealed with the low count).
	InsecureMinIterations int
}

func (o Options) checkIterations(n int) error {
	least := MinIterations
	if o.InsecureMinIterations > 0 {
		least = o.InsecureMinIterations
	}
	if n < least {
		return fmt.Errorf("%w: %d PBKDF2 iterations, the minimum is %d", ErrWeakKDF, n, least)
	}
	if n > MaxIterations {
		return fmt.Errorf("vault: %d PBKDF2 iterations, the maximum is %d", n, MaxIterations)
	}
	return nil
}

// Vault holds a user's secrets: the seed of a BIP-39 recovery phrase, the
// account indexes in use, and imported keys. Locked, it holds only the
// sealed form; unlocked, also the key that sealed it and the secrets,
// which Lock zeroes. A Vault is not safe for concurrent use.
type Vault struct {
	opts   Options
	sealed *Sealed
	key    []byte   // the AES key, while unlocked
	sec    *secrets // while unlocked
}

// New makes an unlocked vault of a recovery phrase and an optional BIP-39
// passphrase (see Seed), sealed with password. The phrase's errors are
// CheckMnemonic's.
func New(phrase, passphrase, password string, opts Options) (*Vault, error) {
	iterations := cmp.Or(opts.Iterations, DefaultIterations)
	if err := opts.checkIterations(iterations); err != nil {
		return nil, err
	}
	_, entropy, err := parseMnemonic(phrase)
	if err != nil {
		return nil, err
	}
	seed, err := Seed(phrase, passphrase)
	if err != nil {
		return nil, err
	}
	v := &Vault{opts: opts, sec: &secrets{Version: secretsVersion, Entropy: entropy, Seed: seed,
		Accounts: []uint32{}, Imported: [][]byte{}}}
	if err := v.rekey(password, iterations); err != nil {
		v.Lock()
		return nil, err
	}
	return v, nil
}

// Open returns the locked vault of s, after checking its form (Validate)
// and that its iteration count is one opts accept (ErrWeakKDF).
func Open(s *Sealed, opts Options) (*Vault, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := opts.checkIterations(s.Iterations); err != nil {
		return nil, err
	}
	return &Vault{opts: opts, sealed: s.clone()}, nil
}

// Sealed returns the vault's current sealed form, to store. Every change
// (NextAccount, Import, Reseal) seals again with a new nonce.
func (v *Vault) Sealed() *Sealed { return v.sealed.clone() }

// Locked reports whether the vault is locked.
func (v *Vault) Locked() bool { return v.sec == nil }

// Lock zeroes the key and the secrets held in memory. Strings (the
// password, a recovery phrase returned by Mnemonic) and keys already
// handed out are the caller's: Go cannot zero them.
func (v *Vault) Lock() {
	clear(v.key)
	v.key = nil
	if v.sec != nil {
		v.sec.wipe()
		v.sec = nil
	}
}

// Unlock derives the key from password and opens the secrets:
// ErrWrongPassword if the password is wrong, ErrTampered if the secrets
// do not authenticate. On an unlocked vault it checks the password again
// and leaves the vault unlocked either way.
func (v *Vault) Unlock(password string) error {
	key, err := platform().deriveKey(norm.NFKD.String(password), v.sealed.Salt, v.sealed.Iterations)
	if err != nil {
		return err
	}
	sec, err := v.unseal(key)
	if err != nil {
		clear(key)
		return err
	}
	v.Lock()
	v.key, v.sec = key, sec
	return nil
}

func (v *Vault) unseal(key []byte) (*secrets, error) {
	if !hmac.Equal(keyCheck(key), v.sealed.KeyCheck) {
		return nil, ErrWrongPassword
	}
	pt, err := platform().open(key, v.sealed.Nonce, v.sealed.Ciphertext, v.sealed.aad())
	if errors.Is(err, errAuth) {
		return nil, ErrTampered
	} else if err != nil {
		return nil, err
	}
	defer clear(pt)
	return decodeSecrets(pt)
}

// Reseal seals the unlocked vault again under password (the same or a
// new one) with a new salt and iterations PBKDF2 iterations (0: the
// Options' count, or DefaultIterations): to change the password, or to
// raise the count of a vault sealed when the default was lower.
func (v *Vault) Reseal(password string, iterations int) error {
	if v.Locked() {
		return ErrLocked
	}
	iterations = cmp.Or(iterations, v.opts.Iterations, DefaultIterations)
	if err := v.opts.checkIterations(iterations); err != nil {
		return err
	}
	return v.rekey(password, iterations)
}

// Mnemonic returns the vault's recovery phrase, for the user to write
// down again.
func (v *Vault) Mnemonic() (string, error) {
	if v.Locked() {
		return "", ErrLocked
	}
	return mnemonicOf(v.sec.Entropy)
}

// Derive returns the key at path p of the vault's seed.
func (v *Vault) Derive(p Path) (*keys.PrivateKey, error) {
	if v.Locked() {
		return nil, ErrLocked
	}
	return DeriveKey(v.sec.Seed, p)
}

// Accounts returns the account indexes in use, in the order they were
// added.
func (v *Vault) Accounts() ([]uint32, error) {
	if v.Locked() {
		return nil, ErrLocked
	}
	return slices.Clone(v.sec.Accounts), nil
}

// NextAccount records the next account index (one past the largest in
// use, 0 for the first) as in use, seals again, and returns it. Its key
// is Derive(AccountPath(account)).
func (v *Vault) NextAccount() (uint32, error) {
	if v.Locked() {
		return 0, ErrLocked
	}
	next, err := v.sec.nextAccount()
	if err != nil {
		return 0, err
	}
	v.sec.Accounts = append(v.sec.Accounts, next)
	if err := v.reseal(); err != nil {
		v.sec.Accounts = v.sec.Accounts[:len(v.sec.Accounts)-1]
		return 0, err
	}
	return next, nil
}

// Import adds a key that is not derived from the recovery phrase (once)
// and seals again. Such a key is lost with the vault: the phrase does not
// restore it.
func (v *Vault) Import(k *keys.PrivateKey) error {
	if v.Locked() {
		return ErrLocked
	}
	if _, err := v.Imported(k.Public()); err == nil {
		return nil
	}
	seed := k.Seed()
	v.sec.Imported = append(v.sec.Imported, seed[:])
	if err := v.reseal(); err != nil {
		v.sec.Imported = v.sec.Imported[:len(v.sec.Imported)-1]
		clear(seed[:])
		return err
	}
	return nil
}

// Imported returns the imported key of public key pub, or ErrNoKey.
func (v *Vault) Imported(pub keys.PublicKey) (*keys.PrivateKey, error) {
	if v.Locked() {
		return nil, ErrLocked
	}
	for _, s := range v.sec.Imported {
		k := keys.NewPrivateKey([keys.SeedSize]byte(s))
		if k.Public() == pub {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrNoKey, pub.Short())
}

// rekey seals the secrets under a key derived from password with a new
// salt and iterations, and keeps that key.
func (v *Vault) rekey(password string, iterations int) error {
	if password == "" {
		return errors.New("vault: empty password")
	}
	salt, err := v.random(SaltSize)
	if err != nil {
		return err
	}
	key, err := platform().deriveKey(norm.NFKD.String(password), salt, iterations)
	if err != nil {
		return err
	}
	s := &Sealed{Version: Version, KDF: KDF, Iterations: iterations, Salt: salt, Cipher: Cipher, KeyCheck: keyCheck(key)}
	if err := v.sealWith(s, key); err != nil {
		clear(key)
		return err
	}
	clear(v.key)
	v.key = key
	return nil
}

// reseal seals the changed secrets again under the same key and header.
func (v *Vault) reseal() error { return v.sealWith(v.sealed.clone(), v.key) }

// sealWith encrypts the secrets under key with header s and a new nonce,
// and makes s the vault's sealed form.
func (v *Vault) sealWith(s *Sealed, key []byte) error {
	nonce, err := v.random(NonceSize)
	if err != nil {
		return err
	}
	pt, err := v.sec.encode()
	if err != nil {
		return err
	}
	defer clear(pt)
	ct, err := platform().seal(key, nonce, pt, s.aad())
	if err != nil {
		return err
	}
	s.Nonce, s.Ciphertext = nonce, ct
	v.sealed = s
	return nil
}

func (v *Vault) random(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(orCrypto(v.opts.Rand), b); err != nil {
		return nil, fmt.Errorf("vault: read random bytes: %w", err)
	}
	return b, nil
}

// keyCheck is the value Sealed.KeyCheck holds for key.
func keyCheck(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("myriad-vault key check"))
	return m.Sum(nil)[:checkSize]
}
