package gqlapi

import (
	"context"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/system"
	client "github.com/myriadchain/myriad/node-client"
	"github.com/myriadchain/myriad/wallet"
)

// A preview is what a mutation would do, found by executing its blocks in
// the local node without signing them: a wallet shows it to its user, and
// after the user approves, runs the mutation under Approve so the blocks
// signed are the blocks shown. Its JSON form is documented in
// docs/wallet-js.md ("Previews").
type Preview struct {
	Blocks []PreviewBlock `json:"blocks"`
	// Follows are the chains the wallet would start to track (followChain).
	Follows []string `json:"follows"`
	runs    []*client.DryRun
}

// PreviewBlock is one block a mutation would sign.
type PreviewBlock struct {
	ChainID string `json:"chainId"`
	Height  uint64 `json:"height"`
	// Operations are the block's operations, described.
	Operations []PreviewOperation `json:"operations"`
	// IncomingBundles is the number of incoming bundles the block takes
	// or rejects.
	IncomingBundles int `json:"incomingBundles"`
	// Balances are the chain's accounts whose balance would change.
	Balances []PreviewBalance `json:"balances"`
	// Messages are the messages the block would send to other chains.
	Messages []PreviewMessage `json:"messages"`
	// Applications are the application entry points the block runs, in
	// order, synchronous calls between applications included.
	Applications []PreviewRun `json:"applications"`
	Fuel         uint64       `json:"fuel"`
	Fees         string       `json:"fees"`
	// PendingFirst says an interrupted block of the chain is finished
	// first: the chain may then have moved, and the approved block fail.
	PendingFirst bool `json:"pendingFirst"`
}

// PreviewOperation is an operation of a block. Application is "" for the
// system (transfers, chains); Kind is the system operation's kind or
// "application"; Summary says what it does in words (an application's
// operation: its bytes, if they are text, shortened).
type PreviewOperation struct {
	Application string `json:"application"`
	Kind        string `json:"kind"`
	Summary     string `json:"summary"`
}

// PreviewBalance is an account whose balance changes: Owner "" is the
// chain's own account; Change is signed ("-3", "+0.5").
type PreviewBalance struct {
	Owner  string `json:"owner"`
	Before string `json:"before"`
	After  string `json:"after"`
	Change string `json:"change"`
}

// PreviewMessage is a message to another chain.
type PreviewMessage struct {
	Destination string `json:"destination"`
	Application string `json:"application"`
	Kind        string `json:"kind"`
	Summary     string `json:"summary"`
}

// PreviewRun is an application entry point a block runs.
type PreviewRun struct {
	Application string `json:"application"`
	Entry       string `json:"entry"`
}

// maxSummary bounds the text of an application's operation in a summary.
const maxSummary = 400

// Approve returns a context under which the mutation previewed proposes
// exactly the previewed blocks (wallet.WithApproved).
func (p *Preview) Approve(ctx context.Context) context.Context {
	blocks := make([]*block.Block, len(p.runs))
	for i, r := range p.runs {
		blocks[i] = r.Block
	}
	return wallet.WithApproved(ctx, blocks)
}

// DryRun previews a mutation of the system schema: each block it would
// sign is executed in the local node and not signed. A query previews to
// no blocks. An error means the mutation would fail (or the preview
// could not be made): it says why.
func (s *Service) DryRun(ctx context.Context, req Request) (*Preview, error) {
	dctx, runs := wallet.WithDryRun(ctx)
	res := s.Exec(dctx, req)
	for _, e := range res.Errors {
		if !isDryRun(e) {
			return nil, fmt.Errorf("gqlapi: dry run: %s", e.Message)
		}
	}
	return PreviewOf(runs), nil
}

// DryRunApplication previews a request to an application's service (see
// ExecApplication): if the service schedules operations, their block is
// executed in the local node and not signed.
func (s *Service) DryRunApplication(ctx context.Context, chainID, appID string, request []byte) (*Preview, error) {
	dctx, runs := wallet.WithDryRun(ctx)
	if _, err := s.ExecApplication(dctx, chainID, appID, request); err != nil && !errors.Is(err, wallet.ErrDryRun) {
		return nil, fmt.Errorf("gqlapi: dry run: %w", err)
	}
	return PreviewOf(runs), nil
}

func isDryRun(e *gqlerrors.QueryError) bool {
	return errors.Is(e.Err, wallet.ErrDryRun) || errors.Is(e.ResolverError, wallet.ErrDryRun)
}

// PreviewOf describes what the operations run under a context from
// wallet.WithDryRun would have done.
func PreviewOf(d *wallet.DryRuns) *Preview {
	p := &Preview{Blocks: []PreviewBlock{}, Follows: []string{}, runs: d.Runs()}
	for _, r := range p.runs {
		p.Blocks = append(p.Blocks, previewBlock(r))
	}
	for _, id := range d.Follows() {
		p.Follows = append(p.Follows, id.String())
	}
	return p
}

