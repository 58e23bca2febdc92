package chain

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/system"
	"github.com/myriadchain/myriad/core/views"
)

// Env is what executing user applications needs beyond a chain's state:
// the Wasm runtime and the blobs. A node without a VM executes system
// operations only, and refuses blocks that touch applications.
type Env struct {
	VM    app.VM
	Blobs app.BlobSource
}

// BlobPrefix is the key prefix of blobs in a node's store, beside the
// chains: BlobPrefix + blob id → the blob's canonical encoding.
const BlobPrefix = "b/"

// BlobKey returns the store key of a blob.
func BlobKey(id ids.BlobID) []byte { return append([]byte(BlobPrefix), id[:]...) }

// PutBlob adds a blob to a batch.
func PutBlob(b *kv.Batch, bl app.Blob) { b.Put(BlobKey(bl.ID()), codec.Marshal(bl)) }

// StoreBlobs reads blobs from a node's store.
type StoreBlobs struct {
	Store kv.Store
	Ctx   context.Context // nil: context.Background()
}

// Blob implements app.BlobSource.
func (s StoreBlobs) Blob(id ids.BlobID) (app.Blob, bool, error) {
	ctx := s.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	v, err := s.Store.Get(ctx, BlobKey(id))
	if errors.Is(err, kv.ErrNotFound) {
		return app.Blob{}, false, nil
	}
	if err != nil {
		return app.Blob{}, false, fmt.Errorf("chain: read blob %s: %w", id.Short(), err)
	}
	var bl app.Blob
	if err := codec.Unmarshal(v, &bl); err != nil {
		return app.Blob{}, false, fmt.Errorf("chain: stored blob %s: %w", id.Short(), err)
	}
	if bl.ID() != id {
		return app.Blob{}, false, fmt.Errorf("chain: stored blob %s has another content", id.Short())
	}
	return bl, true, nil
}

// Keys of application state, under the hashed prefix.
const (
	prefixRegistry = "x/apps/"
	prefixAppState = "x/app/"
)

func appPrefix(a ids.ApplicationID, part byte) []byte {
	k := make([]byte, 0, len(prefixAppState)+32+3)
	k = append(k, prefixAppState...)
	k = append(k, a[:]...)
	return append(k, '/', part, '/')
}

func appKey(a ids.ApplicationID, key []byte) []byte { return append(appPrefix(a, 's'), key...) }

func registryKey(a ids.ApplicationID) []byte { return append([]byte(prefixRegistry), a[:]...) }

func streamKey(a ids.ApplicationID, part byte, stream string) []byte {
	k := binary.BigEndian.AppendUint16(appPrefix(a, part), uint16(len(stream)))
	return append(k, stream...)
}

// Applications returns the applications known on the chain.
func (s *State) Applications() []ids.ApplicationID {
	var out []ids.ApplicationID
	s.Tx.Scan([]byte(prefixRegistry), func(k, _ []byte) bool {
		var id ids.ApplicationID
		copy(id[:], k[len(prefixRegistry):])
		out = append(out, id)
		return true
	})
	return out
}

// Application returns an application's description if the chain knows it.
func (s *State) Application(id ids.ApplicationID) (*app.Description, bool) {
	d, ok := views.Load[app.Description](s.Tx, registryKey(id))
	return &d, ok
}

// execution is the application side of executing one block.
type execution struct {
	s       *State
	b       *block.Block
	sc      *system.Context
	fees    *feeMeter
	fuel    app.Fuel
	seed    ids.Hash
	calls   uint32
	created uint32
	burnt   uint64 // fuel used by the block's transactions so far
	written uint64
	stack   []ids.ApplicationID
	onRun   func(ids.ApplicationID, app.Entry)
	events  []block.Event
	results []byte
}

func (s *State) newExecution(b *block.Block, sc *system.Context, fees *feeMeter) *execution {
	return &execution{s: s, b: b, sc: sc, fees: fees, fuel: app.Fuel{Left: fees.policy.MaxFuelPerBlock}}
}

func (x *execution) vm() (app.VM, error) {
	if x.s.Env.VM == nil || x.s.Env.Blobs == nil {
		return nil, app.ErrNoVM
	}
	return x.s.Env.VM, nil
}

