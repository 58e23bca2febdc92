//go:build js && wasm

package jsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/myriadchain/myriad/wallet/gqlapi"
)

// Target names an application's own GraphQL; empty: the wallet's schema.
type Target struct {
	ChainID       string `json:"chainId"`
	ApplicationID string `json:"applicationId"`
}

// request is one GraphQL call as the policy sees it.
type request struct {
	Origin    string         `json:"origin"`
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
	Mutation  bool           `json:"mutation"`
	Target
}

// graphql(query, variables, origin, target) answers a GraphQL request.
func (a *API) graphql(ctx context.Context, args []js.Value) (any, error) {
	req, err := graphqlRequest(args)
	if err != nil {
		return nil, err
	}
	var pre *preview
	if req.Mutation && req.Origin != "" {
		pre = &preview{a: a, req: req}
		defer pre.release()
	}
	if err := a.permit(req, pre); err != nil {
		return nil, err
	}
	w, ql, err := a.service(ctx)
	if err != nil {
		return nil, err
	}
	if req.Mutation && w.Locked() {
		return nil, &Error{Code: CodeLocked, Message: "the wallet is locked: unlock it to sign blocks"}
	}
	if p := pre.approved(); p != nil {
		// What is signed is what the policy was shown.
		ctx = p.Approve(ctx)
	}
	if req.ApplicationID == "" {
		return ql.Exec(ctx, gqlapi.Request{Query: req.Query, Variables: req.Variables}), nil
	}
	body, err := json.Marshal(gqlapi.Request{Query: req.Query, Variables: req.Variables})
	if err != nil {
		return nil, badRequest("graphql: variables: %v", err)
	}
	out, err := ql.ExecApplication(ctx, req.ChainID, req.ApplicationID, body)
	if errors.Is(err, gqlapi.ErrRequest) {
		return nil, badRequest("%v", err)
	} else if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

func graphqlRequest(args []js.Value) (*request, error) {
	var req request
	var err error
	if req.Query, err = stringArg(args, 0); err != nil {
		return nil, err
	}
	if req.Query == "" {
		return nil, badRequest("graphql: no query")
	}
	if err := arg(args, 1, &req.Variables); err != nil {
		return nil, err
	}
	if req.Origin, err = stringArg(args, 2); err != nil {
		return nil, err
	}
	if err := arg(args, 3, &req.Target); err != nil {
		return nil, err
	}
	if (req.ChainID == "") != (req.ApplicationID == "") {
		return nil, badRequest("graphql: an application needs both chainId and applicationId")
	}
	req.Mutation = isMutation(req.Query)
	return &req, nil
}

// preview is the dry run of a mutation from a web origin, made when the
// policy asks for it (request.preview()) — only after the policy has
// decided the origin may ask at all, so an unconnected page cannot make
// the wallet execute anything.
type preview struct {
	a   *API
	req *request

	once sync.Once
	p    *gqlapi.Preview
	err  error
	fn   js.Func
}

// get makes the preview once.
func (p *preview) get(ctx context.Context) (*gqlapi.Preview, error) {
	p.once.Do(func() { p.p, p.err = p.make(ctx) })
	return p.p, p.err
}

func (p *preview) make(ctx context.Context) (*gqlapi.Preview, error) {
	w, ql, err := p.a.service(ctx)
	if err != nil {
		return nil, err
	}
	if w.Locked() {
		return nil, &Error{Code: CodeLocked, Message: "the wallet is locked: unlock it to sign blocks"}
	}
	var pre *gqlapi.Preview
	if p.req.ApplicationID == "" {
		pre, err = ql.DryRun(ctx, gqlapi.Request{Query: p.req.Query, Variables: p.req.Variables})
	} else {
		body, merr := json.Marshal(gqlapi.Request{Query: p.req.Query, Variables: p.req.Variables})
		if merr != nil {
			return nil, badRequest("graphql: variables: %v", merr)
		}
		pre, err = ql.DryRunApplication(ctx, p.req.ChainID, p.req.ApplicationID, body)
	}
	if errors.Is(err, gqlapi.ErrRequest) {
		return nil, badRequest("%v", err)
	} else if err != nil {
		e := classify(err)
		if e.Code == CodeInternal {
			e.Code = CodeWouldFail
		}
		return nil, e
	}
	return pre, nil
}

// function returns request.preview: a function answering a Promise of the
// preview.
func (p *preview) function() js.Func {
	p.fn = promise(func(ctx context.Context, _ []js.Value) (any, error) { return p.get(ctx) })
	return p.fn
}

// approved is the preview made, if the policy asked for one.
func (p *preview) approved() *gqlapi.Preview {
	if p == nil {
		return nil
	}
	done := false
	p.once.Do(func() { done = true }) // never made: nothing to hold to
	if done {
		return nil
	}
	return p.p
}

func (p *preview) release() {
	if p.fn.Truthy() {
		p.fn.Release()
	}
}

// permit lets the wallet's own pages (origin "") do anything, and asks
// the policy that the host registered with setPolicy about every other
// origin; with no policy, other origins are refused. A mutation's request
// carries pre's function, which the policy calls to see what the mutation
// would do.
func (a *API) permit(req *request, pre *preview) error {
	if req.Origin == "" {
		return nil
	}
	r := value(req).(js.Value)
	if pre != nil {
		r.Set("preview", pre.function())
	}
	return a.askPolicy(req.Origin, r)
}

// await waits for a JavaScript value that may be a Promise. It must not be
// called from the event loop's goroutine (a promise() method runs in its
// own goroutine).
func await(v js.Value) (js.Value, error) {
	if v.Type() != js.TypeObject || v.Get("then").Type() != js.TypeFunction {
		return v, nil
	}
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	var onOK, onErr js.Func
	onOK = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: argOrUndefined(args)}
		return nil
	})
	onErr = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: fmt.Errorf("%s", js.Global().Get("String").Invoke(argOrUndefined(args)).String())}
		return nil
	})
	v.Call("then", onOK, onErr)
	r := <-done
	onOK.Release()
	onErr.Release()
	return r.v, r.err
}

