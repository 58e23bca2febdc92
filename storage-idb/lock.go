//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

// webLock is an exclusive Web Lock held until release.
type webLock struct {
	release js.Value // resolves the promise that holds the lock
	done    js.Value // navigator.locks.request's promise: settles once released
	funcs   []js.Func
}

// lockName is the Web Lock guarding database name.
func lockName(name string) string { return "myriad/idbstore/" + name }

// acquireLock takes the exclusive Web Lock name. Without wait it fails at
// once with ErrLocked when the lock is held; with wait it waits for it
// until ctx ends.
func acquireLock(ctx context.Context, name string, wait bool) (*webLock, error) {
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		return nil, fmt.Errorf("idbstore: no Web Locks here (a secure context is needed): %w", errors.ErrUnsupported)
	}
	l := &webLock{}
	granted := make(chan bool, 1)
	// The lock is held until the promise the callback returns settles.
	holder := js.FuncOf(func(_ js.Value, args []js.Value) any {
		l.release = args[0]
		return nil
	})
	callback := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) == 0 || args[0].IsNull() {
			granted <- false // ifAvailable and held elsewhere
			return nil
		}
		granted <- true
		return js.Global().Get("Promise").New(holder)
	})
	l.funcs = []js.Func{holder, callback}
	opts := map[string]any{"mode": "exclusive"}
	abort := js.Global().Get("AbortController").New()
	if wait {
		opts["signal"] = abort.Get("signal")
	} else {
		opts["ifAvailable"] = true
	}
	l.done = locks.Call("request", name, opts, callback)
	failed := make(chan error, 1)
	go func() {
		if _, err := await(context.Background(), l.done); err != nil {
			failed <- err
		}
	}()
	select {
	case ok := <-granted:
		return l.granted(ok, name)
	case err := <-failed:
		l.free()
		return nil, fmt.Errorf("idbstore: lock %s: %w", name, err)
	case <-ctx.Done():
	}
	abort.Call("abort")
	select {
	case ok := <-granted: // granted before the abort could stop it
		if ok {
			l.unlock()
		}
	case <-failed:
		l.free()
	}
	return nil, ctx.Err()
}

func (l *webLock) granted(ok bool, name string) (*webLock, error) {
	if !ok {
		l.free()
		return nil, fmt.Errorf("%w (web lock %s)", ErrLocked, name)
	}
	return l, nil
}

// unlock releases the lock and waits until it is free for others: the
// lock manager frees it only after the holding promise settles.
func (l *webLock) unlock() {
	l.release.Invoke()
	_, _ = await(context.Background(), l.done)
	l.free()
}

func (l *webLock) free() {
	for _, f := range l.funcs {
		f.Release()
	}
	l.funcs = nil
}

// await waits for a JS promise to settle, or for ctx to end. A rejection
// comes back as a js.Error.
func await(ctx context.Context, promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: js.Error{Value: arg0(args)}}
		return nil
	})
	promise.Call("then", onValue, onError)
	select {
	case r := <-ch:
		onValue.Release()
		onError.Release()
		return r.v, r.err
	case <-ctx.Done():
		// The callbacks stay alive: the promise may still settle.
		return js.Undefined(), ctx.Err()
	}
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
