//go:build js

package wallet

import (
	"context"
	"errors"
	"syscall/js"
)

// post sends body to url with fetch, the host's HTTP client, and returns
// the status and at most maxFaucetAnswer+1 bytes of the answer. Ending
// ctx aborts the request. It waits for promises: call it from a goroutine,
// never from a js.FuncOf callback.
//
// Why not net/http, whose js transport is fetch too? Where fetch is
// missing it falls back to its whole HTTP/1.1 and HTTP/2 client with TLS,
// so an http.Client links all of that; and graphql-go's reflection keeps
// every exported method of a linked type, which makes it 0.7 MB of
// wallet.wasm's brotli download (docs/benchmarks.md, "wallet.wasm size").
func post(ctx context.Context, url, contentType string, body []byte) (int, []byte, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	fetch := js.Global().Get("fetch")
	if fetch.Type() != js.TypeFunction {
		return 0, nil, errors.New("no fetch in this JavaScript host")
	}
	abort := js.Global().Get("AbortController").New()
	defer context.AfterFunc(ctx, func() { abort.Call("abort") })()
	data := js.Global().Get("Uint8Array").New(len(body))
	js.CopyBytesToJS(data, body)
	resp, err := await(ctx, fetch.Invoke(url, map[string]any{
		"method":  "POST",
		"headers": map[string]any{"Content-Type": contentType},
		"body":    data,
		"signal":  abort.Get("signal"),
	}))
	if err != nil {
		return 0, nil, err
	}
	b, err := readStream(ctx, resp.Get("body"))
	return resp.Get("status").Int(), b, err
}

// readStream reads a ReadableStream of bytes (null: none) up to
// maxFaucetAnswer+1 bytes, then cancels it.
func readStream(ctx context.Context, stream js.Value) ([]byte, error) {
	if stream.IsNull() || stream.IsUndefined() {
		return nil, nil
	}
	reader := stream.Call("getReader")
	var b []byte
	for len(b) <= maxFaucetAnswer {
		chunk, err := await(ctx, reader.Call("read"))
		if err != nil {
			return nil, err
		}
		if chunk.Get("done").Bool() {
			return b, nil
		}
		v := chunk.Get("value")
		n := min(v.Length(), maxFaucetAnswer+1-len(b))
		b = append(b, make([]byte, n)...)
		js.CopyBytesToGo(b[len(b)-n:], v)
	}
	reader.Call("cancel")
	return b, nil
}

// await waits for promise to settle and returns its value, or its
// rejection as a js.Error; ctx's error instead if ctx ended (post aborts
// the request then, which settles every promise of it).
func await(ctx context.Context, promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: firstArg(args)}
		return nil
	})
	defer onValue.Release()
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: js.Error{Value: firstArg(args)}}
		return nil
	})
	defer onError.Release()
	promise.Call("then", onValue, onError)
	r := <-ch
	if r.err != nil && ctx.Err() != nil {
		return r.v, ctx.Err()
	}
	return r.v, r.err
}

func firstArg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
