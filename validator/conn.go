package validator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
)

// writeTimeout bounds writing one frame to a client; a client that does
// not read for that long is disconnected.
const writeTimeout = 10 * time.Second

// noteBuffer is how many notifications may wait for a slow connection
// before new ones are dropped.
const noteBuffer = 256

// wsConn is one WebSocket connection: a reader loop that starts a
// goroutine per request (at most cfg.MaxInFlight at once), and a writer
// of pushed notifications.
type wsConn struct {
	srv    *Server
	conn   *websocket.Conn
	host   string
	ctx    context.Context
	cancel context.CancelFunc
	flight chan struct{} // one token per request in flight
	notes  chan []byte   // notification frames to push
	reqs   sync.WaitGroup

	mu     sync.Mutex
	chains map[ids.ChainID]bool // subscribed
}

// serveWS accepts a WebSocket connection from any origin: requests are
// authenticated by their signatures, not by the page that sends them,
// and browser extensions must be able to connect.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.log.Debug("websocket accept", "remote", r.RemoteAddr, "err", err)
		return
	}
	c.SetReadLimit(rpc.MaxFrameSize)
	wc := &wsConn{srv: s, conn: c, host: hostOf(r.RemoteAddr), flight: make(chan struct{}, s.cfg.MaxInFlight),
		notes: make(chan []byte, noteBuffer), chains: map[ids.ChainID]bool{}}
	wc.ctx, wc.cancel = context.WithCancel(s.ctx)
	if !s.track(wc) {
		c.Close(websocket.StatusGoingAway, "myriad: server closing") //nolint:errcheck // closing anyway
		return
	}
	defer s.untrack(wc)
	wc.run()
}

// run reads frames until the connection ends, then waits for its
// requests to finish.
func (wc *wsConn) run() {
	pushed := make(chan struct{})
	go func() { wc.push(); close(pushed) }()
	defer func() {
		wc.cancel()
		wc.reqs.Wait()
		<-pushed
		wc.mu.Lock()
		chains := make([]ids.ChainID, 0, len(wc.chains))
		for id := range wc.chains {
			chains = append(chains, id)
		}
		wc.mu.Unlock()
		wc.srv.hub.drop(wc, chains)
		wc.conn.CloseNow() //nolint:errcheck // the connection is over
	}()
	for {
		typ, b, err := wc.conn.Read(wc.ctx)
		if err != nil {
			return // closed, or a frame over the read limit (closed with StatusMessageTooBig)
		}
		if typ != websocket.MessageBinary {
			wc.conn.Close(websocket.StatusUnsupportedData, "myriad: frames are binary messages") //nolint:errcheck
			return
		}
		wc.receive(b)
	}
}

// close ends the connection from the server's side.
func (wc *wsConn) close() {
	wc.cancel()
	wc.conn.CloseNow() //nolint:errcheck // the server is closing
}

// receive checks a frame against the limits and starts its request.
func (wc *wsConn) receive(b []byte) {
	s := wc.srv
	f, err := rpc.ParseFrame(b)
	if err != nil {
		s.metrics.observe(0, 0, true)
		wc.write(rpc.NewError(f.ID, err))
		return
	}
	if !s.limiter.allow(wc.host) {
		s.metrics.rateLimited.Add(1)
		wc.write(rpc.NewError(f.ID, rpc.ErrRateLimited))
		return
	}
	select {
	case wc.flight <- struct{}{}:
	default:
		s.metrics.tooMany.Add(1)
		wc.write(rpc.NewError(f.ID, fmt.Errorf("%w: at most %d", rpc.ErrTooManyFlight, s.cfg.MaxInFlight)))
		return
	}
	wc.reqs.Add(1)
	go func() {
		defer wc.reqs.Done()
		defer func() { <-wc.flight }()
		if f.Kind == rpc.Subscribe {
			wc.write(wc.subscribe(f))
			return
		}
		rep := s.handle(wc.ctx, f, s.cfg.Internal)
		wc.write(rep.frame)
		s.after(rep)
	}()
}

// subscribe registers the connection for a list of chains.
func (wc *wsConn) subscribe(f rpc.Frame) rpc.Frame {
	start := time.Now()
	var l rpc.ChainList
	err := decode(f, &l)
	if err == nil {
		err = wc.addChains(l.IDs)
	}
	if err == nil {
		err = wc.srv.subscribe(wc, l.IDs)
	}
	wc.srv.metrics.observe(f.Kind, time.Since(start), err != nil)
	if err != nil {
		return rpc.NewError(f.ID, err)
	}
	return rpc.NewResponse(f.ID, rpc.Empty{})
}

func (wc *wsConn) addChains(chains []ids.ChainID) error {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	n := len(wc.chains)
	for _, id := range chains {
		if !wc.chains[id] {
			n++
		}
	}
	if n > rpc.MaxSubscriptions {
		return fmt.Errorf("validator: more than %d chains subscribed on one connection: %w", rpc.MaxSubscriptions, codec.ErrTooLarge)
	}
	for _, id := range chains {
		wc.chains[id] = true
	}
	return nil
}

// write sends a frame; a write that fails breaks the connection.
func (wc *wsConn) write(f rpc.Frame) {
	ctx, cancel := context.WithTimeout(wc.ctx, writeTimeout)
	defer cancel()
	if err := wc.conn.Write(ctx, websocket.MessageBinary, f.Marshal()); err != nil {
		wc.cancel()
	}
}

// notify implements subscriber: it queues a notification, or drops it if
// the connection is too slow to take it.
func (wc *wsConn) notify(frame []byte) {
	select {
	case wc.notes <- frame:
	default:
		wc.srv.metrics.notesDropped.Add(1)
	}
}

// push writes queued notifications until the connection ends.
func (wc *wsConn) push() {
	for {
		select {
		case b := <-wc.notes:
			ctx, cancel := context.WithTimeout(wc.ctx, writeTimeout)
			err := wc.conn.Write(ctx, websocket.MessageBinary, b)
			cancel()
			if err != nil {
				wc.cancel()
				return
			}
		case <-wc.ctx.Done():
			return
		}
	}
}

// servePost answers one frame posted to /rpc with one frame. Errors are
// error frames too, with an HTTP status that says what kind: 400 for a
// malformed frame, 413 for an oversized one, 429 when rate limited.
func (s *Server) servePost(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "myriad: POST one rpc frame", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rpc.MaxFrameSize))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.metrics.observe(0, 0, true)
			writeFrame(w, http.StatusRequestEntityTooLarge, rpc.NewError(0, fmt.Errorf("%w: over %d bytes", rpc.ErrFrameTooLarge, rpc.MaxFrameSize)))
		}
		return
	}
	f, err := rpc.ParseFrame(body)
	if err != nil {
		s.metrics.observe(0, 0, true)
		writeFrame(w, http.StatusBadRequest, rpc.NewError(f.ID, err))
		return
	}
	if !s.limiter.allow(hostOf(r.RemoteAddr)) {
		s.metrics.rateLimited.Add(1)
		writeFrame(w, http.StatusTooManyRequests, rpc.NewError(f.ID, rpc.ErrRateLimited))
		return
	}
	rep := s.handle(r.Context(), f, s.cfg.Internal)
	writeFrame(w, http.StatusOK, rep.frame)
	s.after(rep)
}

func writeFrame(w http.ResponseWriter, status int, f rpc.Frame) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(status)
	w.Write(f.Marshal()) //nolint:errcheck // the client may have gone
}
