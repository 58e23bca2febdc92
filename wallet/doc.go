// Package wallet is Myriad's wallet core, shared by the CLI and (later)
// the browser extension: the user's keys, the chains they track, and a
// local node that executes and stores those chains.
//
// A wallet is a Document (JSON: format version, genesis, keys, tracked
// chains, default chain) kept in a File, plus a kv.Store for the local
// node, which starts from the genesis. Validators are reached through a
// Dialer: the WebSocket transport in the CLI, an in-process network in
// tests.
//
//	w, err := wallet.Create(ctx, wallet.Config{File: wallet.DiskFile(path), Store: store, Dialer: d}, genesis, "")
//	c, err := w.RequestChain(ctx, &wallet.GraphQLFaucet{URL: faucetURL})
//	cert, err := w.Transfer(ctx, ids.Account{Chain: c.ID}, ids.Account{Chain: bob}, amount.Tokens(5))
//	w.ProcessInbox(ctx, c.ID)
//
// Proposing is crash-safe: every block is stored in the local store before
// it is sent (node-client's ProposeDurably), and the next command on the
// chain finishes an interrupted block before it builds another, so the
// wallet never proposes two different blocks at one height. The block is
// stored unsigned (each round's proposal is signed as it is sent), so a
// locked wallet does not finish it: Sync leaves it pending, and commands
// that sign fail with ErrLocked until Unlock.
//
// Format version 1 (Create; the CLI's) keeps key seeds unencrypted in the
// file. Format version 2 (CreateVault) seals them with a password in a
// vault (package wallet/vault): keys are derived from a BIP-39 recovery
// phrase along m/44'/19801'/account'/0'/0', and only public keys, owners
// and paths stay in clear. Such a wallet opens locked:
//
//	w, err := wallet.CreateVault(ctx, cfg, wallet.VaultSetup{Genesis: genesis, Password: pw})
//	phrase, err := w.Mnemonic() // for the user to write down
//	k, err := w.GenerateKey()   // account 0, then 1, ...
//	w.Lock()                    // signing now fails with ErrLocked
//	err = w.Unlock(pw)          // ErrWrongPassword if pw is wrong
//
// A vault wallet restored from its phrase finds its chains by asking the
// faucet which chains it opened for accounts 0, 1, ... (docs/keys.md):
//
//	w, err := wallet.CreateVault(ctx, cfg, wallet.VaultSetup{Genesis: genesis, Mnemonic: phrase, Password: pw})
//	d, err := w.Discover(ctx, &wallet.GraphQLFaucet{URL: faucetURL}) // d.Chains are followed
package wallet
