package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
)

// Protocol types an application meets, re-exported so that an app needs to
// import only the SDK.
type (
	// Context is what the running call knows about itself.
	Context = app.Context
	// ChainID identifies a chain.
	ChainID = ids.ChainID
	// Owner identifies an account owner (the hash of a public key).
	Owner = ids.Owner
	// ApplicationID identifies an application.
	ApplicationID = ids.ApplicationID
	// Account is a chain's account (zero Owner) or an owner's account on
	// a chain.
	Account = ids.Account
	// Amount is a native token amount (18 decimals).
	Amount = amount.Amount
	// KV is a key and its value, as a scan returns them.
	KV = app.KV
)

// Store is an application's key-value state as a running contract or service
// sees it. Read returns ok false for an absent key; Scan returns every key
// with the prefix, whole, in key order. A service's Write and Delete panic:
// services are read-only. Every method panics if the host fails, which
// aborts the call.
type Store interface {
	Read(key []byte) (value []byte, ok bool)
	Scan(prefix []byte) []KV
	Write(key, value []byte)
	Delete(key []byte)
}

// LogLevel is the level of a log message: LevelError (0) to LevelDebug (3).
type LogLevel uint8

// Log levels, as the host's log function numbers them.
const (
	LevelError LogLevel = iota
	LevelWarn
	LevelInfo
	LevelDebug
)

// JSON returns v's JSON encoding; it panics (aborting the call) if v cannot
// be encoded.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sdk: encode %T: %v", v, err))
	}
	return b
}

// Warm encodes and decodes each value once, so encoding/json builds its
// per-type encoders and decoders now. Call it from init with the app's
// operation, message and state types: every call starts from the state
// init left (docs/app-abi.md), so a cache filled during a call is lost
// with it, while one filled during init is in every call's snapshot. For
// the counter this makes an operation 2.4 times faster.
func Warm(values ...any) {
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("sdk: warm %T: %v", v, err))
		}
		p := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, p.Interface()); err != nil {
			panic(fmt.Sprintf("sdk: warm %T: %v", v, err))
		}
	}
}

// FromJSON decodes b into a T; it panics (aborting the call) if b is not a
// JSON encoding of a T. Unknown fields are refused, so a misspelt operation
// fails instead of doing nothing.
func FromJSON[T any](b []byte) T {
	v, err := ParseJSON[T](b)
	if err != nil {
		panic(err.Error())
	}
	return v
}

// ParseJSON decodes b into a T, refusing unknown fields and trailing data.
func ParseJSON[T any](b []byte) (T, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fmt.Errorf("sdk: decode %T: %v", v, err)
	}
	if dec.More() {
		return v, fmt.Errorf("sdk: decode %T: trailing data", v)
	}
	return v, nil
}

// Require panics with the formatted message, aborting the call, unless ok.
// Contracts use it for refusals: a refused operation fails its block, a
// refused tracked message bounces.
func Require(ok bool, format string, args ...any) {
	if !ok {
		panic(fmt.Sprintf(format, args...))
	}
}

// AppAccount returns the account in which application a holds native tokens
// on chain c: only a's contract may debit it.
func AppAccount(c ChainID, a ApplicationID) Account {
	return Account{Chain: c, Owner: app.AccountOwner(a)}
}

// PanicMessage turns a recovered panic value into the message the SDK
// passes to the host's abort.
func PanicMessage(r any) string {
	switch v := r.(type) {
	case string:
		return v
	case error:
		return v.Error()
	default:
		return fmt.Sprint(v)
	}
}
