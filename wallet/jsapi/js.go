//go:build js && wasm

package jsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"syscall/js"
)

// method is one function of the JavaScript face: it gets the call's
// arguments and answers a value that is sent to JavaScript as JSON.
type method func(ctx context.Context, args []js.Value) (any, error)

// promise wraps m as a JavaScript function that returns a Promise. The
// Go side runs in its own goroutine, so the event loop is never blocked
// while the wallet waits for validators.
func promise(m method) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		args = append([]js.Value(nil), args...)
		var executor js.Func
		executor = js.FuncOf(func(_ js.Value, pargs []js.Value) any {
			resolve, reject := pargs[0], pargs[1]
			go func() {
				v, err := safeCall(m, args)
				if err != nil {
					reject.Invoke(errorValue(err))
					return
				}
				resolve.Invoke(value(v))
			}()
			return nil
		})
		p := js.Global().Get("Promise").New(executor)
		executor.Release() // the executor ran synchronously in New
		return p
	})
}

// safeCall runs m, turning a panic (a bug, never expected) into an
// internal error instead of killing the wallet for every page.
func safeCall(m method, args []js.Value) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Code: CodeInternal, Message: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	return m(context.Background(), args)
}

// value turns v into a JavaScript value through JSON (json.RawMessage is
// parsed as it is; a js.Value passes through).
func value(v any) any {
	switch v := v.(type) {
	case nil:
		return js.Undefined()
	case js.Value:
		return v
	case json.RawMessage:
		return js.Global().Get("JSON").Call("parse", string(v))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return errorValue(fmt.Errorf("jsapi: encode answer: %w", err))
	}
	return js.Global().Get("JSON").Call("parse", string(b))
}

// errorValue is the JavaScript Error for err, with code and message.
func errorValue(err error) js.Value {
	e := classify(err)
	v := js.Global().Get("Error").New(e.Message)
	v.Set("code", e.Code)
	return v
}

// arg returns argument i as a Go value decoded from JSON into out
// (undefined and null leave out as it is).
func arg(args []js.Value, i int, out any) error {
	if i >= len(args) || args[i].IsUndefined() || args[i].IsNull() {
		return nil
	}
	s := js.Global().Get("JSON").Call("stringify", args[i]).String()
	if err := json.Unmarshal([]byte(s), out); err != nil {
		return badRequest("argument %d: %v", i+1, err)
	}
	return nil
}

// stringArg returns argument i as a string ("" if absent).
func stringArg(args []js.Value, i int) (string, error) {
	if i >= len(args) || args[i].IsUndefined() || args[i].IsNull() {
		return "", nil
	}
	if args[i].Type() != js.TypeString {
		return "", badRequest("argument %d must be a string", i+1)
	}
	return args[i].String(), nil
}