// blob returns a blob created earlier in this block or stored on the node.
func (x *execution) blob(id ids.BlobID) (app.Blob, error) {
	for _, bl := range x.s.created {
		if bl.ID() == id {
			return bl, nil
		}
	}
	if x.s.Env.Blobs == nil {
		return app.Blob{}, app.ErrNoVM
	}
	bl, ok, err := x.s.Env.Blobs.Blob(id)
	if err != nil {
		return app.Blob{}, err
	}
	if !ok {
		return app.Blob{}, &app.BlobsNotFoundError{IDs: []ids.BlobID{id}}
	}
	return bl, nil
}

// publish executes PublishBlob: the blob must be on the node (it travels
// beside the block), within the size cap, and a module must pass the VM's
// checks.
func (x *execution) publish(id ids.BlobID) error {
	bl, err := x.blob(id)
	if err != nil {
		return err
	}
	if n := uint64(len(bl.Bytes)); n > x.fees.policy.MaxBlobSize {
		return fmt.Errorf("%w: blob %s is %d bytes, the cap is %d", app.ErrTooLarge, id.Short(), n, x.fees.policy.MaxBlobSize)
	}
	switch bl.Kind {
	case app.BlobContract, app.BlobService:
		vm, err := x.vm()
		if err != nil {
			return err
		}
		if err := vm.Check(bl.Kind, bl.Bytes); err != nil {
			return fmt.Errorf("publish %s %s: %w", bl.Kind, id.Short(), err)
		}
	case app.BlobDescription:
		return fmt.Errorf("%w: descriptions are published by creating an application", system.ErrInvalid)
	}
	return x.fees.charge(x.fees.policy.BlobByte, uint64(len(bl.Bytes)))
}

// load returns an application's description, registering it on the chain
// the first time the chain meets it (with the applications it requires).
func (x *execution) load(id ids.ApplicationID, depth int) (*app.Description, error) {
	if _, err := x.vm(); err != nil {
		return nil, err
	}
	if d, ok := x.s.Application(id); ok {
		return d, nil
	}
	if depth > app.MaxRequiredApps {
		return nil, fmt.Errorf("%w: required applications nest too deep", app.ErrUnknownApp)
	}
	bl, err := x.blob(id)
	if err != nil {
		return nil, fmt.Errorf("load application %s: %w", id.Short(), err)
	}
	var d app.Description
	if bl.Kind != app.BlobDescription || codec.Unmarshal(bl.Bytes, &d) != nil {
		return nil, fmt.Errorf("%w: blob %s is not an application description", app.ErrUnknownApp, id.Short())
	}
	views.Store[app.Description](x.s.Tx, registryKey(id), d)
	for _, r := range d.Required {
		if _, err := x.load(r, depth+1); err != nil {
			return nil, err
		}
	}
	return &d, nil
}

// createApplication executes CreateApplication for the block's signer (or
// an application's create_application call).
func (x *execution) createApplication(req *app.CreateRequest, signer ids.Owner, caller ids.ApplicationID) (ids.ApplicationID, error) {
	if _, err := x.vm(); err != nil {
		return ids.ApplicationID{}, err
	}
	var missing []ids.BlobID
	for i, id := range []ids.BlobID{req.Module.Contract, req.Module.Service} {
		bl, err := x.blob(id)
		if m := app.MissingBlobs(err); m != nil {
			missing = append(missing, m...)
			continue
		}
		if err != nil {
			return ids.ApplicationID{}, err
		}
		if want := []app.BlobKind{app.BlobContract, app.BlobService}[i]; bl.Kind != want {
			return ids.ApplicationID{}, fmt.Errorf("%w: blob %s is a %s, not a %s", app.ErrBadModule, id.Short(), bl.Kind, want)
		}
	}
	if len(missing) > 0 {
		return ids.ApplicationID{}, &app.BlobsNotFoundError{IDs: missing}
	}
	d := app.Description{
		Module: req.Module, Creator: x.s.ID, Height: x.b.Height, Index: x.created,
		Parameters: req.Parameters, Required: req.Required,
	}
	x.created++
	id := d.ID()
	for _, r := range d.Required {
		if _, err := x.load(r, 1); err != nil {
			return ids.ApplicationID{}, err
		}
	}
	x.s.created = append(x.s.created, d.Blob())
	views.Store[app.Description](x.s.Tx, registryKey(id), d)
	f := x.frame(id, &d, app.Context{Signer: signer, Caller: caller})
	if _, err := x.run(f, app.EntryInstantiate, req.Argument); err != nil {
		return ids.ApplicationID{}, fmt.Errorf("instantiate %s: %w", id.Short(), err)
	}
	return id, nil
}

