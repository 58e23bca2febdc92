package main

import (
	"os"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/kv"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
	"github.com/myriadchain/myriad/wallet"
)

// systemEnv is the env of the real program: the process's output and
// environment, pebble storage, validators and faucets over the network.
func systemEnv() *env {
	return &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, dialer: wallet.RemoteDialer{}, faucet: faucetAt,
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

// faucetAt returns the client of the faucet at url.
func faucetAt(url string) wallet.Faucet {
	return &wallet.GraphQLFaucet{URL: url, ParseGenesis: parseGenesis}
}