func previewBlock(r *client.DryRun) PreviewBlock {
	b := r.Block
	pb := PreviewBlock{ChainID: b.Chain.String(), Height: b.Height, Fuel: r.Outcome.Fuel, Fees: r.Outcome.Fees.String(),
		PendingFirst: r.Pending != nil, Operations: []PreviewOperation{}, Balances: []PreviewBalance{},
		Messages: []PreviewMessage{}, Applications: []PreviewRun{}}
	for _, t := range b.Transactions {
		if t.Bundle != nil {
			pb.IncomingBundles++
			continue
		}
		pb.Operations = append(pb.Operations, describeOperation(b.Chain, t.Operation))
	}
	for _, c := range r.Balances {
		pb.Balances = append(pb.Balances, PreviewBalance{Owner: ownerText(c.Owner), Before: c.Before.String(),
			After: c.After.String(), Change: change(c.Before, c.After)})
	}
	for _, ms := range r.Outcome.Messages {
		for _, m := range ms {
			pb.Messages = append(pb.Messages, describeMessage(m))
		}
	}
	for _, run := range r.Runs {
		pb.Applications = append(pb.Applications, PreviewRun{Application: run.App.String(), Entry: run.Entry.String()})
	}
	return pb
}

func ownerText(o ids.Owner) string {
	if o.IsZero() {
		return ""
	}
	return o.String()
}

// change is after − before, signed.
func change(before, after amount.Amount) string {
	if after.Cmp(before) >= 0 {
		d, _ := after.Sub(before)
		return "+" + d.String()
	}
	d, _ := before.Sub(after)
	return "-" + d.String()
}

// account names an account in words: "the chain's account" or an owner's.
func account(o ids.Owner) string {
	if o.IsZero() {
		return "the chain's account"
	}
	return "the account of " + o.String()
}

func describeOperation(chain ids.ChainID, op *block.Operation) PreviewOperation {
	if !op.IsSystem() {
		return PreviewOperation{Application: op.App.String(), Kind: "application", Summary: textOf(op.Bytes)}
	}
	o, err := system.DecodeOperation(op.Bytes)
	if err != nil {
		return PreviewOperation{Kind: "malformed", Summary: fmt.Sprintf("a system operation that does not decode: %v", err)}
	}
	pre := PreviewOperation{Kind: o.Kind.String()}
	switch o.Kind {
	case system.OpTransfer:
		pre.Summary = fmt.Sprintf("transfer %s from %s to %s", o.Amount, account(o.Owner), o.Recipient)
	case system.OpClaim:
		pre.Summary = fmt.Sprintf("claim %s from the account of %s on %s, for %s", o.Amount, o.Owner, o.Target, o.Recipient)
	case system.OpOpenChain:
		pre.Summary = fmt.Sprintf("open a new chain with %s tokens from the chain's account", o.Amount)
	case system.OpCloseChain:
		pre.Summary = fmt.Sprintf("close the chain %s for good: it will only reject incoming messages", chain)
	case system.OpChangeOwnership:
		pre.Summary = "change who owns the chain"
	case system.OpPublishBlob:
		pre.Summary = fmt.Sprintf("publish the blob %s", o.Blob)
	case system.OpCreateApplication:
		pre.Summary = "create an application"
	default:
		pre.Summary = "an administrative operation of the network's committee"
	}
	return pre
}

func describeMessage(m block.OutgoingMessage) PreviewMessage {
	pm := PreviewMessage{Destination: m.Destination.String(), Kind: m.Kind.String()}
	if !m.Message.IsSystem() {
		pm.Application = m.Message.App.String()
		pm.Summary = "a message of the application"
		return pm
	}
	sm, err := system.DecodeMessage(m.Message.Bytes)
	if err != nil {
		pm.Summary = fmt.Sprintf("a system message that does not decode: %v", err)
		return pm
	}
	switch sm.Kind {
	case system.MsgCredit:
		pm.Summary = fmt.Sprintf("credit %s to %s", sm.Amount, account(sm.Owner))
	case system.MsgWithdraw:
		pm.Summary = fmt.Sprintf("withdraw %s from %s to %s", sm.Amount, account(sm.Owner), sm.Recipient)
	case system.MsgOpenChain:
		pm.Summary = "create the new chain"
	default:
		pm.Summary = "a system message (" + sm.Kind.String() + ")"
	}
	return pm
}

// textOf shows an application's operation: as text (JSON, for the SDK's
// applications) if it is valid UTF-8, with every character that does not
// print (controls, bidirectional overrides) shown as '·', shortened; else
// its size.
func textOf(b []byte) string {
	if !utf8.Valid(b) {
		return fmt.Sprintf("%d bytes", len(b))
	}
	r := []rune(string(b))
	cut := len(r) > maxSummary
	if cut {
		r = r[:maxSummary]
	}
	for i, c := range r {
		if !unicode.IsPrint(c) {
			r[i] = '·'
		}
	}
	if cut {
		return string(r) + "…"
	}
	return string(r)
}
