package main

import (
	"context"
	"fmt"
	"os"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/kv"
	client "github.com/myriadchain/myriad/node-client"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
	"github.com/myriadchain/myriad/wallet"
)

// systemEnv is the env of the real program: the process's output and
// environment, pebble storage, validators and faucets over the network.
func systemEnv() *env {
	return &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, dialer: remoteDialer{}, faucet: faucetAt,
		openStore: func(dir string) (kv.Store, error) { return pebblestore.New(pebblestore.Config{Dir: dir}) }}
}

// parseGenesis reads a genesis file in the network's format (the one
// validators and `myriad net up` write: validator.GenesisFile).
func parseGenesis(b []byte) (*chain.Genesis, error) {
	f, err := validator.ParseGenesis(b)
	if err != nil {
		return nil, err
	}
	return f.Genesis()
}

// remoteDialer reaches validators over the WebSocket transport. The
// connection is made by the first request, so a validator that is down
// costs nothing until it is asked, and then fails that request only.
type remoteDialer struct{}

// Dial implements wallet.Dialer.
func (remoteDialer) Dial(ctx context.Context, v committee.Validator) (client.Node, error) {
	r, err := client.Dial(ctx, v.Address, client.DialOptions{PublicKey: v.PublicKey, Lazy: true})
	if err != nil {
		return nil, fmt.Errorf("dial validator %s: %w", v.PublicKey.Short(), err)
	}
	return r, nil
}

// faucetAt returns the client of the faucet at url.
func faucetAt(url string) wallet.Faucet {
	return &wallet.GraphQLFaucet{URL: url, ParseGenesis: parseGenesis}
}
