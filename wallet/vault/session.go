package vault

import (
	"crypto/hmac"
	"errors"
)

// SessionVersion is the first byte of a session token.
const SessionVersion = 1

// SessionSize is the size of a session token: the version, the vault's
// key check and the key.
const SessionSize = 1 + checkSize + keySize

// ErrSession: the session token is malformed, or it does not open this
// vault (the vault was sealed again under another password since).
var ErrSession = errors.New("vault: the session does not open this vault: unlock it with its password")

// Session returns a token that unlocks the vault again without its
// password (Resume), for a host that must survive losing its memory while
// the user's session lasts, such as a browser extension whose wallet is
// stopped and restarted. The token is the key PBKDF2 derived from the
// password (never the password), prefixed with a version byte and the
// vault's key check. It opens this vault until it is sealed under another
// password or salt (Reseal); the caller must keep it only in memory-backed
// storage and forget it when the session ends (docs/keys.md).
func (v *Vault) Session() ([]byte, error) {
	if v.Locked() {
		return nil, ErrLocked
	}
	t := make([]byte, 0, SessionSize)
	t = append(t, SessionVersion)
	t = append(t, v.sealed.KeyCheck...)
	return append(t, v.key...), nil
}

// Resume unlocks the vault with a token from Session: ErrSession if the
// token is malformed or is not this vault's, ErrTampered if the secrets do
// not authenticate. The token is not retained; the vault keeps its own
// copy of the key until Lock.
func (v *Vault) Resume(token []byte) error {
	if len(token) != SessionSize || token[0] != SessionVersion {
		return ErrSession
	}
	check, key := token[1:1+checkSize], token[1+checkSize:]
	if !hmac.Equal(check, v.sealed.KeyCheck) {
		return ErrSession
	}
	key = append([]byte(nil), key...)
	sec, err := v.unseal(key)
	if errors.Is(err, ErrWrongPassword) {
		clear(key)
		return ErrSession
	} else if err != nil {
		clear(key)
		return err
	}
	v.Lock()
	v.key, v.sec = key, sec
	return nil
}
