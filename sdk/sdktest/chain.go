package sdktest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
	"github.com/myriadchain/myriad/sdk/service"
)

// Chain is a mock chain: applications' states, native token balances and
// what its transactions did. Height and Timestamp are the next block's;
// every transaction is a block and increments Height.
type Chain struct {
	net       *Network
	ID        ids.ChainID
	Ownership app.Ownership // as given to OpenChain; empty for NewChain's
	Height    uint64
	Timestamp uint64 // microseconds; tests set it
	// RejectIncoming makes the chain reject every bundle except bounces,
	// as an owner may.
	RejectIncoming bool

	state    map[string][]byte        // application id + key → value
	balances map[ids.Owner]sdk.Amount // zero owner: the chain's account
	subs     map[string]bool          // app + stream + chain: subscribed
	streams  map[string]uint32        // app + stream: next event index
	created  uint32

	Sent      []Sent
	Transfers []app.TransferRequest
	Claims    []app.ClaimRequest
	Events    []Event
	Logs      []string
}

// Sent is a message an application sent.
type Sent struct {
	App           ids.ApplicationID
	To            ids.ChainID
	Tracked       bool
	Authenticated bool
	Message       []byte
}

// Event is an event an application emitted.
type Event struct {
	App    ids.ApplicationID
	Stream string
	Index  uint32
	Value  []byte
}

// Balance returns an owner's native token balance (the zero owner: the
// chain's account).
func (c *Chain) Balance(o ids.Owner) sdk.Amount { return c.balances[o] }

// SetBalance sets an owner's native token balance.
func (c *Chain) SetBalance(o ids.Owner, a sdk.Amount) { c.balances[o] = a }

// Store returns an application's state on the chain, for tests to read or
// seed directly.
func (c *Chain) Store(a ids.ApplicationID) sdk.Store { return store{c, a} }

// CreateApplication creates an application of a published module on the
// chain, as signer, and runs its Instantiate.
func (c *Chain) CreateApplication(m app.ModuleID, params, arg []byte, signer ids.Owner) (ids.ApplicationID, error) {
	var id ids.ApplicationID
	err := c.transaction(func(t *tx) error {
		var err error
		id, err = t.create(app.CreateRequest{Module: m, Parameters: params, Argument: arg}, signer, ids.ApplicationID{})
		return err
	})
	return id, err
}

// Operation executes an operation of application a, signed by signer (zero
// for none), as one block, and returns the contract's result.
func (c *Chain) Operation(a ids.ApplicationID, signer ids.Owner, op []byte) ([]byte, error) {
	var out []byte
	err := c.transaction(func(t *tx) error {
		f, err := t.frame(a, app.Context{Signer: signer})
		if err != nil {
			return err
		}
		out, err = t.run(f, func(h app.ContractHost, k contract.Contract) ([]byte, error) {
			return contract.ExecuteOperation(k, h, op)
		})
		return err
	})
	return out, err
}

// Query asks application a's service and returns its answer and the
// operations it scheduled.
func (c *Chain) Query(a ids.ApplicationID, query []byte) (out []byte, scheduled [][]byte, err error) {
	s := &serviceHost{c: c}
	out, err = s.query(a, query)
	return out, s.scheduled, err
}

// GraphQLResponse is a decoded GraphQL response.
type GraphQLResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// Err returns the response's errors as one error, or nil.
func (r *GraphQLResponse) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	var msgs []string
	for _, e := range r.Errors {
		msgs = append(msgs, e.Message)
	}
	return fmt.Errorf("graphql: %s", strings.Join(msgs, "; "))
}

// GraphQL sends a GraphQL request to application a's service.
func (c *Chain) GraphQL(a ids.ApplicationID, query string, variables map[string]any) (*GraphQLResponse, [][]byte, error) {
	req, err := json.Marshal(service.Request{Query: query, Variables: variables})
	if err != nil {
		return nil, nil, err
	}
	out, ops, err := c.Query(a, req)
	if err != nil {
		return nil, nil, err
	}
	var resp GraphQLResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, nil, fmt.Errorf("sdktest: service answered %q: %w", out, err)
	}
	return &resp, ops, nil
}

// Mutate sends a GraphQL request and executes the operations it scheduled
// as signer, one block each, as a wallet does. It fails on the first
// GraphQL error or failing operation.
func (c *Chain) Mutate(a ids.ApplicationID, signer ids.Owner, query string, variables map[string]any) (*GraphQLResponse, error) {
	resp, ops, err := c.GraphQL(a, query, variables)
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return resp, err
	}
	for _, op := range ops {
		if _, err := c.Operation(a, signer, op); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// transaction runs f as one block: on error every change is undone and
// nothing is sent.
func (c *Chain) transaction(f func(*tx) error) error {
	saved := *c
	saved.state, saved.balances = maps.Clone(c.state), maps.Clone(c.balances)
	saved.subs, saved.streams = maps.Clone(c.subs), maps.Clone(c.streams)
	t := &tx{c: c, out: map[ids.ChainID][]message{}}
	if err := f(t); err != nil {
		*c = saved
		return err
	}
	c.Height++
	for _, to := range t.order {
		c.net.pending = append(c.net.pending, bundle{from: c.ID, to: to, msgs: t.out[to]})
	}
	return nil
}

func appKey(a ids.ApplicationID, key []byte) string { return string(a[:]) + string(key) }

// store is an application's state, read and written directly.
type store struct {
	c *Chain
	a ids.ApplicationID
}

func (s store) Read(key []byte) ([]byte, bool) {
	v, ok := s.c.state[appKey(s.a, key)]
	return bytes.Clone(v), ok
}

func (s store) Scan(prefix []byte) []sdk.KV {
	p := appKey(s.a, prefix)
	var out []sdk.KV
	for _, k := range slices.Sorted(maps.Keys(s.c.state)) {
		if strings.HasPrefix(k, p) {
			out = append(out, sdk.KV{Key: []byte(k[32:]), Value: bytes.Clone(s.c.state[k])})
		}
	}
	return out
}

func (s store) Write(key, value []byte) { s.c.state[appKey(s.a, key)] = bytes.Clone(value) }

func (s store) Delete(key []byte) { delete(s.c.state, appKey(s.a, key)) }

func streamKey(a ids.ApplicationID, stream string) string {
	return string(a[:]) + string(binary.BigEndian.AppendUint16(nil, uint16(len(stream)))) + stream
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Receive executes a user message of application a as if chain from had
// sent it, authenticated by signer (zero for none), in a block of its own:
// a way to test how a contract treats messages no code path of it sends.
func (c *Chain) Receive(from ids.ChainID, a ids.ApplicationID, signer ids.Owner, msg []byte) error {
	m := message{kind: simple, signer: signer, app: a, env: app.Envelope{Kind: app.EnvUser, Payload: msg}}
	return c.transaction(func(t *tx) error { return t.receive(from, &m) })
}
