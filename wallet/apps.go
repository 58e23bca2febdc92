package wallet

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	wasmrt "github.com/myriadchain/myriad/runtime"
)

// lazyVM starts the application runtime on first use: most commands never
// run an application, and compiling one is slow (in a browser, seconds).
type lazyVM struct {
	cacheDir  string
	reference bool // wazero even where a faster engine exists
	once      sync.Once
	vm        *wasmrt.VM
	err       error
}

func (l *lazyVM) get() (*wasmrt.VM, error) {
	l.once.Do(func() {
		engine := wasmrt.DefaultEngine
		if l.reference {
			engine = wasmrt.EngineWazero
		}
		cfg := wasmrt.Config{Engine: engine, Interpreter: wasmrt.InterpreterOnly, CacheDir: l.cacheDir}
		l.vm, l.err = wasmrt.New(cfg)
		if errors.Is(l.err, wasmrt.ErrNoBrowserEngine) {
			cfg.Engine = wasmrt.EngineWazero // an older browser
			l.vm, l.err = wasmrt.New(cfg)
		}
	})
	return l.vm, l.err
}

func (l *lazyVM) close() error {
	if l == nil || l.vm == nil {
		return nil
	}
	return l.vm.Close()
}

// vmProxy is the app.VM a worker holds: it starts the runtime only when an
// application actually runs.
type vmProxy struct{ l *lazyVM }

func (p vmProxy) Check(kind app.BlobKind, code []byte) error {
	vm, err := p.l.get()
	if err != nil {
		return err
	}
	return vm.Check(kind, code)
}

func (p vmProxy) Contract(run *app.Run, host app.ContractHost) ([]byte, error) {
	vm, err := p.l.get()
	if err != nil {
		return nil, err
	}
	return vm.Contract(run, host)
}

func (p vmProxy) Service(run *app.Run, host app.ServiceHost) ([]byte, error) {
	vm, err := p.l.get()
	if err != nil {
		return nil, err
	}
	return vm.Service(run, host)
}

// worker returns the local node's worker, with the application runtime.
func (w *Wallet) worker() *chain.Worker {
	var vm app.VM = vmProxy{w.vm}
	if w.cfg.VM != nil {
		vm = w.cfg.VM
	}
	return &chain.Worker{Store: w.cfg.Store, VM: vm}
}

// PublishBlobs publishes blobs (bytecode or data) from chain id: they are
// stored locally, given to the validators, and a block publishes them.
func (w *Wallet) PublishBlobs(ctx context.Context, id ids.ChainID, blobs ...app.Blob) (*block.Certificate, error) {
	if dryRunsOf(ctx) != nil {
		return nil, errors.New("wallet: publishing blobs uploads them: it has no dry run")
	}
	c, err := w.signer(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := w.sync(ctx, c); err != nil {
		return nil, err
	}
	return c.PublishBlobs(ctx, blobs)
}

// PublishModule publishes a contract and a service and returns the
// module's id.
func (w *Wallet) PublishModule(ctx context.Context, id ids.ChainID, contract, service []byte) (app.ModuleID, *block.Certificate, error) {
	cb, sb := app.Blob{Kind: app.BlobContract, Bytes: contract}, app.Blob{Kind: app.BlobService, Bytes: service}
	cert, err := w.PublishBlobs(ctx, id, cb, sb)
	if err != nil {
		return app.ModuleID{}, nil, err
	}
	return app.ModuleID{Contract: cb.ID(), Service: sb.ID()}, cert, nil
}

// CreateApplication creates an application of a published module on
// chain id and returns its id.
func (w *Wallet) CreateApplication(ctx context.Context, id ids.ChainID, req app.CreateRequest) (ids.ApplicationID, *block.Certificate, error) {
	cert, err := w.Execute(ctx, id, system.CreateApplication(req))
	if err != nil {
		return ids.ApplicationID{}, nil, err
	}
	res := cert.Value.Block.Outcome.Results
	if len(res) != 1 || len(res[0]) != ids.HashSize {
		return ids.ApplicationID{}, cert, fmt.Errorf("wallet: the block did not return an application id")
	}
	var a ids.ApplicationID
	copy(a[:], res[0])
	return a, cert, nil
}

// Query asks an application's service on chain id, in the local node.
// Operations the service schedules (a GraphQL mutation) are returned, not
// executed: ExecuteApp submits them.
func (w *Wallet) Query(ctx context.Context, id ids.ChainID, a ids.ApplicationID, query []byte) (*chain.QueryResult, error) {
	for range 3 {
		s := w.worker().OpenState(ctx, id)
		if !s.Active() {
			return nil, fmt.Errorf("%w: %s is not active in the local node (follow or sync it)", ErrUnknownChain, id.Short())
		}
		res, err := s.Query(a, query, w.cfg.Now())
		missing := app.MissingBlobs(err)
		if missing == nil {
			return res, err
		}
		c, cerr := w.Client(ctx, id)
		if cerr != nil {
			return nil, cerr
		}
		if ferr := c.FetchBlobs(ctx, missing); ferr != nil {
			return nil, fmt.Errorf("%w (%w)", err, ferr)
		}
	}
	return nil, fmt.Errorf("wallet: query: %w", app.ErrBlobsNotFound)
}

// ExecuteApp proposes a block of application a's operations on chain id.
func (w *Wallet) ExecuteApp(ctx context.Context, id ids.ChainID, a ids.ApplicationID, ops ...[]byte) (*block.Certificate, error) {
	bops := make([]block.Operation, len(ops))
	for i, op := range ops {
		bops[i] = block.Operation{App: a, Bytes: op}
	}
	return w.Execute(ctx, id, bops...)
}
