package sdktest

import (
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// tx is one transaction (block) of a chain.
type tx struct {
	c     *Chain
	stack []ids.ApplicationID
	out   map[ids.ChainID][]message
	order []ids.ChainID
}

func (t *tx) send(to ids.ChainID, m message) error {
	if to == t.c.ID {
		return fmt.Errorf("%w: a chain cannot send a message to itself", app.ErrBadRequest)
	}
	if to.IsZero() {
		return fmt.Errorf("%w: no destination chain", app.ErrBadRequest)
	}
	if _, ok := t.out[to]; !ok {
		t.order = append(t.order, to)
	}
	t.out[to] = append(t.out[to], m)
	return nil
}

func (t *tx) frame(a ids.ApplicationID, ctx app.Context) (*frame, error) {
	ap, err := t.c.net.app(a)
	if err != nil {
		return nil, err
	}
	c := t.c
	ctx.Chain, ctx.Height, ctx.Timestamp, ctx.App, ctx.Creator = c.ID, c.Height, c.Timestamp, a, ap.desc.Creator
	return &frame{t: t, app: ap, ctx: ctx, store: store{c, a}}, nil
}

// run runs an entry point of f's contract, refusing reentrancy.
func (t *tx) run(f *frame, entry func(app.ContractHost, contract.Contract) ([]byte, error)) ([]byte, error) {
	if slices.Contains(t.stack, f.ctx.App) {
		return nil, fmt.Errorf("%w: %s is already running", app.ErrReentrant, f.ctx.App.Short())
	}
	if len(t.stack) >= app.MaxCallDepth {
		return nil, app.ErrCallDepth
	}
	if f.app.module.contract == nil {
		return nil, fmt.Errorf("sdktest: application %s was published without a contract", f.ctx.App.Short())
	}
	t.stack = append(t.stack, f.ctx.App)
	defer func() { t.stack = t.stack[:len(t.stack)-1] }()
	return entry(f, f.app.module.contract)
}

func (t *tx) create(req app.CreateRequest, signer ids.Owner, caller ids.ApplicationID) (ids.ApplicationID, error) {
	n := t.c.net
	mod, ok := n.modules[req.Module]
	if !ok {
		return ids.ApplicationID{}, fmt.Errorf("%w: module not published", app.ErrBlobsNotFound)
	}
	d := app.Description{Module: req.Module, Creator: t.c.ID, Height: t.c.Height, Index: t.c.created,
		Parameters: req.Parameters, Required: req.Required}
	t.c.created++
	id := d.ID()
	n.apps[id] = &application{id: id, desc: d, module: mod}
	if mod.contract == nil { // a service-only test
		return id, nil
	}
	f, err := t.frame(id, app.Context{Signer: signer, Caller: caller})
	if err != nil {
		return id, err
	}
	_, err = t.run(f, func(h app.ContractHost, k contract.Contract) ([]byte, error) {
		return nil, contract.Instantiate(k, h, req.Argument)
	})
	if err != nil {
		delete(n.apps, id)
		return id, fmt.Errorf("instantiate: %w", err)
	}
	return id, nil
}

// receive executes one incoming message.
func (t *tx) receive(origin ids.ChainID, m *message) error {
	if m.app.IsZero() {
		return t.receiveSystem(m)
	}
	switch m.env.Kind {
	case app.EnvSubscribe, app.EnvUnsubscribe:
		if m.kind == bouncing {
			return nil
		}
		k := streamKey(m.app, m.env.Stream) + string(origin[:])
		if m.env.Kind == app.EnvSubscribe {
			t.c.subs[k] = true
		} else {
			delete(t.c.subs, k)
		}
		return nil
	}
	ctx := app.Context{Signer: m.signer, Origin: origin, IsBouncing: m.kind == bouncing}
	if m.env.Kind == app.EnvEvent {
		ctx.Event, ctx.EventStream, ctx.EventIndex = true, m.env.Stream, m.env.Index
	}
	f, err := t.frame(m.app, ctx)
	if err != nil {
		return err
	}
	_, err = t.run(f, func(h app.ContractHost, k contract.Contract) ([]byte, error) {
		return nil, contract.ExecuteMessage(k, h, m.env.Payload)
	})
	return err
}

func (t *tx) receiveSystem(m *message) error {
	s := m.sys
	switch {
	case s.kind == sysCredit && m.kind == bouncing:
		return t.credit(s.source, s.amount)
	case s.kind == sysCredit:
		return t.credit(s.owner, s.amount)
	case m.kind == bouncing:
		return nil
	}
	if m.signer != s.owner || s.owner.IsZero() {
		return fmt.Errorf("%w: withdraw not signed by its owner", app.ErrUnauthorized)
	}
	if err := t.debit(s.owner, s.amount); err != nil {
		return err
	}
	return t.creditOrSend(s.recipient, ids.Owner{}, s.amount)
}

func (t *tx) credit(o ids.Owner, a sdk.Amount) error {
	sum, err := t.c.balances[o].Add(a)
	if err != nil {
		return err
	}
	t.c.balances[o] = sum
	return nil
}

func (t *tx) debit(o ids.Owner, a sdk.Amount) error {
	rest, err := t.c.balances[o].Sub(a)
	if err != nil {
		return fmt.Errorf("sdktest: insufficient balance: %s has %s, needs %s", o.Short(), t.c.balances[o], a)
	}
	t.c.balances[o] = rest
	return nil
}

func (t *tx) creditOrSend(to ids.Account, source ids.Owner, a sdk.Amount) error {
	if to.Chain == t.c.ID {
		return t.credit(to.Owner, a)
	}
	return t.send(to.Chain, message{kind: tracked, sys: sysMessage{kind: sysCredit, owner: to.Owner, source: source, amount: a}})
}

// frame is a running contract: it implements app.ContractHost.
type frame struct {
	t   *tx
	app *application
	ctx app.Context
	store
}

var _ app.ContractHost = (*frame)(nil)

func (f *frame) Context() app.Context { return f.ctx }

func (f *frame) Parameters() []byte { return f.app.desc.Parameters }

func (f *frame) Read(key []byte) ([]byte, bool, error) {
	v, ok := f.store.Read(key)
	return v, ok, nil
}

func (f *frame) Scan(prefix []byte) ([]app.KV, error) { return f.store.Scan(prefix), nil }

func (f *frame) ReadBlob(id ids.BlobID) ([]byte, error) { return f.t.c.net.readBlob(id) }

func (f *frame) Write(key, value []byte) error {
	if len(key) > app.MaxKeySize || len(value) > app.MaxValueSize {
		return app.ErrTooLarge
	}
	f.store.Write(key, value)
	return nil
}

func (f *frame) Delete(key []byte) error {
	f.store.Delete(key)
	return nil
}

func (f *frame) Query(app.QueryRequest) ([]byte, error) {
	return nil, fmt.Errorf("%w: contracts cannot query services", app.ErrBadRequest)
}

func (f *frame) Schedule([]byte) error {
	return fmt.Errorf("%w: contracts cannot schedule operations", app.ErrBadRequest)
}

func (f *frame) Log(level uint8, msg string) {
	f.t.c.Logs = append(f.t.c.Logs, fmt.Sprintf("%d %s: %s", level, f.ctx.App.Short(), msg))
}

func (f *frame) Send(s app.SendRequest) error {
	m := message{kind: simple, app: f.ctx.App, env: app.Envelope{Kind: app.EnvUser, Payload: s.Message}}
	if s.Tracked {
		m.kind = tracked
	}
	if s.Authenticated {
		m.signer = f.ctx.Signer
	}
	if err := f.t.send(s.Destination, m); err != nil {
		return err
	}
	f.t.c.Sent = append(f.t.c.Sent, Sent{f.ctx.App, s.Destination, s.Tracked, s.Authenticated, s.Message})
	return nil
}

func (f *frame) Transfer(r app.TransferRequest) error {
	if r.Source != app.AccountOwner(f.ctx.App) && (r.Source != f.ctx.Signer || r.Source.IsZero()) {
		return fmt.Errorf("%w: %s may not debit %s", app.ErrUnauthorized, f.ctx.App.Short(), r.Source.Short())
	}
	if err := f.t.debit(r.Source, r.Amount); err != nil {
		return err
	}
	if err := f.t.creditOrSend(r.Recipient, r.Source, r.Amount); err != nil {
		return err
	}
	f.t.c.Transfers = append(f.t.c.Transfers, r)
	return nil
}

func (f *frame) Claim(r app.ClaimRequest) error {
	if f.ctx.Signer.IsZero() || r.Source.Owner != f.ctx.Signer {
		return fmt.Errorf("%w: only the authenticated signer may claim from its account", app.ErrUnauthorized)
	}
	m := message{kind: simple, signer: f.ctx.Signer,
		sys: sysMessage{kind: sysWithdraw, owner: r.Source.Owner, recipient: r.Recipient, amount: r.Amount}}
	if r.Source.Chain == f.t.c.ID {
		if err := f.t.receiveSystem(&m); err != nil {
			return err
		}
	} else if err := f.t.send(r.Source.Chain, m); err != nil {
		return err
	}
	f.t.c.Claims = append(f.t.c.Claims, r)
	return nil
}

func (f *frame) Emit(stream string, value []byte) error {
	if len(stream) == 0 || len(stream) > app.MaxStreamName {
		return fmt.Errorf("%w: stream name of %d bytes", app.ErrBadRequest, len(stream))
	}
	c := f.t.c
	sk := streamKey(f.ctx.App, stream)
	i := c.streams[sk]
	c.streams[sk] = i + 1
	c.Events = append(c.Events, Event{f.ctx.App, stream, i, value})
	for _, k := range sortedKeys(c.subs) {
		if len(k) == len(sk)+32 && k[:len(sk)] == sk {
			env := app.Envelope{Kind: app.EnvEvent, Stream: stream, Index: i, Payload: value}
			if err := f.t.send(ids.ChainID([]byte(k[len(sk):])), message{app: f.ctx.App, env: env}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *frame) Subscribe(s app.SubscribeRequest) error {
	if len(s.Stream) == 0 || len(s.Stream) > app.MaxStreamName {
		return fmt.Errorf("%w: stream name of %d bytes", app.ErrBadRequest, len(s.Stream))
	}
	k := app.EnvSubscribe
	if s.Unsubscribe {
		k = app.EnvUnsubscribe
	}
	return f.t.send(s.Chain, message{app: f.ctx.App, env: app.Envelope{Kind: k, Stream: s.Stream}})
}

func (f *frame) Call(r app.CallRequest) ([]byte, error) {
	ctx := app.Context{Caller: f.ctx.App}
	if r.Authenticated {
		ctx.Signer = f.ctx.Signer
	}
	g, err := f.t.frame(r.App, ctx)
	if err != nil {
		return nil, err
	}
	return f.t.run(g, func(h app.ContractHost, k contract.Contract) ([]byte, error) {
		return contract.ExecuteOperation(k, h, r.Argument)
	})
}

func (f *frame) CreateApplication(r app.CreateRequest) (ids.ApplicationID, error) {
	return f.t.create(r, f.ctx.Signer, f.ctx.App)
}

// OpenChain opens a chain on the network, funded from this chain's
// account. Its id is derived from this chain, its height and a counter.
func (f *frame) OpenChain(r app.OpenChainRequest) (ids.ChainID, error) {
	if err := r.Ownership.Validate(); err != nil {
		return ids.ChainID{}, fmt.Errorf("%w: %w", app.ErrBadRequest, err)
	}
	c := f.t.c
	if err := f.t.debit(ids.Owner{}, r.Balance); err != nil {
		return ids.ChainID{}, err
	}
	var w codec.Writer
	c.ID.Encode(&w)
	w.U64(c.Height)
	w.U32(c.created)
	c.created++
	id := ids.Sum("sdktest-child", w.Data())
	child := c.net.addChain(id, r.Ownership)
	child.Timestamp = c.Timestamp
	child.balances[ids.Owner{}] = r.Balance
	return id, nil
}

// serviceHost is a running service: it implements app.ServiceHost.
type serviceHost struct {
	c         *Chain
	app       *application
	scheduled [][]byte
	depth     int
}

func (s *serviceHost) query(a ids.ApplicationID, q []byte) ([]byte, error) {
	ap, err := s.c.net.app(a)
	if err != nil {
		return nil, err
	}
	if ap.module.service == nil {
		return nil, fmt.Errorf("sdktest: application %s was published without a service", a.Short())
	}
	if s.depth >= app.MaxCallDepth {
		return nil, app.ErrCallDepth
	}
	inner := &serviceHost{c: s.c, app: ap, depth: s.depth + 1}
	out, err := serviceQuery(ap, inner, q)
	if s.app == nil { // the outermost query keeps what it scheduled
		s.scheduled = inner.scheduled
	}
	return out, err
}

func (s *serviceHost) Context() app.Context {
	c := s.c
	return app.Context{Chain: c.ID, Height: c.Height, Timestamp: c.Timestamp, App: s.app.id, Creator: s.app.desc.Creator}
}

func (s *serviceHost) Parameters() []byte { return s.app.desc.Parameters }

func (s *serviceHost) Read(key []byte) ([]byte, bool, error) {
	v, ok := store{s.c, s.app.id}.Read(key)
	return v, ok, nil
}

func (s *serviceHost) Scan(prefix []byte) ([]app.KV, error) {
	return store{s.c, s.app.id}.Scan(prefix), nil
}

func (s *serviceHost) Query(q app.QueryRequest) ([]byte, error) { return s.query(q.App, q.Query) }

func (s *serviceHost) ReadBlob(id ids.BlobID) ([]byte, error) { return s.c.net.readBlob(id) }

func (s *serviceHost) Schedule(op []byte) error {
	s.scheduled = append(s.scheduled, op)
	return nil
}

func (s *serviceHost) Log(level uint8, msg string) {
	s.c.Logs = append(s.c.Logs, fmt.Sprintf("%d %s: %s", level, s.app.id.Short(), msg))
}
