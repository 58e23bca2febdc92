package chain

import (
	"errors"
	"github.com/myriadchain/myriad/core/app"
	"testing"

	"github.com/myriadchain/myriad/core/amount"
	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/committee"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
	"github.com/myriadchain/myriad/core/manager"
	"github.com/myriadchain/myriad/core/system"
)

// TestHandleProposalRefuses sends a validator one invalid proposal at a
// time. Each is refused with its own error, and the validator's store is
// unchanged: it neither voted nor recorded anything.
func TestHandleProposalRefuses(t *testing.T) {
	stranger := testKey("stranger")
	bundleFrom := func(f *fixture, i int) block.Transaction {
		return f.inbox(i)[0]
	}
	tests := []struct {
		name   string
		policy func(*committee.Policy)
		// setup runs before the proposal is made (confirming earlier blocks).
		setup func(f *fixture)
		make  func(f *fixture) *block.Proposal
		want  error
	}{{
		name: "bad signature",
		make: func(f *fixture) *block.Proposal {
			p := f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
			p.Signature[3] ^= 1
			return p
		},
		want: keys.ErrBadSignature,
	}, {
		name: "block altered after signing",
		make: func(f *fixture) *block.Proposal {
			p := f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
			p.Block.Timestamp++
			return p
		},
		want: keys.ErrBadSignature,
	}, {
		name: "proposer is not the block's signer",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			return block.NewProposal(b, block.Round{Kind: block.MultiLeader}, stranger, nil)
		},
		want: block.ErrWrongProposer,
	}, {
		name: "signer not an owner",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Signer = stranger.Owner()
			return block.NewProposal(b, block.Round{Kind: block.MultiLeader}, stranger, nil)
		},
		want: ErrNotOwner,
	}, {
		name: "owner of another chain",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Signer = f.owners[2].Owner()
			return block.NewProposal(b, block.Round{Kind: block.MultiLeader}, f.owners[2], nil)
		},
		want: ErrNotOwner,
	}, {
		name: "height ahead",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Height++
			return f.propose(1, b)
		},
		want: ErrWrongHeight,
	}, {
		name:  "replayed block",
		setup: func(f *fixture) { f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1))))) },
		make: func(f *fixture) *block.Proposal {
			c, _ := f.state(0, f.id(1)).Certificate(0)
			return f.propose(1, c.Value.Block.Block)
		},
		want: ErrWrongHeight,
	}, {
		name:  "wrong previous hash",
		setup: func(f *fixture) { f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1))))) },
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Previous[0] ^= 1
			return f.propose(1, b)
		},
		want: ErrWrongPrevious,
	}, {
		name: "previous hash at height 0",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Previous = ids.Sum("test", []byte("x"))
			return f.propose(1, b)
		},
		want: ErrWrongPrevious,
	}, {
		name: "timestamp before the previous block",
		setup: func(f *fixture) {
			f.now += 5_000_000
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
		},
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Timestamp -= 1
			return f.propose(1, b)
		},
		want: ErrTimestamp,
	}, {
		name: "timestamp too far ahead",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Timestamp = f.now + DefaultGrace + 1
			return f.propose(1, b)
		},
		want: ErrFuture,
	}, {
		name: "wrong epoch",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Epoch = 1
			return f.propose(1, b)
		},
		want: ErrWrongEpoch,
	}, {
		name:   "block too large",
		policy: func(p *committee.Policy) { p.MaxBlockSize = 300 },
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)), pay(f.id(2), amount.Tokens(1)))))
		},
		want: ErrTooLarge,
	}, {
		name:   "too many transactions",
		policy: func(p *committee.Policy) { p.MaxBlockTxs = 1 },
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)), pay(f.id(2), amount.Tokens(1)))))
		},
		want: ErrTooLarge,
	}, {
		name: "empty block",
		make: func(f *fixture) *block.Proposal { return f.propose(1, f.next(1, nil)) },
		want: ErrEmptyBlock,
	}, {
		name: "insufficient funds",
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(101)))))
		},
		want: system.ErrInsufficientFunds,
	}, {
		name: "insufficient funds in the second transaction",
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(60)), pay(f.id(2), amount.Tokens(60)))))
		},
		want: system.ErrInsufficientFunds,
	}, {
		name: "zero amount",
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Zero))))
		},
		want: system.ErrZeroAmount,
	}, {
		name:   "fees above the balance",
		policy: func(p *committee.Policy) { p.Block = amount.Tokens(1000) },
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
		},
		want: ErrInsufficientFees,
	}, {
		name: "application on a node without a runtime",
		make: func(f *fixture) *block.Proposal {
			op := block.Operation{App: ids.Sum("app", nil), Bytes: []byte{1}}
			return f.propose(1, f.next(1, []block.Transaction{{Operation: &op}}))
		},
		want: app.ErrNoVM,
	}, {
		name: "committee change off the admin chain",
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(system.Operation{Kind: system.OpCreateCommittee, Epoch: 1, Committee: f.com})))
		},
		want: system.ErrNotAdmin,
	}, {
		name: "bundle never sent",
		make: func(f *fixture) *block.Proposal {
			fake := block.IncomingBundle{Origin: f.id(1), Bundle: block.Bundle{
				Messages: []block.PostedMessage{{Kind: block.Tracked, Message: system.Message{Kind: system.MsgCredit, Amount: amount.Tokens(50)}.AsBlockMessage()}},
			}}
			return f.propose(2, f.next(2, []block.Transaction{{Bundle: &fake}}))
		},
		want: ErrBundleNotReceived,
	}, {
		name: "bundle altered",
		setup: func(f *fixture) {
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
		},
		make: func(f *fixture) *block.Proposal {
			tx := bundleFrom(f, 2)
			var m system.Message
			m, _ = system.DecodeMessage(tx.Bundle.Bundle.Messages[0].Message.Bytes)
			m.Amount = amount.Tokens(90)
			tx.Bundle.Bundle.Messages[0].Message = m.AsBlockMessage()
			return f.propose(2, f.next(2, []block.Transaction{tx}))
		},
		want: ErrBundleMismatch,
	}, {
		name: "tracked bundle skipped",
		setup: func(f *fixture) {
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(2)))))
		},
		make: func(f *fixture) *block.Proposal {
			return f.propose(2, f.next(2, f.inbox(2)[1:]))
		},
		want: ErrUnskippable,
	}, {
		name: "bundles taken out of order",
		setup: func(f *fixture) {
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(2)))))
		},
		make: func(f *fixture) *block.Proposal {
			in := f.inbox(2)
			return f.propose(2, f.next(2, []block.Transaction{in[0], in[1], in[0]}))
		},
		want: ErrBundleOrder,
	}, {
		name: "bundle already taken",
		setup: func(f *fixture) {
			f.commit(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
			f.commit(f.next(2, f.inbox(2)))
		},
		make: func(f *fixture) *block.Proposal {
			c, _ := f.state(0, f.id(2)).Certificate(0)
			return f.propose(2, f.next(2, c.Value.Block.Block.Transactions))
		},
		want: ErrBundleOrder,
	}, {
		name: "protected message rejected",
		setup: func(f *fixture) {
			f.commit(f.next(1, ops(system.Operation{Kind: system.OpOpenChain, Ownership: manager.Single(f.owners[1].Owner())})))
		},
		make: func(f *fixture) *block.Proposal {
			// The admin chain got a protected Subscribe.
			tx := f.inbox(0)[0]
			tx.Bundle.Action = block.Reject
			return f.propose(0, f.next(0, []block.Transaction{tx}))
		},
		want: ErrRejectProtected,
	}, {
		name:  "operation on a closed chain",
		setup: func(f *fixture) { f.commit(f.next(1, ops(system.Operation{Kind: system.OpCloseChain}))) },
		make: func(f *fixture) *block.Proposal {
			return f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(1)))))
		},
		want: ErrClosed,
	}, {
		name: "inactive chain",
		make: func(f *fixture) *block.Proposal {
			b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
			b.Chain = ids.RootDescription(99).ID()
			return f.propose(1, b)
		},
		want: ErrInactive,
	}, {
		name: "round the chain does not have",
		make: func(f *fixture) *block.Proposal {
			return block.NewProposal(f.next(1, ops(pay(f.id(2), amount.Tokens(1)))), block.Round{Kind: block.Fast}, f.owners[1], nil)
		},
		want: manager.ErrWrongRound,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy := committee.NoFees()
			if tt.policy != nil {
				tt.policy(&policy)
			}
			f := newFixture(t, policy, amount.Zero, amount.Tokens(100), amount.Tokens(5))
			if tt.setup != nil {
				tt.setup(f)
			}
			p := tt.make(f)
			before := f.dump(0)
			vote, e, err := f.workers[0].HandleProposal(f.ctx, p, f.now)
			t.Logf("refused: %v", err)
			if !errors.Is(err, tt.want) {
				t.Fatalf("HandleProposal = %v, want %v", err, tt.want)
			}
			if e != nil || vote != (block.Vote{}) {
				t.Errorf("refused proposal returned effects %v or vote %v", e, vote.Hash.Short())
			}
			if after := f.dump(0); after != before {
				t.Errorf("refused proposal changed the store")
			}
		})
	}
}

