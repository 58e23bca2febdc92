package client

import (
	"context"
	"errors"
	"fmt"
	"github.com/myriadchain/myriad/core/app"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/rpc"
)

// ErrClosed is returned by a Remote after Close.
var ErrClosed = errors.New("client: remote closed")

// DialOptions configures a Remote.
type DialOptions struct {
	// PublicKey is the validator's key, as the committee lists it.
	PublicKey keys.PublicKey
	// Lazy makes Dial return at once; the connection is made by the first
	// request. Without it Dial connects and fails if it cannot.
	Lazy bool
	// DialTimeout bounds one connection attempt; 0 means 5 s.
	DialTimeout time.Duration
	// WriteTimeout bounds writing one frame; 0 means 10 s. A write that
	// times out breaks the connection (the next request reconnects).
	WriteTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed connection
	// attempts, which doubles from MinBackoff (0: 50 ms) up to MaxBackoff
	// (0: 2 s). Requests made while waiting fail at once with
	// rpc.ErrUnavailable.
	MinBackoff, MaxBackoff time.Duration
	// RedialAtOnce makes requests made during a backoff try to connect at
	// once instead of failing. A validator's shards use it for their peers,
	// which must be usable as soon as they are back; the backoff then
	// paces only the reconnection that renews subscriptions.
	RedialAtOnce bool
	// NotificationBuffer is the capacity of each Subscribe channel; 0
	// means 256.
	NotificationBuffer int
}

func (o DialOptions) withDefaults() DialOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.DialTimeout, 5*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	def(&o.MinBackoff, 50*time.Millisecond)
	def(&o.MaxBackoff, 2*time.Second)
	if o.NotificationBuffer <= 0 {
		o.NotificationBuffer = 256
	}
	return o
}

// Remote is a validator reached over the wire protocol (package rpc) on
// one WebSocket connection. It implements Node.
//
// Many requests may be in flight at once: each gets an id and a reader
// goroutine hands replies to their callers. If the connection breaks,
// requests waiting on it fail with an error wrapping rpc.ErrUnavailable
// and the next request reconnects (after a backoff if connecting fails);
// subscriptions are renewed on the new connection. Errors the validator
// reports are *rpc.RemoteError values, so errors.Is matches the core's
// sentinels (chain.ErrWrongHeight, …). A Remote is safe for concurrent use.
type Remote struct {
	address string // as given to Dial
	url     string // the WebSocket URL
	pub     keys.PublicKey
	opts    DialOptions
	nextID  atomic.Uint64
	dropped atomic.Uint64

	ctx    context.Context // the Remote's lifetime
	cancel context.CancelFunc

	mu      sync.Mutex
	sess    *session
	dialing chan struct{} // closed when the connection attempt in progress ends
	retryAt time.Time     // no new attempt before this
	backoff time.Duration
	lastErr error
	subs    map[*subscription]struct{}
	keeping bool // a goroutine is reconnecting for the subscriptions
	closed  bool
}

var _ Node = (*Remote)(nil)

