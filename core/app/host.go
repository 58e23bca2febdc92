package app

import (
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// Entry is a contract entry point.
type Entry uint8

// Contract entry points. A synchronous call from another application runs
// the callee's EntryOperation with the caller set in its Context.
const (
	EntryInstantiate Entry = iota
	EntryOperation
	EntryMessage
)

var entryNames = [...]string{"instantiate", "execute_operation", "execute_message"}

func (e Entry) String() string {
	if int(e) < len(entryNames) {
		return entryNames[e]
	}
	return "?"
}

// Context is what a contract or service knows about the call it runs in.
type Context struct {
	Chain       ids.ChainID
	Height      uint64
	Timestamp   uint64 // microseconds, the block's
	App         ids.ApplicationID
	Signer      ids.Owner         // the authenticated owner, zero if none
	Caller      ids.ApplicationID // the authenticated calling application, zero if none
	Origin      ids.ChainID       // the sending chain of a message, zero otherwise
	IsBouncing  bool              // the message is coming back rejected
	Event       bool              // the message delivers an event of a stream
	EventStream string
	EventIndex  uint32
	Creator     ids.ChainID // where the application was created
}

// Encode writes c.
func (c Context) Encode(w *codec.Writer) {
	c.Chain.Encode(w)
	w.U64(c.Height)
	w.U64(c.Timestamp)
	c.App.Encode(w)
	c.Signer.Encode(w)
	c.Caller.Encode(w)
	c.Origin.Encode(w)
	w.Bool(c.IsBouncing)
	w.Bool(c.Event)
	w.String(c.EventStream)
	w.U32(c.EventIndex)
	c.Creator.Encode(w)
}

// Decode reads c.
func (c *Context) Decode(r *codec.Reader) {
	c.Chain.Decode(r)
	c.Height = r.U64()
	c.Timestamp = r.U64()
	c.App.Decode(r)
	c.Signer.Decode(r)
	c.Caller.Decode(r)
	c.Origin.Decode(r)
	c.IsBouncing = r.Bool()
	c.Event = r.Bool()
	c.EventStream = r.String(MaxStreamName)
	c.EventIndex = r.U32()
	c.Creator.Decode(r)
}

// KV is a key and its value, as returned by a scan.
type KV struct {
	Key, Value []byte
}

// EncodeKVs writes a scan result.
func EncodeKVs(w *codec.Writer, kvs []KV) {
	codec.WriteList(w, kvs, func(w *codec.Writer, kv KV) {
		w.Bytes(kv.Key)
		w.Bytes(kv.Value)
	})
}

// DecodeKVs reads a scan result.
func DecodeKVs(r *codec.Reader) []KV {
	return codec.List(r, MaxScanResults, 8, func(r *codec.Reader) KV {
		return KV{Key: r.Bytes(MaxKeySize), Value: r.Bytes(MaxValueSize)}
	})
}

// SendRequest asks to send a message to the same application on another
// chain.
type SendRequest struct {
	Destination   ids.ChainID
	Authenticated bool // carry the current authenticated signer
	Tracked       bool // bounce back if rejected
	Message       []byte
}

// Encode writes s.
func (s SendRequest) Encode(w *codec.Writer) {
	s.Destination.Encode(w)
	w.Bool(s.Authenticated)
	w.Bool(s.Tracked)
	w.Bytes(s.Message)
}

// Decode reads s.
func (s *SendRequest) Decode(r *codec.Reader) {
	s.Destination.Decode(r)
	s.Authenticated = r.Bool()
	s.Tracked = r.Bool()
	s.Message = r.Bytes(MaxValueSize)
}

// TransferRequest moves native tokens from an account the application may
// debit: the authenticated signer's, or the application's own (Source =
// AccountOwner(app)).
type TransferRequest struct {
	Source    ids.Owner
	Recipient ids.Account
	Amount    Amount
}

// Encode writes t.
func (t TransferRequest) Encode(w *codec.Writer) {
	t.Source.Encode(w)
	t.Recipient.Encode(w)
	t.Amount.Encode(w)
}

// Decode reads t.
func (t *TransferRequest) Decode(r *codec.Reader) {
	t.Source.Decode(r)
	t.Recipient.Decode(r)
	t.Amount.Decode(r)
}

// ClaimRequest takes native tokens from the signer's account on another
// chain.
type ClaimRequest struct {
	Source    ids.Account
	Recipient ids.Account
	Amount    Amount
}

// Encode writes c.
func (c ClaimRequest) Encode(w *codec.Writer) {
	c.Source.Encode(w)
	c.Recipient.Encode(w)
	c.Amount.Encode(w)
}

// Decode reads c.
func (c *ClaimRequest) Decode(r *codec.Reader) {
	c.Source.Decode(r)
	c.Recipient.Decode(r)
	c.Amount.Decode(r)
}

// CallRequest calls another application on the same chain synchronously.
type CallRequest struct {
	App           ids.ApplicationID
	Authenticated bool // pass the signer on to the callee
	Argument      []byte
}

// Encode writes c.
func (c CallRequest) Encode(w *codec.Writer) {
	c.App.Encode(w)
	w.Bool(c.Authenticated)
	w.Bytes(c.Argument)
}

// Decode reads c.
func (c *CallRequest) Decode(r *codec.Reader) {
	c.App.Decode(r)
	c.Authenticated = r.Bool()
	c.Argument = r.Bytes(MaxArgument)
}

// CreateRequest creates an application on the current chain.
type CreateRequest struct {
	Module     ModuleID
	Parameters []byte
	Argument   []byte
	Required   []ids.ApplicationID
}

// Encode writes c.
func (c CreateRequest) Encode(w *codec.Writer) {
	c.Module.Encode(w)
	w.Bytes(c.Parameters)
	w.Bytes(c.Argument)
	codec.WriteListOf(w, c.Required)
}

// Decode reads c.
func (c *CreateRequest) Decode(r *codec.Reader) {
	c.Module.Decode(r)
	c.Parameters = r.Bytes(MaxParameters)
	c.Argument = r.Bytes(MaxArgument)
	c.Required = codec.ListOf[ids.Hash](r, MaxRequiredApps, 32)
}

// OpenChainRequest opens a child chain with an ownership and a balance
// taken from the current chain's account.
type OpenChainRequest struct {
	Ownership Ownership
	Balance   Amount
}

// Encode writes o.
func (o OpenChainRequest) Encode(w *codec.Writer) {
	o.Ownership.Encode(w)
	o.Balance.Encode(w)
}

// Decode reads o.
func (o *OpenChainRequest) Decode(r *codec.Reader) {
	o.Ownership.Decode(r)
	o.Balance.Decode(r)
}

// SubscribeRequest subscribes the current chain to the same application's
// event stream on another chain: every later event arrives as a message
// with Context.Event set.
type SubscribeRequest struct {
	Chain       ids.ChainID
	Stream      string
	Unsubscribe bool
}

// Encode writes s.
func (s SubscribeRequest) Encode(w *codec.Writer) {
	s.Chain.Encode(w)
	w.String(s.Stream)
	w.Bool(s.Unsubscribe)
}

// Decode reads s.
func (s *SubscribeRequest) Decode(r *codec.Reader) {
	s.Chain.Decode(r)
	s.Stream = r.String(MaxStreamName)
	s.Unsubscribe = r.Bool()
}

// QueryRequest asks another application's service on the same chain.
type QueryRequest struct {
	App   ids.ApplicationID
	Query []byte
}

// Encode writes q.
func (q QueryRequest) Encode(w *codec.Writer) {
	q.App.Encode(w)
	w.Bytes(q.Query)
}

// Decode reads q.
func (q *QueryRequest) Decode(r *codec.Reader) {
	q.App.Decode(r)
	q.Query = r.Bytes(MaxArgument)
}

// ServiceHost is what a running service may ask of its node: read-only
// state, other services, and operations to schedule.
type ServiceHost interface {
	Context() Context
	Parameters() []byte
	Read(key []byte) ([]byte, bool, error)
	Scan(prefix []byte) ([]KV, error)
	// ReadBlob returns a published data blob's content.
	ReadBlob(id ids.BlobID) ([]byte, error)
	Query(q QueryRequest) ([]byte, error)
	// Schedule records an operation of the service's application for
	// the caller to put in a block (a GraphQL mutation does this).
	Schedule(op []byte) error
	Log(level uint8, msg string)
}

// ContractHost is what a running contract may ask of its chain. Every
// method may fail; the runtime then traps the guest and the transaction
// fails with that error.
type ContractHost interface {
	ServiceHost
	Write(key, value []byte) error
	Delete(key []byte) error
	Send(s SendRequest) error
	Transfer(t TransferRequest) error
	Claim(c ClaimRequest) error
	Emit(stream string, value []byte) error
	Subscribe(s SubscribeRequest) error
	Call(c CallRequest) ([]byte, error)
	CreateApplication(c CreateRequest) (ids.ApplicationID, error)
	OpenChain(o OpenChainRequest) (ids.ChainID, error)
}

// Fuel is the fuel left for a block's execution, shared by every call
// nested in a transaction.
type Fuel struct {
	Left uint64
	Used uint64
}

// Charge takes n units, or returns ErrOutOfFuel (leaving none).
func (f *Fuel) Charge(n uint64) error {
	if n > f.Left {
		f.Used += f.Left
		f.Left = 0
		return ErrOutOfFuel
	}
	f.Left -= n
	f.Used += n
	return nil
}

// Run is one execution of a contract entry point or a service query.
type Run struct {
	Module ModuleID
	// Code returns the module's bytecode (contract or service, by Entry);
	// it is called only when the VM has not cached the compiled module.
	Code  func() ([]byte, error)
	Entry Entry
	Input []byte
	// Seed seeds the guest's randomness (the block's hash material), so
	// every node gives the same bytes.
	Seed ids.Hash
	Fuel *Fuel
}

// VM runs application modules deterministically: the same Run on the
// same host state gives the same result and fuel on every node and
// engine.
type VM interface {
	// Check validates a contract or service module against the limits
	// and the host API; publication refuses what fails.
	Check(kind BlobKind, code []byte) error
	// Contract runs a contract entry point on a fresh instance.
	Contract(run *Run, host ContractHost) ([]byte, error)
	// Service answers a query on a fresh service instance.
	Service(run *Run, host ServiceHost) ([]byte, error)
}
