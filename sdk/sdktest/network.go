package sdktest

import (
	"errors"
	"fmt"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
	"github.com/myriadchain/myriad/sdk/service"
)

// Owner returns a test owner named name (the hash of the name).
func Owner(name string) ids.Owner { return ids.Sum("sdktest-owner", []byte(name)) }

// Network is a set of mock chains that exchange messages, with the modules
// published on it. It is not safe for concurrent use.
type Network struct {
	chains  map[ids.ChainID]*Chain
	modules map[app.ModuleID]module
	blobs   map[ids.BlobID][]byte
	apps    map[ids.ApplicationID]*application
	pending []bundle
	nextMod uint64
	// Rejected lists the errors of the bundles Deliver rejected.
	Rejected []error
}

type module struct {
	contract contract.Contract
	service  service.Service
}

type application struct {
	id     ids.ApplicationID
	desc   app.Description
	module module
}

// NewNetwork returns a network without chains.
func NewNetwork() *Network {
	return &Network{
		chains:  map[ids.ChainID]*Chain{},
		modules: map[app.ModuleID]module{},
		apps:    map[ids.ApplicationID]*application{},
		blobs:   map[ids.BlobID][]byte{},
	}
}

// PublishData publishes a data blob, as `myriad publish-data-blob` does,
// and returns its id (the same id as on a real network).
func (n *Network) PublishData(data []byte) ids.BlobID {
	id := app.Blob{Kind: app.BlobData, Bytes: data}.ID()
	n.blobs[id] = append([]byte(nil), data...)
	return id
}

func (n *Network) readBlob(id ids.BlobID) ([]byte, error) {
	b, ok := n.blobs[id]
	if !ok {
		return nil, &app.BlobsNotFoundError{IDs: []ids.BlobID{id}}
	}
	return b, nil
}

// Publish makes a contract and a service available as a module. Either may
// be nil if a test does not need it.
func (n *Network) Publish(c contract.Contract, s service.Service) app.ModuleID {
	n.nextMod++
	var w codec.Writer
	w.U64(n.nextMod)
	id := app.ModuleID{Contract: ids.Sum("sdktest-contract", w.Data()), Service: ids.Sum("sdktest-service", w.Data())}
	n.modules[id] = module{c, s}
	return id
}

// NewChain adds a chain whose id is derived from name.
func (n *Network) NewChain(name string) *Chain {
	return n.addChain(ids.Sum("sdktest-chain", []byte(name)), app.Ownership{})
}

func (n *Network) addChain(id ids.ChainID, o app.Ownership) *Chain {
	if _, ok := n.chains[id]; ok {
		panic(fmt.Sprintf("sdktest: chain %s exists", id.Short()))
	}
	c := &Chain{
		net: n, ID: id, Ownership: o, Timestamp: 1,
		state: map[string][]byte{}, balances: map[ids.Owner]sdk.Amount{}, subs: map[string]bool{},
		streams: map[string]uint32{},
	}
	n.chains[id] = c
	return c
}

// Chain returns a chain by id, or nil.
func (n *Network) Chain(id ids.ChainID) *Chain { return n.chains[id] }

// Pending returns the number of bundles waiting for delivery.
func (n *Network) Pending() int { return len(n.pending) }

// Deliver executes every pending bundle on its destination, in the order
// they were sent, including those sent while delivering, until none is
// left. It returns the errors of the rejected bundles (also appended to
// Rejected); their tracked messages have bounced.
func (n *Network) Deliver() []error {
	var errs []error
	for len(n.pending) > 0 {
		b := n.pending[0]
		n.pending = n.pending[1:]
		if err := n.deliver(b); err != nil {
			errs = append(errs, err)
		}
	}
	n.Rejected = append(n.Rejected, errs...)
	return errs
}

func (n *Network) deliver(b bundle) error {
	dest := n.chains[b.to]
	if dest == nil {
		return fmt.Errorf("sdktest: bundle to unknown chain %s", b.to.Short())
	}
	var err error
	if dest.RejectIncoming && !b.onlyBounces() {
		err = errors.New("sdktest: the chain rejects incoming messages")
	} else {
		err = dest.transaction(func(t *tx) error {
			for i := range b.msgs {
				if err := t.receive(b.from, &b.msgs[i]); err != nil {
					return fmt.Errorf("message %d: %w", i, err)
				}
			}
			return nil
		})
	}
	if err == nil {
		return nil
	}
	var back []message
	for _, m := range b.msgs {
		if m.kind == tracked {
			m.kind = bouncing
			back = append(back, m)
		}
	}
	if len(back) > 0 {
		n.pending = append(n.pending, bundle{from: b.to, to: b.from, msgs: back})
	}
	return fmt.Errorf("sdktest: %s rejected a bundle from %s: %w", dest.ID.Short(), b.from.Short(), err)
}

func (n *Network) app(id ids.ApplicationID) (*application, error) {
	a, ok := n.apps[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", app.ErrUnknownApp, id.Short())
	}
	return a, nil
}

// kind is a message's delivery kind, as in core/block.
type kind uint8

const (
	simple kind = iota
	tracked
	bouncing
)

// message is an application or system message in flight.
type message struct {
	kind   kind
	signer ids.Owner
	app    ids.ApplicationID // zero: a system message
	env    app.Envelope
	sys    sysMessage
}

type sysKind uint8

const (
	sysCredit sysKind = iota
	sysWithdraw
)

// sysMessage is a native-token message of the system application.
type sysMessage struct {
	kind      sysKind
	owner     ids.Owner // credited (credit) or debited (withdraw)
	source    ids.Owner // credited back when a credit bounces
	recipient ids.Account
	amount    sdk.Amount
}

type bundle struct {
	from, to ids.ChainID
	msgs     []message
}

func (b bundle) onlyBounces() bool {
	for _, m := range b.msgs {
		if m.kind != bouncing {
			return false
		}
	}
	return true
}

func serviceQuery(a *application, h *serviceHost, q []byte) ([]byte, error) {
	return service.Query(a.module.service, h, q)
}
