//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"

	"github.com/myriadchain/myriad/core/kv"
)

var (
	jsUint8Array  = js.Global().Get("Uint8Array")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
	jsKeyRange    = js.Global().Get("IDBKeyRange")
)

// bytesToJS copies b into a new Uint8Array: a binary key, or a value.
func bytesToJS(b []byte) js.Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// keyFromJS copies a binary key (IndexedDB hands them out as ArrayBuffers)
// into Go. Anything else in the data object store is damage.
func keyFromJS(v js.Value) ([]byte, error) {
	if !v.InstanceOf(jsArrayBuffer) {
		return nil, fmt.Errorf("%w: a key that is %s", ErrDamaged, describe(v))
	}
	return copyFromJS(jsUint8Array.New(v)), nil
}

// valueFromJS copies a stored value into Go: a present empty value is a
// non-nil empty slice.
func valueFromJS(v js.Value) ([]byte, error) {
	if !v.InstanceOf(jsUint8Array) {
		return nil, fmt.Errorf("%w: a value that is %s", ErrDamaged, describe(v))
	}
	return copyFromJS(v), nil
}

func copyFromJS(a js.Value) []byte {
	b := make([]byte, a.Length())
	js.CopyBytesToGo(b, a)
	return b
}

// describe names v's type, and its value if a string or number, for an
// error message.
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return fmt.Sprintf("the string %q", v.String())
	case js.TypeNumber:
		return fmt.Sprintf("the number %v", v.Float())
	case js.TypeObject:
		if c := v.Get("constructor"); !v.IsNull() && c.Type() == js.TypeFunction {
			return "a " + c.Get("name").String()
		}
	}
	return v.Type().String()
}

// prefixRange returns the key range of the keys that start with prefix, or
// null (every key) for an empty prefix.
func prefixRange(prefix []byte) js.Value {
	if len(prefix) == 0 {
		return js.Null()
	}
	end := kv.PrefixEnd(prefix)
	if end == nil { // all 0xff: no key above them but their extensions
		return jsKeyRange.Call("lowerBound", bytesToJS(prefix))
	}
	return jsKeyRange.Call("bound", bytesToJS(prefix), bytesToJS(end), false, true)
}
