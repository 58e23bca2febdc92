package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/kv"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/internal/testnet"
	client "github.com/myriadchain/myriad/node-client"
	pebblestore "github.com/myriadchain/myriad/storage/pebble"
	"github.com/myriadchain/myriad/validator"
	"github.com/myriadchain/myriad/wallet"
)

var rewrite = flag.Bool("rewrite", false, "rewrite docs/cli.md and the scripts' expected files")

// TestScripts runs the CLI scripts in testdata/script. Each script gets its
// own in-process network of four validators (internal/testnet) whose
// genesis is $WORK/genesis.json, and a faucet at mem://faucet that opens
// chains with 100 tokens from root chain 1. Commands:
//
//	myriad ARGS…            run the CLI in-process against that network (wallets in pebble under $WORK)
//	jsonvar NAME PATH       set $NAME to the field at PATH (a.b.0.c) of the last command's JSON stdout
//	validator offline|online I…   take validators (by committee order) down or bring them back
//	bigfile NAME BYTES      write a file of BYTES letters a
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: setupNet,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"myriad":    cmdScriptMyriad,
			"jsonvar":   cmdJSONVar,
			"validator": cmdValidator,
			"bigfile":   cmdBigFile,
		},
		UpdateScripts: *rewrite,
	})
}

// scriptNet is a script's network.
type scriptNet struct {
	net    *testnet.Network
	faucet *wallet.Wallet
}

func setupNet(e *testscript.Env) error {
	n := testnet.New(testnet.Config{Validators: 4, Seed: 1, Chains: []amount.Amount{amount.Zero, amount.Tokens(1000)}})
	sn := &scriptNet{net: n}
	if err := writeGenesis(filepath.Join(e.WorkDir, "genesis.json"), n); err != nil {
		return err
	}
	ctx := context.Background()
	var err error
	sn.faucet, err = wallet.Create(ctx, wallet.Config{File: new(wallet.MemFile), Store: kv.NewMemory(), Dialer: sn,
		Now: sn.now}, n.Genesis, "")
	if err != nil {
		return err
	}
	if _, err := sn.faucet.AddKey(n.Key(1)); err != nil {
		return err
	}
	if _, err := sn.faucet.Follow(ctx, n.Genesis.ChainID(1), nil); err != nil {
		return err
	}
	e.Values["net"] = sn
	return nil
}

// writeGenesis writes the network's genesis in the validators' format.
func writeGenesis(path string, n *testnet.Network) error {
	f := &validator.GenesisFile{Committee: validator.GenesisCommittee{Policy: "no-fees"}, Timestamp: n.Genesis.Timestamp}
	for _, v := range n.Genesis.Committee.Validators {
		f.Committee.Validators = append(f.Committee.Validators, validator.GenesisValidator{PublicKey: v.PublicKey, Weight: v.Weight, Address: v.Address})
	}
	for i, c := range n.Genesis.Chains {
		f.Chains = append(f.Chains, validator.GenesisChain{Owner: n.Key(i).Owner(), Balance: c.Balance})
	}
	if err := validator.WriteGenesis(path, f); err != nil {
		return err
	}
	g, err := validator.LoadGenesis(path)
	if err != nil {
		return err
	}
	if g.Committee.Hash() != n.Genesis.Committee.Hash() || g.Admin() != n.Genesis.Admin() {
		return fmt.Errorf("genesis file differs from the test network's genesis")
	}
	return nil
}

func (sn *scriptNet) now() uint64 { return sn.net.Clock }

// Dial implements wallet.Dialer: validators deliver cross-chain messages
// as soon as they store a block, as a real network does in the background.
func (sn *scriptNet) Dial(_ context.Context, v committee.Validator) (client.Node, error) {
	for _, val := range sn.net.Validators {
		if val.PublicKey() == v.PublicKey {
			return deliveringNode{val, sn.net}, nil
		}
	}
	return nil, fmt.Errorf("no validator at %s", v.Address)
}

type deliveringNode struct {
	*testnet.Validator
	net *testnet.Network
}

func (n deliveringNode) HandleCertificate(ctx context.Context, c *block.Certificate) (*block.Vote, error) {
	v, err := n.Validator.HandleCertificate(ctx, c)
	n.net.Deliver(ctx) //nolint:errcheck // offline validators get theirs later
	return v, err
}

// Genesis implements wallet.Faucet.
func (sn *scriptNet) Genesis(context.Context) (*chain.Genesis, error) { return sn.net.Genesis, nil }

// Claim implements wallet.Faucet.
func (sn *scriptNet) Claim(ctx context.Context, owner ids.Owner) (ids.Description, error) {
	c, _, err := sn.faucet.OpenChain(ctx, sn.net.Genesis.ChainID(1), manager.Single(owner), amount.Tokens(100))
	return c.Description.Description, err
}

func cmdScriptMyriad(ts *testscript.TestScript, neg bool, args []string) {
	sn := ts.Value("net").(*scriptNet)
	e := &env{stdout: ts.Stdout(), stderr: ts.Stderr(), getenv: ts.Getenv, dir: ts.MkAbs("."), dialer: sn, now: sn.now,
		faucet: func(url string) wallet.Faucet {
			if url == "mem://faucet" {
				return sn
			}
			return faucetAt(url)
		},
		openStore: func(dir string) (kv.Store, error) { return pebblestore.New(pebblestore.Config{Dir: dir}) },
	}
	code := run(context.Background(), e, args)
	if neg && code == 0 {
		ts.Fatalf("myriad %s succeeded unexpectedly", strings.Join(args, " "))
	}
	if !neg && code != 0 {
		ts.Fatalf("myriad %s: exit code %d", strings.Join(args, " "), code)
	}
}

func cmdJSONVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonvar NAME PATH")
	}
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile("stdout")), &v); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	for _, k := range strings.Split(args[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("jsonvar: no element %s in a list of %d", k, len(x))
			}
			v = x[i]
		default:
			ts.Fatalf("jsonvar: no field %s in %v", k, v)
		}
	}
	if v == nil {
		ts.Fatalf("jsonvar: no value at %s", args[1])
	}
	ts.Setenv(args[0], fmt.Sprint(v))
}

func cmdValidator(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || (args[0] != "offline" && args[0] != "online") {
		ts.Fatalf("usage: validator offline|online INDEX…")
	}
	sn := ts.Value("net").(*scriptNet)
	com := sn.net.Genesis.Committee
	for _, a := range args[1:] {
		i, err := strconv.Atoi(a)
		if err != nil || i < 0 || i >= len(com.Validators) {
			ts.Fatalf("no validator %s", a)
		}
		for _, v := range sn.net.Validators {
			if v.PublicKey() == com.Validators[i].PublicKey {
				v.Fault = testnet.Honest
				if args[0] == "offline" {
					v.Fault = testnet.Offline
				}
			}
		}
	}
	if args[0] == "online" {
		sn.net.Deliver(context.Background()) //nolint:errcheck // what waited for them
	}
}

func cmdBigFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile NAME BYTES")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 {
		ts.Fatalf("bigfile: %q is not a size", args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), bytes.Repeat([]byte("a"), n), 0o644))
}
