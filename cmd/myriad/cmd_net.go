package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/wallet"
)

type validatorStatus struct {
	PublicKey keys.PublicKey `json:"public_key"`
	Address   string         `json:"address"`
	Weight    uint64         `json:"weight"`
	Height    uint64         `json:"height"`
	Error     string         `json:"error,omitzero"`
}

type validatorsView struct {
	Chain      ids.ChainID       `json:"chain"`
	Validators []validatorStatus `json:"validators"`
}

func (v validatorsView) text(w io.Writer) {
	fmt.Fprintf(w, "chain %s\n", v.Chain)
	for _, s := range v.Validators {
		state := fmt.Sprintf("height %d", s.Height)
		if s.Error != "" {
			state = "error: " + s.Error
		}
		fmt.Fprintf(w, "  %s  %-24s weight %d  %s\n", s.PublicKey.Short(), s.Address, s.Weight, state)
	}
}

func cmdQueryValidators(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		arg, err := optional(args)
		if err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			id := s.Genesis().Admin()
			if arg != "" || len(s.Chains()) > 0 {
				if id, err = chainArg(s.Wallet, arg); err != nil {
					return nil, err
				}
			}
			return queryValidators(ctx, s, id)
		})
	}
}

type chainUpdate struct {
	Chain ids.ChainID `json:"chain"`
	From  uint64      `json:"from"`
	To    uint64      `json:"to"`
	Error string      `json:"error,omitzero"`
}

type syncValidatorView struct {
	Address string        `json:"address"`
	Chains  []chainUpdate `json:"chains"`
}

func (v syncValidatorView) text(w io.Writer) {
	for _, c := range v.Chains {
		if c.Error != "" {
			fmt.Fprintf(w, "%s: %s\n", c.Chain.Short(), c.Error)
			continue
		}
		fmt.Fprintf(w, "%s: validator at height %d, now %d\n", c.Chain.Short(), c.From, c.To)
	}
}

func cmdSyncValidator(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if _, err := exactly(args, "ADDRESS"); err != nil {
			return nil, err
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			ups, err := s.SyncValidator(ctx, args[0])
			if err != nil {
				return nil, err
			}
			v := syncValidatorView{Address: args[0], Chains: []chainUpdate{}}
			for _, u := range ups {
				cu := chainUpdate{Chain: u.Chain, From: u.From, To: u.To}
				if u.Err != nil {
					cu.Error = u.Err.Error()
				}
				v.Chains = append(v.Chains, cu)
			}
			return v, nil
		})
	}
}

// event is one thing watch saw happen.
type event struct {
	Chain   ids.ChainID   `json:"chain"`
	Event   string        `json:"event"` // blocks, incoming, processed, error
	Height  uint64        `json:"height"`
	Balance amount.Amount `json:"balance"`
	Bundles int           `json:"bundles,omitzero"`
	Error   string        `json:"error,omitzero"`
}

func (ev event) print(e *env) {
	if e.json {
		b, _ := json.Marshal(ev)
		fmt.Fprintf(e.stdout, "%s\n", b)
		return
	}
	switch ev.Event {
	case "blocks":
		fmt.Fprintf(e.stdout, "%s: new blocks up to height %d, balance %s\n", ev.Chain.Short(), ev.Height-1, ev.Balance)
	case "incoming":
		fmt.Fprintf(e.stdout, "%s: %d incoming bundles waiting\n", ev.Chain.Short(), ev.Bundles)
	case "processed":
		fmt.Fprintf(e.stdout, "%s: took %d incoming bundles in block %d, balance %s\n", ev.Chain.Short(), ev.Bundles, ev.Height-1, ev.Balance)
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", ev.Chain.Short(), ev.Error)
	}
}

// subscriber is a validator connection that pushes notifications (the
// WebSocket transport); watch polls when no validator offers it.
type subscriber interface {
	Subscribe(ctx context.Context, chains []ids.ChainID) (<-chan chain.Notification, error)
}