func (x *execution) frame(id ids.ApplicationID, d *app.Description, c app.Context) *frame {
	c.Chain, c.Height, c.Timestamp, c.App, c.Creator = x.s.ID, x.b.Height, x.b.Timestamp, id, d.Creator
	return &frame{x: x, desc: d, ctx: c}
}

// run executes an entry point of f's contract, refusing reentrancy.
func (x *execution) run(f *frame, e app.Entry, input []byte) ([]byte, error) {
	vm, err := x.vm()
	if err != nil {
		return nil, err
	}
	if slices.Contains(x.stack, f.ctx.App) {
		return nil, fmt.Errorf("%w: %s is already running", app.ErrReentrant, f.ctx.App.Short())
	}
	if len(x.stack) >= app.MaxCallDepth {
		return nil, app.ErrCallDepth
	}
	x.stack = append(x.stack, f.ctx.App)
	if x.onRun != nil {
		x.onRun(f.ctx.App, e)
	}
	defer func() { x.stack = x.stack[:len(x.stack)-1] }()
	if x.seed.IsZero() {
		x.seed = ids.Of("app-seed", x.b)
	}
	x.calls++
	var w codec.Writer
	x.seed.Encode(&w)
	w.U32(x.calls)
	run := &app.Run{
		Module: f.desc.Module,
		Code: func() ([]byte, error) {
			bl, err := x.blob(f.desc.Module.Contract)
			return bl.Bytes, err
		},
		Entry: e, Input: input, Seed: ids.Sum("call-seed", w.Data()), Fuel: &x.fuel,
	}
	out, err := vm.Contract(run, f)
	if err != nil {
		return nil, fmt.Errorf("application %s %s: %w", f.ctx.App.Short(), e, err)
	}
	return out, x.s.Tx.Err()
}

// operation executes a user application's operation.
func (x *execution) operation(op *block.Operation) ([]byte, error) {
	d, err := x.load(op.App, 0)
	if err != nil {
		return nil, err
	}
	return x.run(x.frame(op.App, d, app.Context{Signer: x.b.Signer}), app.EntryOperation, op.Bytes)
}

// message executes an incoming user application message.
func (x *execution) message(origin ids.ChainID, pm *block.PostedMessage) error {
	var env app.Envelope
	if err := codec.Unmarshal(pm.Message.Bytes, &env); err != nil {
		return fmt.Errorf("%w: application message: %w", app.ErrBadRequest, err)
	}
	a := pm.Message.App
	d, err := x.load(a, 0)
	if err != nil {
		return err
	}
	switch env.Kind {
	case app.EnvSubscribe, app.EnvUnsubscribe:
		if pm.Kind == block.Bouncing {
			return nil
		}
		k := append(streamKey(a, 'u', env.Stream), origin[:]...)
		if env.Kind == app.EnvSubscribe {
			x.s.Tx.Put(k, nil)
		} else {
			x.s.Tx.Delete(k)
		}
		return nil
	}
	c := app.Context{Signer: pm.Signer, Origin: origin, IsBouncing: pm.Kind == block.Bouncing}
	if env.Kind == app.EnvEvent {
		c.Event, c.EventStream, c.EventIndex = true, env.Stream, env.Index
	}
	_, err = x.run(x.frame(a, d, c), app.EntryMessage, env.Payload)
	return err
}

// chargeFuel turns the fuel a transaction used into fees.
func (x *execution) chargeFuel() error {
	used := x.fuel.Used
	x.fuel.Used = 0
	x.burnt += used
	return x.fees.charge(x.fees.policy.Fuel, used)
}

// frame is one running contract: it implements app.ContractHost.
type frame struct {
	x    *execution
	desc *app.Description
	ctx  app.Context
}

var _ app.ContractHost = (*frame)(nil)

func (f *frame) Context() app.Context { return f.ctx }

func (f *frame) Parameters() []byte { return f.desc.Parameters }

func checkKey(key []byte) error {
	if len(key) > app.MaxKeySize {
		return fmt.Errorf("%w: key of %d bytes", app.ErrTooLarge, len(key))
	}
	return nil
}

func (f *frame) Read(key []byte) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	v, ok := f.x.s.Tx.Get(appKey(f.ctx.App, key))
	if err := f.x.fees.charge(f.x.fees.policy.ByteRead, uint64(len(key)+len(v))); err != nil {
		return nil, false, err
	}
	return v, ok, f.x.s.Tx.Err()
}

