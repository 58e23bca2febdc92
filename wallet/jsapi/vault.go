//go:build js && wasm

package jsapi

import (
	"context"
	"errors"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/wallet"
)

// createVault makes a wallet of format version 2 (keys sealed with the
// password) and answers its recovery phrase.
func createVault(ctx context.Context, cfg wallet.Config, g *chain.Genesis, req CreateRequest) (*wallet.Wallet, string, error) {
	w, err := wallet.CreateVault(ctx, cfg, wallet.VaultSetup{Genesis: g, Faucet: req.Faucet,
		Mnemonic: req.Mnemonic, Password: req.Password})
	if err != nil {
		return nil, "", err
	}
	m, err := w.Mnemonic()
	if err != nil {
		return nil, "", err
	}
	return w, m, nil
}

func unlockWallet(w *wallet.Wallet, password string) error {
	if err := w.Unlock(password); errors.Is(err, wallet.ErrWrongPassword) {
		return &Error{Code: CodeWrongPassword, Message: "wrong password"}
	} else if err != nil {
		return err
	}
	return nil
}
