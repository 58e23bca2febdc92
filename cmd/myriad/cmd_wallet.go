package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/wallet"
)

// chainView is a tracked chain and its local state.
type chainView struct {
	ID          ids.ChainID        `json:"id"`
	Owner       ids.Owner          `json:"owner,omitzero"`
	Description wallet.Description `json:"description"`
	Default     bool               `json:"default"`
	Height      uint64             `json:"height"`
	Balance     amount.Amount      `json:"balance"`
	Inbox       int                `json:"inbox"`
	Closed      bool               `json:"closed,omitzero"`
	// PendingBlock is the height of an interrupted proposal, retried by
	// the next command on the chain.
	PendingBlock *uint64 `json:"pending_block,omitempty"`
}

func (c chainView) text(w io.Writer) {
	mark := " "
	if c.Default {
		mark = "*"
	}
	owner := "followed"
	if !c.Owner.IsZero() {
		owner = "owner " + c.Owner.Short()
	}
	fmt.Fprintf(w, "%s %s  %s  height %d  balance %s  %s", mark, c.ID, c.Description, c.Height, c.Balance, owner)
	if c.Inbox > 0 {
		fmt.Fprintf(w, "  inbox %d", c.Inbox)
	}
	if c.Closed {
		fmt.Fprint(w, "  closed")
	}
	if c.PendingBlock != nil {
		fmt.Fprintf(w, "  pending block %d", *c.PendingBlock)
	}
	fmt.Fprintln(w)
}

func viewChain(ctx context.Context, s *session, c wallet.Chain) (chainView, error) {
	st, err := s.Status(ctx, c.ID)
	if err != nil {
		return chainView{}, err
	}
	def, _ := s.Default()
	v := chainView{ID: c.ID, Owner: c.Owner, Description: c.Description, Default: def == c.ID,
		Height: st.Height, Balance: st.Balance, Inbox: st.Inbox, Closed: st.Closed}
	if st.Pending != nil {
		v.PendingBlock = &st.Pending.Height
	}
	return v, nil
}

type validatorView struct {
	PublicKey keys.PublicKey `json:"public_key"`
	Address   string         `json:"address"`
	Weight    uint64         `json:"weight"`
}

type walletView struct {
	Wallet     string          `json:"wallet"`
	Storage    string          `json:"storage"`
	Faucet     string          `json:"faucet,omitzero"`
	Admin      ids.ChainID     `json:"admin_chain"`
	Validators []validatorView `json:"validators"`
	Keys       []keyView       `json:"keys"`
	Chains     []chainView     `json:"chains"`
}

func (v walletView) text(w io.Writer) {
	fmt.Fprintf(w, "wallet %s (storage %s)\n", v.Wallet, v.Storage)
	fmt.Fprintf(w, "network: admin chain %s, %d validators\n", v.Admin, len(v.Validators))
	if v.Faucet != "" {
		fmt.Fprintf(w, "faucet: %s\n", v.Faucet)
	}
	fmt.Fprintf(w, "keys: %d\n", len(v.Keys))
	for _, k := range v.Keys {
		fmt.Fprintf(w, "  owner %s\n", k.Owner)
	}
	fmt.Fprintf(w, "chains: %d (* default)\n", len(v.Chains))
	for _, c := range v.Chains {
		c.text(w)
	}
}

func showWallet(ctx context.Context, s *session) (walletView, error) {
	doc := s.Document()
	v := walletView{Wallet: s.path, Storage: s.storage, Faucet: doc.Faucet, Admin: doc.Genesis.Admin(),
		Keys: []keyView{}, Chains: []chainView{}}
	com, err := s.Committee(ctx)
	if err != nil {
		return v, err
	}
	for _, val := range com.Validators {
		v.Validators = append(v.Validators, validatorView{val.PublicKey, val.Address, val.Weight})
	}
	for _, k := range doc.Keys {
		v.Keys = append(v.Keys, keyView{k.Owner, k.PublicKey})
	}
	for _, c := range s.Chains() {
		cv, err := viewChain(ctx, s, c)
		if err != nil {
			return v, err
		}
		v.Chains = append(v.Chains, cv)
	}
	return v, nil
}

