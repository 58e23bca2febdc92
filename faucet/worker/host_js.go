//go:build js && wasm

package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall/js"
)

// Value is a JavaScript value (syscall/js.Value).
type Value = js.Value

// Host returns the object the Durable Object passed to this Go instance
// (with syumai/workers' wasm_exec.js, the second argument of go.run, seen
// by Go as the global "context"): {storage, ready(serve), fail(message)}.
func Host() js.Value { return js.Global().Get("context") }

// Fail tells the host that the faucet could not start; its requests are
// then answered with the error, and the next request boots a new instance.
func Fail(host js.Value, err error) { host.Call("fail", err.Error()) }

// Ready hands the host the function that serves requests with h:
// serve(method, url, headers as [[name, value]], body as Uint8Array,
// client address) returns a Promise of {status, headers, body}. The
// client address, set by the front from CF-Connecting-IP, becomes the
// request's RemoteAddr, the faucet's rate-limit key.
func Ready(host js.Value, h http.Handler) {
	serve := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 5 {
			return rejected(errors.New("worker: serve takes 5 arguments"))
		}
		return promise(func() (js.Value, error) { return serveOne(h, args) })
	})
	host.Call("ready", serve) // serve is never released: it lives as long as the instance
}

func serveOne(h http.Handler, args []js.Value) (js.Value, error) {
	req, err := http.NewRequestWithContext(context.Background(), args[0].String(), args[1].String(),
		bytes.NewReader(bytesOf(args[3])))
	if err != nil {
		return js.Value{}, fmt.Errorf("worker: request: %w", err)
	}
	hdrs := args[2]
	for i := range hdrs.Length() {
		req.Header.Add(hdrs.Index(i).Index(0).String(), hdrs.Index(i).Index(1).String())
	}
	req.RemoteAddr = args[4].String()
	w := &recorder{header: http.Header{}}
	h.ServeHTTP(w, req)
	return w.toJS(), nil
}

// recorder is the http.ResponseWriter handed to the handler.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

func (w *recorder) toJS() js.Value {
	w.WriteHeader(http.StatusOK)
	hdrs := js.Global().Get("Array").New()
	for k, vs := range w.header {
		for _, v := range vs {
			hdrs.Call("push", js.Global().Get("Array").New(k, v))
		}
	}
	res := js.Global().Get("Object").New()
	res.Set("status", w.status)
	res.Set("headers", hdrs)
	res.Set("body", uint8Array(w.body.Bytes()))
	return res
}

// Await waits for a JavaScript Promise and returns its value, or its
// rejection as an error. It must not be called on the JavaScript event
// loop's own goroutine (a js.FuncOf callback): call it from a goroutine.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- result{v: arg0(a)}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- result{err: jsError(arg0(a))}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func arg0(a []js.Value) js.Value {
	if len(a) == 0 {
		return js.Undefined()
	}
	return a[0]
}

func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return errors.New(v.Get("message").String())
	}
	return fmt.Errorf("%v", v)
}

// promise runs fn on a new goroutine and returns a Promise of its result.
func promise(fn func() (js.Value, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, a []js.Value) any {
		executor.Release()
		resolve, reject := a[0], a[1]
		go func() {
			v, err := fn()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}

func rejected(err error) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(err.Error()))
}