func (f *frame) Scan(prefix []byte) ([]app.KV, error) {
	if err := checkKey(prefix); err != nil {
		return nil, err
	}
	return scanApp(f.x.s.Tx, f.ctx.App, prefix, func(n int) error {
		return f.x.fees.charge(f.x.fees.policy.ByteRead, uint64(n))
	})
}

func scanApp(tx *views.Tx, a ids.ApplicationID, prefix []byte, charge func(int) error) ([]app.KV, error) {
	base := len(appPrefix(a, 's'))
	var out []app.KV
	var err error
	tx.Scan(appKey(a, prefix), func(k, v []byte) bool {
		if len(out) == app.MaxScanResults {
			err = fmt.Errorf("%w: a scan returns at most %d keys", app.ErrTooLarge, app.MaxScanResults)
			return false
		}
		if err = charge(len(k) + len(v)); err != nil {
			return false
		}
		out = append(out, app.KV{Key: k[base:], Value: v})
		return true
	})
	if err == nil {
		err = tx.Err()
	}
	return out, err
}

func (f *frame) ReadBlob(id ids.BlobID) ([]byte, error) {
	bl, err := f.x.blob(id)
	if err != nil {
		return nil, err
	}
	if bl.Kind != app.BlobData {
		return nil, fmt.Errorf("%w: blob %s is a %s, not data", app.ErrBadRequest, id.Short(), bl.Kind)
	}
	if err := f.x.fees.charge(f.x.fees.policy.ByteRead, uint64(len(bl.Bytes))); err != nil {
		return nil, err
	}
	return bl.Bytes, nil
}

func (f *frame) Write(key, value []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > app.MaxValueSize {
		return fmt.Errorf("%w: value of %d bytes", app.ErrTooLarge, len(value))
	}
	n := uint64(len(key) + len(value))
	f.x.written += n
	if f.x.written > f.x.fees.policy.MaxBytesWritten {
		return fmt.Errorf("%w: the block writes more than %d bytes", app.ErrTooLarge, f.x.fees.policy.MaxBytesWritten)
	}
	if err := f.x.fees.charge(f.x.fees.policy.ByteWritten, n); err != nil {
		return err
	}
	f.x.s.Tx.Put(appKey(f.ctx.App, key), value)
	return nil
}

func (f *frame) Delete(key []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	f.x.s.Tx.Delete(appKey(f.ctx.App, key))
	return nil
}

func (f *frame) sendEnvelope(to ids.ChainID, kind block.MessageKind, signer ids.Owner, env app.Envelope) error {
	if to == f.x.s.ID {
		return fmt.Errorf("%w: a chain cannot send a message to itself; call the application instead", app.ErrBadRequest)
	}
	if to.IsZero() {
		return fmt.Errorf("%w: no destination chain", app.ErrBadRequest)
	}
	f.x.sc.Outgoing = append(f.x.sc.Outgoing, block.OutgoingMessage{
		Destination: to, Signer: signer, Kind: kind,
		Message: block.Message{App: f.ctx.App, Bytes: codec.Marshal(env)},
	})
	return nil
}

func (f *frame) Send(s app.SendRequest) error {
	kind, signer := block.Simple, ids.Owner{}
	if s.Tracked {
		kind = block.Tracked
	}
	if s.Authenticated {
		signer = f.ctx.Signer
	}
	return f.sendEnvelope(s.Destination, kind, signer, app.Envelope{Kind: app.EnvUser, Payload: s.Message})
}

// system runs a system operation as signer, collecting its messages.
func (f *frame) system(signer ids.Owner, op system.Operation) error {
	return asSigner(f.x.sc, signer, func(sc *system.Context) error { return f.x.s.System.Execute(sc, op) })
}

// asSigner runs fn with sc's signer set to signer, restoring it after.
func asSigner(sc *system.Context, signer ids.Owner, fn func(*system.Context) error) error {
	saved := sc.Signer
	sc.Signer = signer
	defer func() { sc.Signer = saved }()
	return fn(sc)
}

func (f *frame) Transfer(t app.TransferRequest) error {
	signer := f.ctx.Signer
	if t.Source == app.AccountOwner(f.ctx.App) {
		signer = t.Source
	} else if t.Source != f.ctx.Signer || signer.IsZero() {
		return fmt.Errorf("%w: %s may not debit %s", app.ErrUnauthorized, f.ctx.App.Short(), t.Source.Short())
	}
	return f.system(signer, system.Operation{Kind: system.OpTransfer, Owner: t.Source, Recipient: t.Recipient, Amount: t.Amount})
}