func cmdWalletInit(fs *flag.FlagSet) runner {
	genesisFile := fs.String("genesis", "", "genesis file of the network, as validators and `myriad net up` write it")
	faucetURL := fs.String("faucet", "", "faucet to get the genesis from")
	newChain := fs.Bool("with-new-chain", false, "also ask the faucet for a chain (needs --faucet)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		if (*genesisFile == "") == (*faucetURL == "") {
			return nil, usageErrorf("give exactly one of --genesis FILE and --faucet URL")
		}
		if *newChain && *faucetURL == "" {
			return nil, usageErrorf("--with-new-chain needs --faucet URL")
		}
		g, err := initGenesis(ctx, e, *genesisFile, *faucetURL)
		if err != nil {
			return nil, err
		}
		s, err := e.open(ctx, func(ctx context.Context, cfg wallet.Config) (*wallet.Wallet, error) {
			return wallet.Create(ctx, cfg, g, *faucetURL)
		})
		if err != nil {
			return nil, err
		}
		defer s.close()
		if *newChain {
			if _, err := s.RequestChain(ctx, e.faucet(*faucetURL)); err != nil {
				return nil, fmt.Errorf("wallet created, but the faucet gave no chain: %w", err)
			}
		}
		return showWallet(ctx, s)
	}
}

func initGenesis(ctx context.Context, e *env, file, faucetURL string) (*chain.Genesis, error) {
	if faucetURL != "" {
		g, err := e.faucet(faucetURL).Genesis(ctx)
		if err != nil {
			return nil, fmt.Errorf("get genesis from faucet: %w", err)
		}
		return g, nil
	}
	b, err := os.ReadFile(e.abs(file))
	if err != nil {
		return nil, fmt.Errorf("read genesis: %w", err)
	}
	return parseGenesis(b)
}

func cmdWalletShow(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) { return showWallet(ctx, s) })
	}
}

func cmdRequestChain(fs *flag.FlagSet) runner {
	faucetURL := fs.String("faucet", "", "faucet URL (default: the wallet's faucet, then $MYRIAD_FAUCET_URL)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			url := *faucetURL
			for _, alt := range []string{s.Document().Faucet, e.getenv("MYRIAD_FAUCET_URL")} {
				if url == "" {
					url = alt
				}
			}
			if url == "" {
				return nil, usageErrorf("no faucet: give --faucet URL or set MYRIAD_FAUCET_URL")
			}
			c, err := s.RequestChain(ctx, e.faucet(url))
			if err != nil {
				return nil, err
			}
			return viewChain(ctx, s, c)
		})
	}
}

func cmdFollowChain(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "CHAIN"); err != nil {
			return nil, err
		}
		return withChain(ctx, e, args[0], func(s *session, id ids.ChainID) (result, error) {
			c, err := s.Follow(ctx, id, nil)
			if err != nil {
				return nil, err
			}
			return viewChain(ctx, s, c)
		})
	}
}

func cmdSetDefault(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "CHAIN"); err != nil {
			return nil, err
		}
		return withChain(ctx, e, args[0], func(s *session, id ids.ChainID) (result, error) {
			if err := s.SetDefault(id); err != nil {
				return nil, err
			}
			c, _ := s.Chain(id)
			return viewChain(ctx, s, c)
		})
	}
}

type keyView struct {
	Owner     ids.Owner      `json:"owner"`
	PublicKey keys.PublicKey `json:"public_key"`
}

func (k keyView) text(w io.Writer) {
	fmt.Fprintf(w, "owner %s\npublic key %s\n", k.Owner, k.PublicKey)
}

func cmdKeygen(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args); err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			k, err := s.GenerateKey()
			if err != nil {
				return nil, err
			}
			return keyView{k.Owner, k.PublicKey}, nil
		})
	}
}