func argOrUndefined(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// setPolicy(fn) registers the function asked about every call from an
// origin other than the wallet's own: fn(request) → boolean or Promise of
// one, where request is {origin, query, variables, mutation, chainId,
// applicationId}.
func (a *API) setPolicy(_ context.Context, args []js.Value) (any, error) {
	if len(args) == 0 || args[0].Type() != js.TypeFunction {
		return nil, badRequest("setPolicy: give a function")
	}
	a.mu.Lock()
	a.approver = args[0]
	a.mu.Unlock()
	return nil, nil
}

// subscribe(query, variables, origin, onEvent) starts a GraphQL
// subscription; onEvent gets each response. It answers an id for
// unsubscribe(id).
func (a *API) subscribe(ctx context.Context, args []js.Value) (any, error) {
	req, err := graphqlRequest(args[:min(len(args), 3)])
	if err != nil {
		return nil, err
	}
	if len(args) < 4 || args[3].Type() != js.TypeFunction {
		return nil, badRequest("subscribe: the fourth argument must be a function")
	}
	onEvent := args[3]
	if err := a.permit(req, nil); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ql, err := a.wallet(ctx)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	ch, err := ql.Subscribe(sctx, gqlapi.Request{Query: req.Query, Variables: req.Variables})
	if err != nil {
		cancel()
		return nil, err
	}
	a.nextSub++
	id := a.nextSub
	a.subs[id] = cancel
	go func() {
		for r := range ch {
			onEvent.Invoke(value(r))
		}
	}()
	return id, nil
}

func (a *API) unsubscribe(_ context.Context, args []js.Value) (any, error) {
	if len(args) == 0 || args[0].Type() != js.TypeNumber {
		return nil, badRequest("unsubscribe: give the id subscribe answered")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id := args[0].Int()
	if cancel, ok := a.subs[id]; ok {
		cancel()
		delete(a.subs, id)
	}
	return nil, nil
}
