package validator

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/rpc"
	client "github.com/myriadchain/myriad/node-client"
)

// reply is a request's outcome: the reply frame, and the effects to
// settle once it is sent (cross-chain updates, acknowledgements,
// notifications).
type reply struct {
	frame   rpc.Frame
	effects *chain.Effects
}

// handle answers one request frame. It never panics: a panic is logged,
// counted, and answered with rpc.ErrInternal. internal says the frame
// came on a shard's internal endpoint (Update and Ack are allowed).
func (s *Server) handle(ctx context.Context, f rpc.Frame, internal bool) (rep reply) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			s.metrics.panics.Add(1)
			s.log.Error("panic handling request", "kind", f.Kind, "panic", p, "stack", string(debug.Stack()))
			rep = reply{frame: rpc.NewError(f.ID, fmt.Errorf("%w: handling %s", rpc.ErrInternal, f.Kind))}
		}
		s.metrics.observe(f.Kind, time.Since(start), rep.frame.Kind == rpc.Error)
	}()
	rep, err := s.dispatch(ctx, f, internal)
	if err != nil {
		return reply{frame: rpc.NewError(f.ID, err)}
	}
	rep.frame.ID = f.ID
	return rep
}

// after settles a reply's effects once the reply is sent, with the
// Server's context (a client that hangs up does not cancel delivery).
func (s *Server) after(rep reply) {
	if rep.effects == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			s.metrics.panics.Add(1)
			s.log.Error("panic settling effects", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	s.settle(s.ctx, rep.effects)
}

// dispatch calls the handler of f's kind.
func (s *Server) dispatch(ctx context.Context, f rpc.Frame, internal bool) (reply, error) {
	switch f.Kind {
	case rpc.Proposal:
		return s.onProposal(ctx, f)
	case rpc.Certificate:
		return s.onCertificate(ctx, f)
	case rpc.ChainInfo:
		return s.onChainInfo(ctx, f)
	case rpc.Certificates:
		return s.onCertificates(ctx, f)
	case rpc.Timeout:
		return s.onTimeout(ctx, f)
	case rpc.Update, rpc.Ack:
		if !internal {
			return reply{}, fmt.Errorf("%w: %s frames are accepted only on a shard's internal endpoint", rpc.ErrUnknownKind, f.Kind)
		}
		if f.Kind == rpc.Update {
			return s.onUpdate(ctx, f)
		}
		return s.onAck(ctx, f)
	case rpc.Subscribe:
		return reply{}, fmt.Errorf("%w: subscribe needs a WebSocket connection", rpc.ErrUnknownKind)
	case rpc.UploadBlobs:
		return s.onUploadBlobs(ctx, f, internal)
	case rpc.DownloadBlob:
		return s.onDownloadBlob(ctx, f, internal)
	}
	return reply{}, fmt.Errorf("%w: %s is not a request", rpc.ErrUnknownKind, f.Kind)
}

// decode reads f's body into v.
func decode(f rpc.Frame, v codec.Decoder) error {
	if err := codec.Unmarshal(f.Body, v); err != nil {
		return fmt.Errorf("validator: decode %s: %w", f.Kind, err)
	}
	return nil
}

// forward sends f to the process running its chain's shard and returns
// that process's reply as is.
func (s *Server) forward(ctx context.Context, peer *client.Remote, f rpc.Frame) (reply, error) {
	r, err := peer.RoundTrip(ctx, f)
	if err != nil {
		return reply{}, err
	}
	return reply{frame: r}, nil
}

func response(body codec.Encoder, e *chain.Effects) reply {
	return reply{frame: rpc.NewResponse(0, body), effects: e}
}

func (s *Server) onProposal(ctx context.Context, f rpc.Frame) (reply, error) {
	var p block.Proposal
	if err := decode(f, &p); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(p.Block.Chain)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	v, e, err := sh.proposal(ctx, &p)
	if err != nil {
		return reply{}, err
	}
	return response(v, e), nil
}

func (s *Server) onCertificate(ctx context.Context, f rpc.Frame) (reply, error) {
	var c block.Certificate
	if err := decode(f, &c); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(c.Value.Chain())
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	v, e, err := sh.certificate(ctx, &c)
	if err != nil {
		return reply{}, err
	}
	return response(rpc.OptionalVote{Vote: v}, e), nil
}

func (s *Server) onChainInfo(ctx context.Context, f rpc.Frame) (reply, error) {
	var q rpc.ChainID
	if err := decode(f, &q); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(q.ID)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	in, err := sh.info(ctx, q.ID)
	if err != nil {
		return reply{}, err
	}
	return response(in, nil), nil
}

func (s *Server) onCertificates(ctx context.Context, f rpc.Frame) (reply, error) {
	var q rpc.CertRange
	if err := decode(f, &q); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(q.Chain)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	certs, err := sh.certificates(ctx, &q)
	if err != nil {
		return reply{}, err
	}
	return response(rpc.CertList{Certs: certs}, nil), nil
}

func (s *Server) onTimeout(ctx context.Context, f rpc.Frame) (reply, error) {
	var q rpc.TimeoutRequest
	if err := decode(f, &q); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(q.Chain)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	v, e, err := sh.timeout(ctx, &q)
	if err != nil {
		return reply{}, err
	}
	return response(v, e), nil
}

func (s *Server) onUpdate(ctx context.Context, f rpc.Frame) (reply, error) {
	var u chain.Update
	if err := decode(f, &u); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(u.Recipient)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	e, err := sh.update(ctx, &u)
	if err != nil {
		return reply{}, err
	}
	return response(rpc.Empty{}, e), nil
}

func (s *Server) onAck(ctx context.Context, f rpc.Frame) (reply, error) {
	var a chain.Ack
	if err := decode(f, &a); err != nil {
		return reply{}, err
	}
	sh, peer := s.route(a.Sender)
	if sh == nil {
		return s.forward(ctx, peer, f)
	}
	if err := sh.ack(ctx, &a); err != nil {
		return reply{}, err
	}
	return response(rpc.Empty{}, nil), nil
}

// subscribe registers sub for chains, subscribing upstream at the
// processes that run the shards of chains not local. If a shard cannot be
// reached, it returns an error wrapping rpc.ErrUnavailable (sub stays
// registered; subscribing again retries upstream).
func (s *Server) subscribe(sub subscriber, chains []ids.ChainID) error {
	fresh := s.hub.add(sub, chains, func(id ids.ChainID) bool { sh, _ := s.route(id); return sh == nil })
	byPeer := map[*client.Remote][]ids.ChainID{}
	for _, id := range fresh {
		_, peer := s.route(id)
		byPeer[peer] = append(byPeer[peer], id)
	}
	var first error
	for peer, chains := range byPeer {
		ch, err := peer.Subscribe(s.ctx, chains)
		if err != nil {
			s.hub.forgetUpstream(chains)
			if first == nil {
				first = fmt.Errorf("validator: subscribe at shard %s: %w", peer.Address(), err)
			}
			continue
		}
		go func() { // ends when Close closes the peer connection
			for n := range ch {
				s.hub.publish(n)
			}
		}()
	}
	return first
}

// MaxBlobBytes bounds an uploaded blob; publication applies the
// committee's (smaller or equal) MaxBlobSize.
const MaxBlobBytes = 8 << 20

// onUploadBlobs stores blobs a client gives before a block that publishes
// or uses them. Every shard reads blobs from its own store, so a process
// that does not run every shard passes an upload from a client on to its
// peers (never an upload that came from a peer).
func (s *Server) onUploadBlobs(ctx context.Context, f rpc.Frame, internal bool) (reply, error) {
	var l rpc.BlobList
	if err := decode(f, &l); err != nil {
		return reply{}, err
	}
	for _, b := range l.Blobs {
		if len(b.Bytes) > MaxBlobBytes {
			return reply{}, fmt.Errorf("%w: blob of %d bytes, the limit is %d", app.ErrTooLarge, len(b.Bytes), MaxBlobBytes)
		}
	}
	if s.store != nil {
		var w chain.Worker
		if err := s.store.Apply(ctx, &w.PutBlobs(l.Blobs).Batch); err != nil {
			return reply{}, fmt.Errorf("validator: store blobs: %w", err)
		}
	}
	if !internal {
		for _, p := range s.peers {
			if p == nil {
				continue
			}
			r, err := p.RoundTrip(ctx, f)
			if err == nil {
				err = rpc.DecodeReply(r, &rpc.Empty{})
			}
			if err != nil {
				return reply{}, fmt.Errorf("validator: pass blobs to a shard: %w", err)
			}
		}
	}
	return response(rpc.Empty{}, nil), nil
}

// onDownloadBlob returns a stored blob, asking the peer shards when this
// process lacks it.
func (s *Server) onDownloadBlob(ctx context.Context, f rpc.Frame, internal bool) (reply, error) {
	var q rpc.BlobID
	if err := decode(f, &q); err != nil {
		return reply{}, err
	}
	if s.store != nil {
		b, ok, err := chain.StoreBlobs{Store: s.store, Ctx: ctx}.Blob(q.ID)
		if err != nil {
			return reply{}, err
		}
		if ok {
			return response(b, nil), nil
		}
	}
	if !internal {
		for _, p := range s.peers {
			if p == nil {
				continue
			}
			r, err := p.RoundTrip(ctx, f)
			if err == nil && r.Kind == rpc.Response {
				return reply{frame: r}, nil
			}
		}
	}
	return reply{}, &app.BlobsNotFoundError{IDs: []ids.BlobID{q.ID}}
}
