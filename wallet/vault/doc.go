// Package vault keeps a wallet's secrets: a BIP-39 recovery phrase, the
// ed25519 keys derived from it (SLIP-0010), and imported keys, sealed with
// a password. It is the same code in the CLI and in the browser (js/wasm),
// where the password-based encryption runs in WebCrypto.
//
//	phrase, err := vault.NewMnemonic(nil, 0)              // 24 words; show them to the user
//	v, err := vault.New(phrase, "", password, vault.Options{})
//	account, err := v.NextAccount()                       // 0, then 1, ...
//	path, err := vault.AccountPath(account)               // m/44'/19801'/0'/0'/0'
//	key, err := v.Derive(path)                            // a *keys.PrivateKey
//	blob, err := v.Sealed().Marshal()                     // store this
//	v.Lock()                                              // zeroes the secrets in memory
//
//	s, err := vault.ParseSealed(blob)
//	v, err := vault.Open(s, vault.Options{})              // locked
//	err = v.Unlock(password)                              // ErrWrongPassword, ErrTampered
//
// # Keys
//
// A recovery phrase (12 to 24 words of the BIP-39 English list; checked by
// CheckMnemonic, with errors ErrWordCount, ErrUnknownWord and ErrChecksum)
// and an optional BIP-39 passphrase give a 64-byte seed (Seed). Keys are
// derived from the seed as SLIP-0010 says for ed25519, hardened steps only
// (ErrNotHardened otherwise), along Myriad's path
//
//	m/44'/19801'/account'/0'/0'
//
// 44' is BIP-44's purpose; 19801' (0x4D59, "MY" in ASCII) is Myriad's coin
// type, not registered in SLIP-0044; account' counts the user's keys from
// 0; the two last steps are BIP-44's change and index, fixed at 0' so the
// path has the five levels wallets expect. The 32-byte key SLIP-0010 gives
// is the ed25519 seed of keys.NewPrivateKey, whose public key names the
// ids.Owner. docs/keys.md says why.
//
// # Sealing
//
// The stored form is Sealed, in JSON: a header (format Version,
// PBKDF2-HMAC-SHA256 with its iteration count and a random 16-byte salt,
// AES-256-GCM), a random 12-byte nonce, a key check and the ciphertext.
// The key is PBKDF2 of the password (Unicode NFKD) and the salt; the
// header is GCM's additional data, so editing it (lowering the iteration
// count, say) makes Unlock fail. Open refuses fewer than MinIterations
// (600,000) unless Options.InsecureMinIterations, which only tests set,
// says otherwise; Reseal changes the password and can raise the count.
//
// The sealed plaintext is a versioned JSON object: the BIP-39 entropy (to
// show the phrase again), the seed (so the passphrase need not be kept),
// the account indexes in use, and the seeds of imported keys.
//
// # The browser
//
// Under GOOS=js, PBKDF2 and AES-GCM go through globalThis.crypto.subtle,
// five to eight times faster than Go compiled to Wasm, and give the same
// bytes (the tests check both against one vector, and open a vault the
// native build sealed). Each call awaits a promise, blocking its
// goroutine: call New, Unlock, Reseal, NextAccount and Import from a
// goroutine, never directly inside a js.FuncOf callback, where waiting
// would deadlock.
package vault