func (f *frame) Claim(c app.ClaimRequest) error {
	if f.ctx.Signer.IsZero() || c.Source.Owner != f.ctx.Signer {
		return fmt.Errorf("%w: only the authenticated signer may claim from its account", app.ErrUnauthorized)
	}
	return f.system(f.ctx.Signer, system.Operation{Kind: system.OpClaim, Owner: c.Source.Owner,
		Target: c.Source.Chain, Recipient: c.Recipient, Amount: c.Amount})
}

func (f *frame) Emit(stream string, value []byte) error {
	if len(stream) == 0 || len(stream) > app.MaxStreamName {
		return fmt.Errorf("%w: stream name of %d bytes", app.ErrBadRequest, len(stream))
	}
	if len(value) > app.MaxValueSize {
		return fmt.Errorf("%w: event of %d bytes", app.ErrTooLarge, len(value))
	}
	a := f.ctx.App
	counter := views.Register[countU32, *countU32]{Tx: f.x.s.Tx, Key: streamKey(a, 'e', stream)}
	n := counter.Get()
	counter.Set(countU32{n.v + 1})
	f.x.events = append(f.x.events, block.Event{Stream: block.StreamID{App: a, Name: stream}, Index: n.v, Value: value})
	subs := streamKey(a, 'u', stream)
	var chains []ids.ChainID
	f.x.s.Tx.Scan(subs, func(k, _ []byte) bool {
		if len(k) == len(subs)+32 {
			var c ids.ChainID
			copy(c[:], k[len(subs):])
			chains = append(chains, c)
		}
		return true
	})
	for _, c := range chains {
		env := app.Envelope{Kind: app.EnvEvent, Stream: stream, Index: n.v, Payload: value}
		if err := f.sendEnvelope(c, block.Simple, ids.Owner{}, env); err != nil {
			return err
		}
	}
	return f.x.s.Tx.Err()
}

type countU32 struct{ v uint32 }

func (c countU32) Encode(w *codec.Writer)  { w.U32(c.v) }
func (c *countU32) Decode(r *codec.Reader) { c.v = r.U32() }

func (f *frame) Subscribe(s app.SubscribeRequest) error {
	if len(s.Stream) == 0 || len(s.Stream) > app.MaxStreamName {
		return fmt.Errorf("%w: stream name of %d bytes", app.ErrBadRequest, len(s.Stream))
	}
	kind := app.EnvSubscribe
	if s.Unsubscribe {
		kind = app.EnvUnsubscribe
	}
	return f.sendEnvelope(s.Chain, block.Simple, ids.Owner{}, app.Envelope{Kind: kind, Stream: s.Stream})
}

func (f *frame) Call(c app.CallRequest) ([]byte, error) {
	d, err := f.x.load(c.App, 0)
	if err != nil {
		return nil, err
	}
	ctx := app.Context{Caller: f.ctx.App}
	if c.Authenticated {
		ctx.Signer = f.ctx.Signer
	}
	return f.x.run(f.x.frame(c.App, d, ctx), app.EntryOperation, c.Argument)
}

func (f *frame) CreateApplication(c app.CreateRequest) (ids.ApplicationID, error) {
	return f.x.createApplication(&c, f.ctx.Signer, f.ctx.App)
}

func (f *frame) OpenChain(o app.OpenChainRequest) (ids.ChainID, error) {
	if err := o.Ownership.Validate(); err != nil {
		return ids.ChainID{}, fmt.Errorf("%w: %w", app.ErrBadRequest, err)
	}
	signer := f.ctx.Signer
	if !o.Balance.IsZero() && signer.IsZero() {
		return ids.ChainID{}, fmt.Errorf("%w: funding a chain needs an authenticated owner", app.ErrUnauthorized)
	}
	var child ids.ChainID
	err := asSigner(f.x.sc, signer, func(sc *system.Context) (err error) {
		child, err = f.x.s.System.OpenChild(sc, o.Ownership, o.Balance)
		return err
	})
	return child, err
}

func (f *frame) Query(app.QueryRequest) ([]byte, error) {
	return nil, fmt.Errorf("%w: contracts cannot query services", app.ErrBadRequest)
}

func (f *frame) Schedule([]byte) error {
	return fmt.Errorf("%w: contracts cannot schedule operations", app.ErrBadRequest)
}

func (f *frame) Log(uint8, string) {}
