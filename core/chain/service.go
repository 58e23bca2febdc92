package chain

import (
	"fmt"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
)

// QueryResult is a service's answer and the operations it scheduled.
type QueryResult struct {
	Response   []byte
	Operations [][]byte
}

// Query asks application id's service on this chain, read-only, at time
// now (microseconds). The state is never changed.
func (s *State) Query(id ids.ApplicationID, query []byte, now uint64) (*QueryResult, error) {
	if s.Env.VM == nil {
		return nil, app.ErrNoVM
	}
	fuel := &app.Fuel{Left: serviceFuel}
	res := &QueryResult{}
	out, err := s.query(id, query, now, fuel, res, 0)
	if err != nil {
		return nil, err
	}
	res.Response = out
	return res, nil
}

// serviceFuel bounds one query with everything it asks of other services.
const serviceFuel = 20_000_000_000

func (s *State) query(id ids.ApplicationID, query []byte, now uint64, fuel *app.Fuel, res *QueryResult, depth int) ([]byte, error) {
	if depth > app.MaxCallDepth {
		return nil, app.ErrCallDepth
	}
	d, err := s.serviceDescription(id)
	if err != nil {
		return nil, err
	}
	tip := s.Tip()
	h := &serviceHost{s: s, desc: d, now: now, fuel: fuel, res: res, depth: depth, own: depth == 0,
		ctx: app.Context{Chain: s.ID, Height: tip.NextHeight, Timestamp: max(now, tip.Timestamp), App: id, Creator: d.Creator}}
	run := &app.Run{
		Module: d.Module,
		Code: func() ([]byte, error) {
			bl, ok, err := s.Env.Blobs.Blob(d.Module.Service)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, &app.BlobsNotFoundError{IDs: []ids.BlobID{d.Module.Service}}
			}
			return bl.Bytes, nil
		},
		Entry: app.EntryOperation, Input: query, Seed: ids.Sum("query-seed", query), Fuel: fuel,
	}
	out, err := s.Env.VM.Service(run, h)
	if err != nil {
		return nil, fmt.Errorf("service of %s: %w", id.Short(), err)
	}
	return out, s.Tx.Err()
}

// serviceDescription returns the description of an application on this
// chain or, if the chain has not met it yet, from its description blob:
// the service then answers over an empty state, so that a mutation can
// schedule the operation through which the chain meets the application
// (the block registers it). A missing blob is a *app.BlobsNotFoundError
// for the caller to fetch.
func (s *State) serviceDescription(id ids.ApplicationID) (*app.Description, error) {
	if d, ok := s.Application(id); ok {
		return d, nil
	}
	if s.Env.Blobs == nil {
		return nil, fmt.Errorf("%w: %s on chain %s", app.ErrNotInstantiated, id.Short(), s.ID.Short())
	}
	bl, ok, err := s.Env.Blobs.Blob(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &app.BlobsNotFoundError{IDs: []ids.BlobID{id}}
	}
	var d app.Description
	if bl.Kind != app.BlobDescription || codec.Unmarshal(bl.Bytes, &d) != nil {
		return nil, fmt.Errorf("%w: %s on chain %s", app.ErrNotInstantiated, id.Short(), s.ID.Short())
	}
	return &d, nil
}

// serviceHost implements app.ServiceHost over a chain's state.
type serviceHost struct {
	s     *State
	desc  *app.Description
	ctx   app.Context
	now   uint64
	fuel  *app.Fuel
	res   *QueryResult
	depth int
	own   bool // the queried application itself (may schedule operations)
}

func (h *serviceHost) Context() app.Context { return h.ctx }
func (h *serviceHost) Parameters() []byte   { return h.desc.Parameters }

func (h *serviceHost) Read(key []byte) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	v, ok := h.s.Tx.Get(appKey(h.ctx.App, key))
	return v, ok, h.s.Tx.Err()
}

func (h *serviceHost) Scan(prefix []byte) ([]app.KV, error) {
	if err := checkKey(prefix); err != nil {
		return nil, err
	}
	return scanApp(h.s.Tx, h.ctx.App, prefix, func(int) error { return nil })
}

func (h *serviceHost) ReadBlob(id ids.BlobID) ([]byte, error) {
	bl, ok, err := h.s.Env.Blobs.Blob(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &app.BlobsNotFoundError{IDs: []ids.BlobID{id}}
	}
	if bl.Kind != app.BlobData {
		return nil, fmt.Errorf("%w: blob %s is a %s, not data", app.ErrBadRequest, id.Short(), bl.Kind)
	}
	return bl.Bytes, nil
}

func (h *serviceHost) Query(q app.QueryRequest) ([]byte, error) {
	return h.s.query(q.App, q.Query, h.now, h.fuel, h.res, h.depth+1)
}

func (h *serviceHost) Schedule(op []byte) error {
	if !h.own {
		return fmt.Errorf("%w: only the queried application may schedule operations", app.ErrUnauthorized)
	}
	if len(h.res.Operations) >= 256 {
		return fmt.Errorf("%w: more than 256 operations", app.ErrTooLarge)
	}
	h.res.Operations = append(h.res.Operations, op)
	return nil
}

func (h *serviceHost) Log(uint8, string) {}
