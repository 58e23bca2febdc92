//go:build js

package wallet_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"syscall/js"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/wallet"
)

// stubFetch replaces the global fetch for the test with answer, which
// gets fetch's arguments (url, init) and returns its promise.
func stubFetch(t *testing.T, answer func(url string, init js.Value) js.Value) {
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any { return answer(args[0].String(), args[1]) })
	old := js.Global().Get("fetch")
	js.Global().Set("fetch", fn)
	t.Cleanup(func() {
		js.Global().Set("fetch", old)
		fn.Release()
	})
}

// respond is a promise of a Response with status and body.
func respond(status int, body string) js.Value {
	r := js.Global().Get("Response").New(body, map[string]any{"status": status})
	return js.Global().Get("Promise").Call("resolve", r)
}

// TestGraphQLFaucetFetch checks the faucet client over fetch (the
// browser's), the one wallet.wasm links instead of net/http.
func TestGraphQLFaucetFetch(t *testing.T) {
	ctx := context.Background()
	f := &wallet.GraphQLFaucet{URL: "https://faucet.example/graphql"}
	parent, owner := ids.Hash{1, 2, 3}, ids.Hash{9}
	var got struct{ url, method, contentType, query string }
	stubFetch(t, func(url string, init js.Value) js.Value {
		got.url, got.method = url, init.Get("method").String()
		got.contentType = init.Get("headers").Get("Content-Type").String()
		body := make([]byte, init.Get("body").Length())
		js.CopyBytesToGo(body, init.Get("body"))
		var req struct{ Query string }
		json.Unmarshal(body, &req)
		got.query = req.Query
		return respond(200, `{"data": {"claim": {"parent": "`+parent.String()+`", "height": 4, "index": 1}}}`)
	})
	d, err := f.Claim(ctx, owner)
	if want := ids.ChildDescription(parent, 4, 1); err != nil || d != want {
		t.Errorf("Claim() = %v, %v; want %v", d, err, want)
	}
	if got.url != f.URL || got.method != "POST" || got.contentType != "application/json" ||
		got.query != `mutation { claim(owner: "`+owner.String()+`") }` {
		t.Errorf("fetch got %+v; want a JSON POST of the claim mutation to %s", got, f.URL)
	}
}

func TestGraphQLFaucetFetchErrors(t *testing.T) {
	ctx := context.Background()
	f := &wallet.GraphQLFaucet{URL: "https://faucet.example/graphql"}
	tests := []struct {
		name   string
		answer func() js.Value
		want   string
	}{
		{"refused", func() js.Value { return respond(200, `{"data": null, "errors": [{"message": "rate limited"}]}`) }, "rate limited"},
		{"not graphql", func() js.Value { return respond(502, "<html>bad gateway</html>") }, "HTTP 502, not a GraphQL answer"},
		{"too large", func() js.Value { return respond(200, `{"data": {"claim": "`+strings.Repeat("x", 16<<20)+`"}}`) }, "answer larger than"},
		{"network", func() js.Value {
			return js.Global().Get("Promise").Call("reject", js.Global().Get("TypeError").New("Failed to fetch"))
		}, "Failed to fetch"},
	}
	for _, tt := range tests {
		stubFetch(t, func(string, js.Value) js.Value { return tt.answer() })
		_, err := f.Claim(ctx, ids.Hash{9})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Claim() = %v, want an error with %q", tt.name, err, tt.want)
		}
		if refused := errors.Is(err, wallet.ErrFaucet); refused != (tt.name == "refused") {
			t.Errorf("%s: errors.Is(%v, ErrFaucet) = %v", tt.name, err, refused)
		}
	}
}

// TestGraphQLFaucetFetchCancel checks that ending the context aborts the
// request and returns the context's error.
func TestGraphQLFaucetFetchCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pending := js.Global().Get("Function").New("init",
		"return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)))")
	stubFetch(t, func(_ string, init js.Value) js.Value {
		p := pending.Invoke(init)
		cancel()
		return p
	})
	f := &wallet.GraphQLFaucet{URL: "https://faucet.example/graphql"}
	if _, err := f.Genesis(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Genesis() with a canceled context = %v, want context.Canceled", err)
	}
}
