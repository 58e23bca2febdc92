package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
	client "github.com/myriadchain/myriad/node-client"
)

// fake is a WebSocket server speaking rpc frames, whose behaviour a test
// scripts with handle (called for every frame, in the connection's reader
// goroutine; conn counts connections from 1).
type fake struct {
	srv    *httptest.Server
	conns  atomic.Int32
	handle func(conn int, c *websocket.Conn, f rpc.Frame)
}

func newFake(t *testing.T, handle func(conn int, c *websocket.Conn, f rpc.Frame)) *fake {
	f := &fake{handle: handle}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		n := int(f.conns.Add(1))
		for {
			_, b, err := c.Read(r.Context())
			if err != nil {
				return
			}
			fr, err := rpc.ParseFrame(b)
			if err != nil {
				t.Errorf("fake validator got a bad frame: %v", err)
				return
			}
			f.handle(n, c, fr)
		}
	})
	mux.HandleFunc("/rpc", func(w http.ResponseWriter, r *http.Request) {
		var in rpc.ChainID
		buf := make([]byte, 64)
		n, _ := r.Body.Read(buf)
		fr, err := rpc.ParseFrame(buf[:n])
		if err == nil {
			err = codec.Unmarshal(fr.Body, &in)
		}
		if err != nil {
			w.Write(rpc.NewError(fr.ID, err).Marshal())
			return
		}
		w.Write(rpc.NewResponse(fr.ID, &chain.Info{Chain: in.ID}).Marshal())
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) address() string { return "ws://" + strings.TrimPrefix(f.srv.URL, "http://") }

func send(t *testing.T, c *websocket.Conn, f rpc.Frame) {
	if err := c.Write(context.Background(), websocket.MessageBinary, f.Marshal()); err != nil {
		t.Logf("fake validator write: %v", err)
	}
}

// infoReply answers a ChainInfo request with the chain it asks about.
func infoReply(t *testing.T, f rpc.Frame) rpc.Frame {
	var q rpc.ChainID
	if err := codec.Unmarshal(f.Body, &q); err != nil {
		t.Errorf("decode chain-info request: %v", err)
	}
	return rpc.NewResponse(f.ID, &chain.Info{Chain: q.ID})
}

func chainID(i int) ids.ChainID { return ids.RootDescription(uint32(i)).ID() }

func dial(t *testing.T, f *fake) *client.Remote {
	t.Helper()
	r, err := client.Dial(t.Context(), f.address(), client.DialOptions{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatalf("Dial(%s) = %v", f.address(), err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestRemoteMultiplexes sends eight requests at once on one connection;
// the server answers them in reverse order, and each caller gets its own.
func TestRemoteMultiplexes(t *testing.T) {
	const n = 8
	var mu sync.Mutex
	var held []rpc.Frame
	f := newFake(t, func(_ int, c *websocket.Conn, fr rpc.Frame) {
		mu.Lock()
		defer mu.Unlock()
		if held = append(held, fr); len(held) == n {
			for i := n - 1; i >= 0; i-- {
				send(t, c, infoReply(t, held[i]))
			}
		}
	})
	r := dial(t, f)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in, err := r.ChainInfo(t.Context(), chainID(i))
			if err != nil || in.Chain != chainID(i) {
				t.Errorf("ChainInfo(chain %d) = %v, %v; want its own info", i, in, err)
			}
		})
	}
	wg.Wait()
	if got := f.conns.Load(); got != 1 {
		t.Errorf("connections = %d, want 1", got)
	}
}

// TestRemoteErrorsCrossTheWire checks that an error reply is matched by
// errors.Is against the core's sentinel.
func TestRemoteErrorsCrossTheWire(t *testing.T) {
	f := newFake(t, func(_ int, c *websocket.Conn, fr rpc.Frame) {
		send(t, c, rpc.NewError(fr.ID, fmt.Errorf("handle proposal: %w: at 3, got 5", chain.ErrWrongHeight)))
	})
	_, err := dial(t, f).ChainInfo(t.Context(), chainID(1))
	if !errors.Is(err, chain.ErrWrongHeight) {
		t.Fatalf("ChainInfo = %v, want an error matching chain.ErrWrongHeight", err)
	}
	var re *rpc.RemoteError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "at 3, got 5") {
		t.Errorf("ChainInfo error = %#v, want the validator's message", err)
	}
}

// TestRemoteCancel cancels a request the server never answers; the
// connection stays usable.
func TestRemoteCancel(t *testing.T) {
	f := newFake(t, func(_ int, c *websocket.Conn, fr rpc.Frame) {
		var q rpc.ChainID
		codec.Unmarshal(fr.Body, &q)
		if q.ID == chainID(2) {
			send(t, c, infoReply(t, fr))
		}
	})
	r := dial(t, f)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := r.ChainInfo(ctx, chainID(1))
		errc <- err
	}()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ChainInfo = %v, want context.Canceled", err)
	}
	if _, err := r.ChainInfo(t.Context(), chainID(2)); err != nil {
		t.Fatalf("ChainInfo after a cancelled request = %v", err)
	}
	if got := f.conns.Load(); got != 1 {
		t.Errorf("connections = %d, want 1", got)
	}
}