func cmdWatch(fs *flag.FlagSet) runner {
	process := fs.Bool("process-inbox", false, "take incoming messages into blocks as they arrive")
	rounds := fs.Int("rounds", 0, "stop after this many checks (0: run until interrupted)")
	interval := fs.Duration("interval", 2*time.Second, "longest wait between checks (validators that push notifications end it early)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		return withWallet(ctx, e, func(s *session) (result, error) {
			chains, err := watchedChains(s, args)
			if err != nil {
				return nil, err
			}
			w := &watcher{s: s, e: e, process: *process, last: map[ids.ChainID]wallet.Status{}}
			for _, id := range chains {
				w.last[id], _ = s.Status(ctx, id)
			}
			wake := w.subscribe(ctx, chains)
			for i := 0; *rounds == 0 || i < *rounds; i++ {
				if i > 0 && !sleep(ctx, wake, *interval) {
					break
				}
				for _, id := range chains {
					w.check(ctx, id)
				}
			}
			return nil, nil
		})
	}
}

func watchedChains(s *session, args []string) ([]ids.ChainID, error) {
	var out []ids.ChainID
	for _, a := range args {
		id, err := chainArg(s.Wallet, a)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	if len(args) == 0 {
		for _, c := range s.Chains() {
			out = append(out, c.ID)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the wallet tracks no chain to watch", wallet.ErrUnknownChain)
	}
	return out, nil
}

// sleep waits for d, a notification or the end of ctx; false at the end.
func sleep(ctx context.Context, wake <-chan chain.Notification, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-wake:
		return true
	case <-t.C:
		return true
	}
}

type watcher struct {
	s       *session
	e       *env
	process bool
	last    map[ids.ChainID]wallet.Status
}

// subscribe asks the first validator that pushes notifications for the
// chains' news; nil if none does.
func (w *watcher) subscribe(ctx context.Context, chains []ids.ChainID) <-chan chain.Notification {
	nodes, err := w.s.Nodes(ctx)
	if err != nil {
		return nil
	}
	for _, n := range nodes {
		if sub, ok := n.(subscriber); ok {
			if ch, err := sub.Subscribe(ctx, chains); err == nil {
				return ch
			}
		}
	}
	return nil
}

// check synchronises one chain and prints what changed.
func (w *watcher) check(ctx context.Context, id ids.ChainID) {
	st, err := w.s.Sync(ctx, id)
	if err != nil {
		event{Chain: id, Event: "error", Error: err.Error()}.print(w.e)
		return
	}
	last := w.last[id]
	if st.Height > last.Height {
		event{Chain: id, Event: "blocks", Height: st.Height, Balance: st.Balance}.print(w.e)
	}
	switch {
	case st.Inbox > 0 && w.process && w.owned(id):
		v, err := processInbox(ctx, w.s, id)
		if err != nil {
			event{Chain: id, Event: "error", Error: err.Error()}.print(w.e)
			break
		}
		st, _ = w.s.Status(ctx, id)
		event{Chain: id, Event: "processed", Height: st.Height, Balance: st.Balance, Bundles: v.Bundles}.print(w.e)
	case st.Inbox > 0 && st.Inbox != last.Inbox:
		event{Chain: id, Event: "incoming", Height: st.Height, Balance: st.Balance, Bundles: st.Inbox}.print(w.e)
	}
	w.last[id] = st
}

func (w *watcher) owned(id ids.ChainID) bool {
	c, err := w.s.Chain(id)
	return err == nil && !c.Owner.IsZero()
}

func cmdSetValidatorAddress(*flag.FlagSet) runner {
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if len(args) < 1 || len(args) > 2 {
			return nil, usageErrorf("want PUBLIC_KEY [ADDRESS]")
		}
		var pub keys.PublicKey
		if err := pub.UnmarshalText([]byte(args[0])); err != nil {
			return nil, usageErrorf("public key %q: %v", args[0], err)
		}
		address := ""
		if len(args) == 2 {
			address = args[1]
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			if err := s.SetValidatorAddress(ctx, pub, address); err != nil {
				return nil, err
			}
			id := s.Genesis().Admin()
			return queryValidators(ctx, s, id)
		})
	}
}

// queryValidators asks every validator about chain id.
func queryValidators(ctx context.Context, s *session, id ids.ChainID) (result, error) {
	list, err := s.Validators(ctx, id)
	if err != nil {
		return nil, err
	}
	v := validatorsView{Chain: id}
	for _, st := range list {
		vs := validatorStatus{st.PublicKey, st.Address, st.Weight, st.Height, ""}
		if st.Err != nil {
			vs.Error = st.Err.Error()
		}
		v.Validators = append(v.Validators, vs)
	}
	return v, nil
}
