//go:build js && wasm

package main

import (
	"net/http"
	"syscall/js"

	"github.com/syumai/workers/cloudflare/fetch"
)

// httpClient returns the client the faucet reaches validators with:
// syumai/workers' fetch transport over host.fetch (the Worker's fetch,
// bound by the JavaScript side). Go's own js/wasm transport cannot be used:
// it calls fetch on the global object, which syumai's wasm_exec.js wraps
// in a Proxy, and workerd refuses fetch called on anything but the global
// ("Illegal invocation"). The transport gives up waiting when the
// request's context ends (syumai's fetch itself cannot be aborted).
func httpClient(host js.Value) *http.Client {
	inner := fetch.NewClient(fetch.WithBinding(host)).HTTPClient(fetch.RedirectModeFollow).Transport
	return &http.Client{Transport: cancelable{inner}}
}

type cancelable struct{ inner http.RoundTripper }

func (c cancelable) RoundTrip(req *http.Request) (*http.Response, error) {
	type result struct {
		res *http.Response
		err error
	}
	ch := make(chan result, 1)
	go func() {
		res, err := c.inner.RoundTrip(req)
		ch <- result{res, err}
	}()
	select {
	case r := <-ch:
		return r.res, r.err
	case <-req.Context().Done():
		go func() { // close the body of an answer that comes too late
			if r := <-ch; r.res != nil {
				r.res.Body.Close()
			}
		}()
		return nil, req.Context().Err()
	}
}
