package localnet

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
)

// buildValidator builds cmd/myriad-validator into a temporary directory.
func buildValidator(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "myriad-validator")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/myriadchain/myriad/cmd/myriad-validator").CombinedOutput()
	if err != nil {
		t.Fatalf("go build myriad-validator: %v\n%s", err, out)
	}
	return bin
}

func wallet(t *testing.T, ctx context.Context, n *Network, i int) *client.Client {
	t.Helper()
	store := kv.NewMemory()
	if err := n.Genesis.Initialize(ctx, store); err != nil {
		t.Fatal(err)
	}
	nodes, err := client.DialCommittee(ctx, n.Genesis.Committee, client.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ns []client.Node
	for _, r := range nodes {
		ns = append(ns, r)
		t.Cleanup(func() { r.Close() })
	}
	return &client.Client{Chain: n.Genesis.ChainID(i), Key: n.Keys[i], Local: &chain.Worker{Store: store}, Validators: ns,
		Now: func() uint64 { return uint64(time.Now().UnixMicro()) }}
}

// TestUpTransferRestart starts a real network of validator processes,
// transfers between two spare root chains, kills a validator with SIGKILL,
// goes on transferring, restarts it from its pebble store and checks it
// serves the same chain state as the others.
func TestUpTransferRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts validator processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n, err := Up(ctx, Config{Dir: t.TempDir(), ValidatorBin: buildValidator(t), FaucetPort: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	a, b := wallet(t, ctx, n, 2), wallet(t, ctx, n, 3)
	start := n.InitialAmount // each spare root chain's balance
	plus := func(tokens uint64) string {
		v, _ := start.Add(amount.Tokens(tokens))
		return v.String()
	}
	minus := func(tokens uint64) string { v, _ := start.Sub(amount.Tokens(tokens)); return v.String() }
	send := func(c *client.Client, to ids.ChainID, tokens uint64) {
		t.Helper()
		op := system.Operation{Kind: system.OpTransfer, Recipient: ids.Account{Chain: to}, Amount: amount.Tokens(tokens)}
		if _, err := c.Transfer(ctx, op); err != nil {
			t.Fatalf("transfer: %v", err)
		}
	}
	send(a, b.Chain, 10)
	if err := n.Kill(3); err != nil {
		t.Fatal(err)
	}
	send(a, b.Chain, 5)
	if err := n.Restart(ctx, 3); err != nil {
		t.Fatal(err)
	}
	// Bob takes both credits; the restarted validator is brought up to date
	// by the clients as it is asked to vote.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := b.ProcessInbox(ctx); err != nil {
			t.Fatalf("process inbox: %v", err)
		}
		if bal, _ := b.Balance(ctx); bal == plus(15) || time.Now().After(deadline) {
			break
		}
	}
	send(a, b.Chain, 1)
	if got, _ := b.Balance(ctx); got != plus(15) {
		t.Errorf("bob balance = %s, want %s", got, plus(15))
	}
	if got, _ := a.Balance(ctx); got != minus(16) {
		t.Errorf("alice balance = %s, want %s", got, minus(16))
	}
	r, err := client.Dial(ctx, n.Addresses[3], client.DialOptions{PublicKey: n.Genesis.Committee.Validators[3].PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info, err := r.ChainInfo(ctx, a.Chain)
	if err != nil {
		t.Fatal(err)
	}
	if want := chain.Open(ctx, a.Local.Store, a.Chain).Tip(); info.Tip != want {
		t.Errorf("restarted validator's tip of alice = %+v, want %+v", info.Tip, want)
	}
}
