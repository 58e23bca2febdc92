//go:build js && wasm

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/myriadchain/myriad/core/ids"
	idbstore "github.com/myriadchain/myriad/storage-idb"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/vault"
)

const password = "correct horse battery staple"

// fastVault seals with 1,000 PBKDF2 iterations, which only tests may do.
var fastVault = vault.Options{Iterations: 1000, InsecureMinIterations: 1000}

var names atomic.Int64

// tab is a browser tab's wallet, laid out in IndexedDB as cmd/wallet-wasm
// lays it out: one database for the document (with the vault), one for
// the chain states. Both are deleted when the test ends.
type tab struct {
	t                  *testing.T
	net                *network
	docName, stateName string
	doc, state         *idbstore.Store // nil while unloaded
}

func newTab(t *testing.T, net *network) *tab {
	n := names.Add(1)
	tb := &tab{t: t, net: net,
		docName:   fmt.Sprintf("browsertest/%s/%d/wallet", t.Name(), n),
		stateName: fmt.Sprintf("browsertest/%s/%d/state", t.Name(), n)}
	t.Cleanup(tb.remove)
	return tb
}

// remove closes the databases if they are open and deletes them.
func (tb *tab) remove() {
	tb.closeStores()
	for _, name := range []string{tb.docName, tb.stateName} {
		// t.Context() has ended by now.
		if err := idbstore.Reset(context.Background(), name); err != nil {
			tb.t.Errorf("Reset(%s) = %v", name, err)
		}
	}
}

// config opens both databases and returns the wallet's config over them.
func (tb *tab) config() wallet.Config {
	tb.t.Helper()
	var err error
	if tb.doc, err = idbstore.New(tb.t.Context(), idbstore.Config{Name: tb.docName}); err != nil {
		tb.t.Fatalf("open the document's database: %v", err)
	}
	if tb.state, err = idbstore.New(tb.t.Context(), idbstore.Config{Name: tb.stateName}); err != nil {
		tb.t.Fatalf("open the state database: %v", err)
	}
	return wallet.Config{File: wallet.KVFile{Store: tb.doc, Key: []byte("wallet")}, Store: tb.state,
		Dialer: tb.net, Now: func() uint64 { return tb.net.Clock }, Vault: fastVault}
}

// create opens the databases and makes a vault wallet in them (unlocked).
func (tb *tab) create() *wallet.Wallet {
	tb.t.Helper()
	w, err := wallet.CreateVault(tb.t.Context(), tb.config(),
		wallet.VaultSetup{Genesis: tb.net.Genesis, Password: password})
	if err != nil {
		tb.t.Fatalf("CreateVault: %v", err)
	}
	return w
}

// load opens the databases and the wallet in them (locked): a page load.
func (tb *tab) load() *wallet.Wallet {
	tb.t.Helper()
	w, err := wallet.Open(tb.t.Context(), tb.config())
	if err != nil {
		tb.t.Fatalf("Open: %v", err)
	}
	return w
}

// unload closes the wallet and both databases: nothing the wallet held in
// memory survives, only what IndexedDB made durable.
func (tb *tab) unload(w *wallet.Wallet) {
	tb.t.Helper()
	if err := w.Close(); err != nil {
		tb.t.Errorf("close the wallet: %v", err)
	}
	tb.closeStores()
}

func (tb *tab) closeStores() {
	for _, s := range []**idbstore.Store{&tb.doc, &tb.state} {
		if *s == nil {
			continue
		}
		if err := (*s).Close(); err != nil {
			tb.t.Errorf("close a database: %v", err)
		}
		*s = nil
	}
}

// own imports the key of root chain i into w's vault and follows the chain.
func own(t *testing.T, w *wallet.Wallet, net *network, i int) ids.ChainID {
	t.Helper()
	if _, err := w.AddKey(net.Key(i)); err != nil {
		t.Fatalf("AddKey: %v", err)
	}
	c, err := w.Follow(t.Context(), net.Genesis.ChainID(i), nil)
	if err != nil {
		t.Fatalf("follow root chain %d: %v", i, err)
	}
	if c.Owner != net.Key(i).Owner() {
		t.Fatalf("root chain %d tracked with owner %s, want %s", i, c.Owner.Short(), net.Key(i).Owner().Short())
	}
	return c.ID
}

// wantStatus checks the height and the pending block of chain id in w's
// local node (want nil: no pending block).
func wantStatus(t *testing.T, w *wallet.Wallet, id ids.ChainID, height uint64, pending *ids.Hash) {
	t.Helper()
	st, err := w.Status(t.Context(), id)
	if err != nil {
		t.Fatalf("Status(%s): %v", id.Short(), err)
	}
	if st.Height != height {
		t.Errorf("Status(%s).Height = %d, want %d", id.Short(), st.Height, height)
	}
	switch {
	case pending == nil && st.Pending != nil:
		t.Errorf("Status(%s).Pending = block %d %s, want none", id.Short(), st.Pending.Height, st.Pending.Hash().Short())
	case pending != nil && st.Pending == nil:
		t.Errorf("Status(%s).Pending = none, want block %s", id.Short(), pending.Short())
	case pending != nil && st.Pending.Hash() != *pending:
		t.Errorf("Status(%s).Pending = block %d %s, want %s", id.Short(), st.Pending.Height, st.Pending.Hash().Short(), pending.Short())
	}
}

func wantBalance(t *testing.T, w *wallet.Wallet, net *network, id ids.ChainID, want string) {
	t.Helper()
	got, err := w.Balance(t.Context(), ids.Account{Chain: id})
	if err != nil || got.String() != want {
		t.Errorf("Balance(%s) = %v, %v; want %s", id.Short(), got, err, want)
	}
	if got := net.balance(id); got.String() != want {
		t.Errorf("validator's balance of %s = %s, want %s", id.Short(), got, want)
	}
}

func wantIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", what, err, want)
	}
}