// TestRemoteReconnects breaks the connection under a request: the
// request fails with rpc.ErrUnavailable and the next one reconnects.
func TestRemoteReconnects(t *testing.T) {
	f := newFake(t, func(conn int, c *websocket.Conn, fr rpc.Frame) {
		if conn == 1 {
			c.CloseNow()
			return
		}
		send(t, c, infoReply(t, fr))
	})
	r := dial(t, f)
	if _, err := r.ChainInfo(t.Context(), chainID(1)); !errors.Is(err, rpc.ErrUnavailable) {
		t.Fatalf("ChainInfo on a broken connection = %v, want rpc.ErrUnavailable", err)
	}
	if _, err := r.ChainInfo(t.Context(), chainID(1)); err != nil {
		t.Fatalf("ChainInfo after the break = %v, want success on a new connection", err)
	}
	if got := f.conns.Load(); got != 2 {
		t.Errorf("connections = %d, want 2", got)
	}
}

// TestRemoteSubscribeRenews receives notifications, loses the connection,
// and receives more after the Remote reconnects and subscribes again by
// itself.
func TestRemoteSubscribeRenews(t *testing.T) {
	note := func(h uint64) rpc.Frame {
		return rpc.Frame{Kind: rpc.Notification, Body: codec.Marshal(chain.Notification{Chain: chainID(1), Height: h})}
	}
	f := newFake(t, func(conn int, c *websocket.Conn, fr rpc.Frame) {
		if fr.Kind != rpc.Subscribe {
			t.Errorf("fake validator got %s, want subscribe", fr.Kind)
			return
		}
		send(t, c, rpc.NewResponse(fr.ID, rpc.Empty{}))
		send(t, c, note(uint64(conn)))
		send(t, c, rpc.Frame{Kind: rpc.Notification, Body: codec.Marshal(chain.Notification{Chain: chainID(9)})})
		if conn == 1 {
			c.Close(websocket.StatusGoingAway, "restart")
		}
	})
	r := dial(t, f)
	ch, err := r.Subscribe(t.Context(), []ids.ChainID{chainID(1)})
	if err != nil {
		t.Fatal(err)
	}
	timeout := time.After(10 * time.Second)
	for want := uint64(1); want <= 2; want++ {
		select {
		case n := <-ch:
			if n.Chain != chainID(1) || n.Height != want {
				t.Fatalf("notification %+v, want chain %s height %d", n, chainID(1).Short(), want)
			}
		case <-timeout:
			t.Fatalf("no notification %d (connections: %d)", want, f.conns.Load())
		}
	}
	r.Close()
	if _, ok := <-ch; ok {
		t.Error("subscription channel still open after Close")
	}
}

func TestPostFrame(t *testing.T) {
	f := newFake(t, nil)
	reply, err := client.PostFrame(t.Context(), f.srv.URL, rpc.NewRequest(rpc.ChainInfo, 5, rpc.ChainID{ID: chainID(3)}))
	if err != nil {
		t.Fatal(err)
	}
	var in chain.Info
	if err := rpc.DecodeReply(reply, &in); err != nil || reply.ID != 5 || in.Chain != chainID(3) {
		t.Fatalf("PostFrame reply %d: %+v, %v; want id 5 and chain %s", reply.ID, in, err, chainID(3).Short())
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct{ addr, scheme, path, want string }{
		{"ws://127.0.0.1:9100", "ws", "/ws", "ws://127.0.0.1:9100/ws"},
		{"ws://127.0.0.1:9100", "http", "/rpc", "http://127.0.0.1:9100/rpc"},
		{"http://h:1/x", "ws", "/ws", "ws://h:1/x"},
		{"wss://h:1", "http", "/rpc", "https://h:1/rpc"},
	} {
		if got, err := client.Endpoint(tc.addr, tc.scheme, tc.path); err != nil || got != tc.want {
			t.Errorf("Endpoint(%q, %q, %q) = %q, %v; want %q", tc.addr, tc.scheme, tc.path, got, err, tc.want)
		}
	}
	for _, bad := range []string{"127.0.0.1:9100", "ftp://h", "ws://"} {
		if _, err := client.Endpoint(bad, "ws", "/ws"); err == nil {
			t.Errorf("Endpoint(%q) = nil error, want one", bad)
		}
	}
}
