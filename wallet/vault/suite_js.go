//go:build js

package vault

import (
	"errors"
	"fmt"
	"sync"
	"syscall/js"
)

// platform is the suite vaults use in the browser: WebCrypto if the host
// has it (globalThis.crypto.subtle: browsers in secure contexts, Node 19
// and later), else the Go standard library. WebCrypto runs PBKDF2 natively,
// several times faster than Go compiled to Wasm.
var platform = sync.OnceValue(func() suite {
	if c := js.Global().Get("crypto"); c.Truthy() && c.Get("subtle").Truthy() {
		return webSuite{subtle: c.Get("subtle")}
	}
	return goSuite{}
})

// webSuite is the suite of WebCrypto's SubtleCrypto. Every call awaits a
// promise on a channel, so the calling goroutine blocks while the
// JavaScript event loop runs: never call it from inside a js.FuncOf
// callback, which would deadlock.
type webSuite struct{ subtle js.Value }

func (webSuite) name() string { return "webcrypto" }

func (w webSuite) deriveKey(password string, salt []byte, iterations int) ([]byte, error) {
	pw := []byte(password)
	defer clear(pw)
	raw := bytesToJS(pw)
	defer raw.Call("fill", 0)
	base, err := w.call("importKey", "raw", raw, "PBKDF2", false, []any{"deriveBits"})
	if err != nil {
		return nil, fmt.Errorf("vault: webcrypto: import password: %w", err)
	}
	params := map[string]any{"name": "PBKDF2", "hash": "SHA-256", "salt": bytesToJS(salt), "iterations": iterations}
	bits, err := w.call("deriveBits", params, base, keySize*8)
	if err != nil {
		return nil, fmt.Errorf("vault: webcrypto: pbkdf2: %w", err)
	}
	return takeBytes(bits), nil
}

func (w webSuite) seal(key, nonce, plaintext, aad []byte) ([]byte, error) {
	k, err := w.aesKey(key, nonce, "encrypt")
	if err != nil {
		return nil, err
	}
	p := bytesToJS(plaintext)
	defer p.Call("fill", 0)
	ct, err := w.call("encrypt", gcmParams(nonce, aad), k, p)
	if err != nil {
		return nil, fmt.Errorf("vault: webcrypto: aes-gcm encrypt: %w", err)
	}
	return takeBytes(ct), nil
}

func (w webSuite) open(key, nonce, ciphertext, aad []byte) ([]byte, error) {
	k, err := w.aesKey(key, nonce, "decrypt")
	if err != nil {
		return nil, err
	}
	p, err := w.call("decrypt", gcmParams(nonce, aad), k, bytesToJS(ciphertext))
	var je jsError
	if errors.As(err, &je) && je.name == "OperationError" {
		return nil, errAuth
	} else if err != nil {
		return nil, fmt.Errorf("vault: webcrypto: aes-gcm decrypt: %w", err)
	}
	return takeBytes(p), nil
}

// aesKey imports key as a non-extractable AES-GCM key for use.
func (w webSuite) aesKey(key, nonce []byte, use string) (js.Value, error) {
	if len(key) != keySize || len(nonce) != NonceSize {
		return js.Value{}, fmt.Errorf("vault: aes-gcm needs a %d-byte key and a %d-byte nonce", keySize, NonceSize)
	}
	raw := bytesToJS(key)
	defer raw.Call("fill", 0)
	k, err := w.call("importKey", "raw", raw, "AES-GCM", false, []any{use})
	if err != nil {
		return js.Value{}, fmt.Errorf("vault: webcrypto: import aes key: %w", err)
	}
	return k, nil
}

func gcmParams(nonce, aad []byte) map[string]any {
	return map[string]any{"name": "AES-GCM", "iv": bytesToJS(nonce), "additionalData": bytesToJS(aad), "tagLength": 128}
}

// call calls a SubtleCrypto method and awaits the promise it returns. A
// method that throws instead of rejecting is an error too, not a panic.
func (w webSuite) call(method string, args ...any) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s threw: %v", method, r)
		}
	}()
	return await(w.subtle.Call(method, args...))
}

// await blocks until promise p settles and returns its value, or the
// reason it was rejected as a jsError.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	arg := func(args []js.Value) js.Value {
		if len(args) == 0 {
			return js.Undefined()
		}
		return args[0]
	}
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg(args)}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: newJSError(arg(args))}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

// jsError is a rejected promise's reason: a DOMException's name
// ("OperationError" when AES-GCM's tag does not match) and message.
type jsError struct{ name, message string }

func (e jsError) Error() string { return e.name + ": " + e.message }

func newJSError(v js.Value) jsError {
	if v.Type() != js.TypeObject {
		return jsError{name: "Error", message: v.String()}
	}
	return jsError{name: v.Get("name").String(), message: v.Get("message").String()}
}

func bytesToJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// takeBytes copies an ArrayBuffer into Go memory and zeroes it.
func takeBytes(buf js.Value) []byte {
	u := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, u.Get("length").Int())
	js.CopyBytesToGo(b, u)
	u.Call("fill", 0)
	return b
}
