//go:build js && wasm

package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/myriadchain/myriad/core/kv"
	idbstore "github.com/myriadchain/myriad/storage-idb"
	"github.com/myriadchain/myriad/storage/kvcache"
	"github.com/myriadchain/myriad/wallet"
	"github.com/myriadchain/myriad/wallet/jsapi"
)

// browserConfig wires the wallet of the given name to IndexedDB (two
// databases: the document with the vault, and the chain states) and to
// validators over the browser's WebSocket. Applications run on the
// browser's own WebAssembly engine, or on wazero's interpreter (the
// reference engine) if MYRIAD_WALLET_ENGINE is "wazero".
func browserConfig(name string) jsapi.Config {
	doc, state := "myriad-"+name+"-wallet", "myriad-"+name+"-state"
	return jsapi.Config{
		OpenDocument: func(ctx context.Context) (kv.Store, error) {
			return idbstore.New(ctx, idbstore.Config{Name: doc})
		},
		OpenState: func(ctx context.Context) (kv.Store, error) {
			s, err := idbstore.New(ctx, idbstore.Config{Name: state})
			if err != nil {
				return nil, err
			}
			// The wallet holds the database alone (idbstore's Web Lock), so
			// what it read stays true until it writes: reads come from memory.
			return kvcache.New(s, kvcache.Config{}), nil
		},
		ResetState:  func(ctx context.Context) error { return idbstore.Reset(ctx, state) },
		Dialer:      wallet.RemoteDialer{},
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		ReferenceVM: os.Getenv("MYRIAD_WALLET_ENGINE") == "wazero",
	}
}