// Dial returns a Remote for the validator at address, "ws://host:port"
// (the path defaults to /ws; "http://" is accepted and means the same).
// Unless opts.Lazy is set it connects before returning.
func Dial(ctx context.Context, address string, opts DialOptions) (*Remote, error) {
	url, err := Endpoint(address, "ws", "/ws")
	if err != nil {
		return nil, err
	}
	r := &Remote{address: address, url: url, pub: opts.PublicKey, opts: opts.withDefaults(),
		subs: map[*subscription]struct{}{}}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if !opts.Lazy {
		if _, err := r.session(ctx); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// DialCommittee returns a lazily connected Remote for every validator of
// com, at the address and with the key the committee lists, in the
// committee's order.
func DialCommittee(ctx context.Context, com *committee.Committee, opts DialOptions) ([]*Remote, error) {
	out := make([]*Remote, 0, len(com.Validators))
	for _, v := range com.Validators {
		o := opts
		o.PublicKey, o.Lazy = v.PublicKey, true
		r, err := Dial(ctx, v.Address, o)
		if err != nil {
			return nil, fmt.Errorf("client: validator %s: %w", v.PublicKey.Short(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Endpoint turns a validator address ("ws://host:port", "http://host:port",
// or either with a path) into a URL with the given scheme ("ws" or
// "http", "wss" or "https" for TLS addresses) and, if the address has
// none, the given path.
func Endpoint(address, scheme, path string) (string, error) {
	before, rest, ok := strings.Cut(address, "://")
	if !ok || rest == "" {
		return "", fmt.Errorf("client: validator address %q: want ws://host:port", address)
	}
	secure := false
	switch before {
	case "ws", "http":
	case "wss", "https":
		secure = true
	default:
		return "", fmt.Errorf("client: validator address %q: unknown scheme %q", address, before)
	}
	if secure {
		scheme += "s"
	}
	if !strings.Contains(rest, "/") {
		rest += path
	}
	return scheme + "://" + rest, nil
}

// Address returns the address r was dialled with.
func (r *Remote) Address() string { return r.address }

// PublicKey implements Node.
func (r *Remote) PublicKey() keys.PublicKey { return r.pub }

// ConcurrentSafe marks Remote as safe to ask from several goroutines at
// once: Client asks such validators in parallel.
func (r *Remote) ConcurrentSafe() {}

// Dropped returns how many notifications were dropped because a
// subscriber's channel was full.
func (r *Remote) Dropped() uint64 { return r.dropped.Load() }

// Close closes the connection, fails requests in flight, and closes every
// subscription channel. Later requests return ErrClosed.
func (r *Remote) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	s := r.sess
	r.sess = nil
	for sub := range r.subs {
		delete(r.subs, sub)
		close(sub.ch)
	}
	r.mu.Unlock()
	r.cancel()
	if s != nil {
		s.fail(ErrClosed)
	}
	return nil
}

// session returns the live connection, connecting if there is none.
// Concurrent callers share one connection attempt.
func (r *Remote) session(ctx context.Context) (*session, error) {
	for {
		r.mu.Lock()
		switch {
		case r.closed:
			r.mu.Unlock()
			return nil, ErrClosed
		case r.sess != nil && r.sess.alive():
			s := r.sess
			r.mu.Unlock()
			return s, nil
		case r.dialing != nil:
			wait := r.dialing
			r.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		case !r.opts.RedialAtOnce && time.Now().Before(r.retryAt):
			err := fmt.Errorf("%w: %s: reconnecting after: %w", rpc.ErrUnavailable, r.address, r.lastErr)
			r.mu.Unlock()
			return nil, err
		}
		done := make(chan struct{})
		r.dialing = done
		r.mu.Unlock()
		s, err := r.connect(ctx)
		r.connected(s, err, ctx.Err() != nil)
		close(done)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", rpc.ErrUnavailable, r.address, err)
		}
		return s, nil
	}
}

// connected records the outcome of a connection attempt. A failure not
// caused by the caller's context starts or extends the backoff.
func (r *Remote) connected(s *session, err error, cancelled bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dialing = nil
	if err != nil {
		if !cancelled {
			r.backoff = min(max(2*r.backoff, r.opts.MinBackoff), r.opts.MaxBackoff)
			r.retryAt, r.lastErr = time.Now().Add(r.backoff), err
		}
		return
	}
	if r.closed {
		s.fail(ErrClosed)
		return
	}
	r.sess, r.backoff, r.retryAt = s, 0, time.Time{}
	if chains := r.subscribedLocked(); len(chains) > 0 {
		go r.resubscribe(s, chains)
	}
}

func (r *Remote) connect(ctx context.Context) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.DialTimeout)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, r.url, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(rpc.MaxFrameSize)
	s := &session{conn: conn, pending: map[uint64]chan rpc.Frame{}, dead: make(chan struct{}),
		writeTimeout: r.opts.WriteTimeout}
	s.ctx, s.cancel = context.WithCancel(r.ctx)
	go r.read(s)
	return s, nil
}

// read hands the replies arriving on s to their callers and the
// notifications to subscribers, until the connection breaks.
func (r *Remote) read(s *session) {
	for {
		typ, b, err := s.conn.Read(s.ctx)
		if err != nil {
			s.fail(err)
			r.lost(s)
			return
		}
		if typ != websocket.MessageBinary {
			continue
		}
		f, err := rpc.ParseFrame(b)
		if err != nil {
			continue // a reply we cannot read: its caller times out with its context
		}
		if f.Kind == rpc.Notification {
			r.notify(f)
			continue
		}
		s.deliver(f)
	}
}

// lost forgets a broken connection; if subscriptions are open, a
// goroutine reconnects to renew them.
func (r *Remote) lost(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess == s {
		r.sess = nil
	}
	if !r.closed && len(r.subs) > 0 && !r.keeping {
		r.keeping = true
		go r.keepSubscribed()
	}
}

// RoundTrip sends a request frame (its id is replaced) and returns the
// reply frame, a Response or an Error. A request that could not be
// written on a connection found broken is sent once more on a new one.
func (r *Remote) RoundTrip(ctx context.Context, f rpc.Frame) (rpc.Frame, error) {
	if size := 9 + len(f.Body); size > rpc.MaxFrameSize {
		return rpc.Frame{}, fmt.Errorf("%w: %d bytes > %d", rpc.ErrFrameTooLarge, size, rpc.MaxFrameSize)
	}
	for attempt := 0; ; attempt++ {
		s, err := r.session(ctx)
		if err != nil {
			return rpc.Frame{}, err
		}
		f.ID = r.nextID.Add(1)
		reply, sent, err := s.roundTrip(ctx, f)
		if err == nil {
			return reply, nil
		}
		if !sent {
			r.lost(s)
		}
		if sent || attempt > 0 || ctx.Err() != nil {
			return rpc.Frame{}, fmt.Errorf("%s %s: %w", r.address, f.Kind, err)
		}
	}
}

// Call sends a request of kind k with body and decodes the reply into
// reply; an error reply is returned as a *rpc.RemoteError.
func (r *Remote) Call(ctx context.Context, k rpc.Kind, body codec.Encoder, reply codec.Decoder) error {
	rep, err := r.RoundTrip(ctx, rpc.NewRequest(k, 0, body))
	if err != nil {
		return err
	}
	return rpc.DecodeReply(rep, reply)
}

// HandleProposal implements Node.
func (r *Remote) HandleProposal(ctx context.Context, p *block.Proposal) (block.Vote, error) {
	var v block.Vote
	err := r.Call(ctx, rpc.Proposal, p, &v)
	return v, err
}

// HandleCertificate implements Node.
func (r *Remote) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	var o rpc.OptionalVote
	if err := r.Call(ctx, rpc.Certificate, c, &o); err != nil {
		return nil, err
	}
	return o.Vote, nil
}

// ChainInfo implements Node.
func (r *Remote) ChainInfo(ctx context.Context, id ids.ChainID) (*chain.Info, error) {
	var in chain.Info
	if err := r.Call(ctx, rpc.ChainInfo, rpc.ChainID{ID: id}, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// Certificates returns up to limit confirmed certificates of chain id from
// height from on, in order; fewer if the validator has fewer or the reply
// would be too large. None at all is an error wrapping rpc.ErrNotFound.
func (r *Remote) Certificates(ctx context.Context, id ids.ChainID, from uint64, limit uint32) ([]block.Certificate, error) {
	var l rpc.CertList
	if err := r.Call(ctx, rpc.Certificates, rpc.CertRange{Chain: id, From: from, Limit: limit}, &l); err != nil {
		return nil, err
	}
	return l.Certs, nil
}

// Certificate implements Node.
func (r *Remote) Certificate(ctx context.Context, id ids.ChainID, h uint64) (*block.Certificate, error) {
	certs, err := r.Certificates(ctx, id, h, 1)
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 || certs[0].Value.Height() != h {
		return nil, fmt.Errorf("%w: block %d of %s from %s", rpc.ErrNotFound, h, id.Short(), r.address)
	}
	return &certs[0], nil
}

// RequestTimeout implements Node.
func (r *Remote) RequestTimeout(ctx context.Context, id ids.ChainID, h uint64) (block.Vote, error) {
	var v block.Vote
	err := r.Call(ctx, rpc.Timeout, rpc.TimeoutRequest{Chain: id, Height: h}, &v)
	return v, err
}

// Update delivers a cross-chain update to the shard of its recipient. Only
// a shard's internal endpoint accepts it.
func (r *Remote) Update(ctx context.Context, u *chain.Update) error {
	return r.Call(ctx, rpc.Update, u, &rpc.Empty{})
}

// Ack delivers a cross-chain acknowledgement to the shard of its sender.
// Only a shard's internal endpoint accepts it.
func (r *Remote) Ack(ctx context.Context, a *chain.Ack) error {
	return r.Call(ctx, rpc.Ack, a, &rpc.Empty{})
}

// session is one WebSocket connection and the requests waiting on it.
type session struct {
	conn         *websocket.Conn
	ctx          context.Context
	cancel       context.CancelFunc
	writeTimeout time.Duration

	mu      sync.Mutex
	pending map[uint64]chan rpc.Frame
	dead    chan struct{} // closed by fail
	err     error
}

// roundTrip sends f and waits for its reply. sent reports whether f was
// written: a request not written may be retried on another connection.
func (s *session) roundTrip(ctx context.Context, f rpc.Frame) (reply rpc.Frame, sent bool, err error) {
	ch := make(chan rpc.Frame, 1)
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return rpc.Frame{}, false, fmt.Errorf("%w: connection lost: %w", rpc.ErrUnavailable, s.err)
	}
	s.pending[f.ID] = ch
	s.mu.Unlock()
	defer s.forget(f.ID)
	wctx, cancel := context.WithTimeout(s.ctx, s.writeTimeout)
	err = s.conn.Write(wctx, websocket.MessageBinary, f.Marshal())
	cancel()
	if err != nil {
		s.fail(err)
		return rpc.Frame{}, false, fmt.Errorf("%w: write: %w", rpc.ErrUnavailable, err)
	}
	select {
	case reply = <-ch:
		return reply, true, nil
	case <-s.dead:
		select {
		case reply = <-ch:
			return reply, true, nil
		default:
		}
		return rpc.Frame{}, true, fmt.Errorf("%w: connection lost: %w", rpc.ErrUnavailable, s.failure())
	case <-ctx.Done():
		return rpc.Frame{}, true, ctx.Err()
	}
}

func (s *session) forget(id uint64) {
	s.mu.Lock()
	delete(s.pending, id)
	s.mu.Unlock()
}

func (s *session) deliver(f rpc.Frame) {
	s.mu.Lock()
	ch, ok := s.pending[f.ID]
	delete(s.pending, f.ID)
	s.mu.Unlock()
	if ok {
		ch <- f // buffered: never blocks
	}
}

// fail breaks the connection once, waking every request waiting on it.
func (s *session) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	s.err = err
	close(s.dead)
	s.cancel()
	s.conn.CloseNow() //nolint:errcheck // the connection is being abandoned
}

func (s *session) alive() bool {
	select {
	case <-s.dead:
		return false
	default:
		return true
	}
}

func (s *session) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// UploadBlobs gives the validator blobs, one request per blob (a blob may
// use most of a frame).
func (r *Remote) UploadBlobs(ctx context.Context, blobs []app.Blob) error {
	for _, b := range blobs {
		if err := r.Call(ctx, rpc.UploadBlobs, rpc.BlobList{Blobs: []app.Blob{b}}, &rpc.Empty{}); err != nil {
			return fmt.Errorf("upload blob %s: %w", b.ID().Short(), err)
		}
	}
	return nil
}

// DownloadBlob fetches a blob from the validator.
func (r *Remote) DownloadBlob(ctx context.Context, id ids.BlobID) (app.Blob, error) {
	var b app.Blob
	if err := r.Call(ctx, rpc.DownloadBlob, rpc.BlobID{ID: id}, &b); err != nil {
		return app.Blob{}, fmt.Errorf("download blob %s: %w", id.Short(), err)
	}
	return b, nil
}