// TestHandleProposalVotes is the valid counterpart of the refusals: the
// vote is for the block as executed by the validator, and a repeated
// proposal gets the same vote back.
func TestHandleProposalVotes(t *testing.T) {
	f := newFixture(t, committee.NoFees(), amount.Zero, amount.Tokens(100), amount.Tokens(5))
	b := f.next(1, ops(pay(f.id(2), amount.Tokens(1))))
	p := f.propose(1, b)
	vote, e, err := f.workers[0].HandleProposal(f.ctx, p, f.now)
	if err != nil {
		t.Fatalf("HandleProposal: %v", err)
	}
	want := f.certify(b, block.Validated, p.Round)
	if vote.Kind != block.Validated || vote.Hash != want.Hash() || vote.Round != p.Round {
		t.Errorf("vote = %s %s in %s, want validated %s in %s", vote.Kind, vote.Hash.Short(), vote.Round, want.Hash().Short(), p.Round)
	}
	if err := vote.Verify(); err != nil || vote.Validator != f.vkeys[0].Public() {
		t.Errorf("vote does not verify as validator 0's: %v", err)
	}
	if e.Batch.Len() == 0 {
		t.Errorf("vote not recorded in the effects' batch")
	}
	if err := f.workers[0].Store.Apply(f.ctx, &e.Batch); err != nil {
		t.Fatal(err)
	}
	// The proposal's execution is not kept.
	if got := f.state(0, f.id(1)).System.Balance(); got != amount.Tokens(100) {
		t.Errorf("balance after a vote = %s, want 100 (unchanged)", got)
	}
	again, _, err := f.workers[0].HandleProposal(f.ctx, p, f.now)
	if err != nil || again != vote {
		t.Errorf("repeated proposal: vote %v, err %v; want the same vote", again.Hash.Short(), err)
	}
	// Another block in the same round is refused: the vote was recorded.
	other := f.propose(1, f.next(1, ops(pay(f.id(2), amount.Tokens(2)))))
	if _, _, err := f.workers[0].HandleProposal(f.ctx, other, f.now); !errors.Is(err, manager.ErrConflictingProposal) {
		t.Errorf("second block in the round: err = %v, want ErrConflictingProposal", err)
	}
	noKey := &Worker{Store: f.workers[0].Store}
	if _, _, err := noKey.HandleProposal(f.ctx, p, f.now); !errors.Is(err, ErrNotVoter) {
		t.Errorf("worker without a key: err = %v, want ErrNotVoter", err)
	}
}
