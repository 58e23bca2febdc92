package manager

import (
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

// Two owners of a shared chain propose conflicting blocks in the one
// multi-leader round. Only one block gets a validated certificate; two
// validators lock on it; the validators crash and restart; a timeout
// certificate moves everyone to single-leader round 0, whose leader must
// re-propose the locked block, which is then confirmed.
func TestTwoOwnersConflict(t *testing.T) {
	o1, o2 := ownerKey(1), ownerKey(2)
	own := Multi([]ids.Owner{o1.Owner(), o2.Owner()}, 1)
	n := newNet(t, own)
	// Name the owners by their part: the leader of single-leader round 0
	// proposes x, the other owner y.
	leader, other := o1, o2
	if l, _ := n.mgrs[0].Leader(sl(0)); l == o2.Owner() {
		leader, other = o2, o1
	}
	x, y := propose(leader, 'x', ml(0), nil), propose(other, 'y', ml(0), nil)

	// Split delivery: x reaches validators 0-2 first, y reaches 3 first.
	votesX := n.deliverSplit(t, x, y, []int{0, 1, 2}, []int{3})
	certX := n.certify(validatedValue(x), ml(0), votesX)

	// The leader sends the validated certificate to validators 0 and 1
	// only, then crashes: two confirmed votes, no quorum.
	for _, i := range []int{0, 1} {
		if _, err := n.validated(i, certX); err != nil {
			t.Fatalf("validator %d: confirm x: %v", i, err)
		}
	}
	snapshot := n.encodings()
	n.restart()

	// The restarted validators remember their votes.
	for i := range 3 {
		if out, err := n.mgrs[i].CheckProposal(x); out != Skip && err == nil {
			t.Errorf("validator %d after restart: CheckProposal(x) = %v, %v, want skip or refusal", i, out, err)
		}
		_, err := n.mgrs[i].CheckProposal(y)
		wantErr(t, "y after restart", err, ErrConflictingProposal)
	}

	// Nobody can finish round 0; it times out.
	n.now += 10 * second
	tc := n.timeout(ml(0))
	for i, m := range n.mgrs {
		if !m.HandleTimeout(tc, n.now) || m.CurrentRound() != sl(0) {
			t.Fatalf("validator %d: round %v after timeout, want %v", i, m.CurrentRound(), sl(0))
		}
	}

	// The leader, back without memory of x, proposes a new block z:
	// refused by the locked validators, which show their lock.
	z := propose(leader, 'z', sl(0), nil)
	_, err := n.propose(0, z)
	wantErr(t, "new block z", err, ErrMustReproposeLocked)
	_, err = n.propose(1, propose(leader, 'y', sl(0), nil))
	wantErr(t, "block y", err, ErrMustReproposeLocked)
	_, err = n.propose(2, propose(other, 'y', sl(0), nil))
	wantErr(t, "block y by the other owner", err, ErrNotAllowed)
	lock := n.mgrs[0].Locked()
	if lock == nil || lock.Hash() != certX.Hash() {
		t.Fatalf("validator 0: Locked() = %v, want the certificate for x", lock)
	}

	// The leader re-proposes x with the certificate; x is confirmed.
	retry := block.NewProposal(x.Block, sl(0), leader, lock)
	votes := n.proposeAll(t, retry)
	certX0 := n.certify(validatedValue(retry), sl(0), votes)
	var confirms []block.Vote
	for i := range n.mgrs {
		v, err := n.validated(i, certX0)
		if err != nil {
			t.Fatalf("validator %d: confirm x in %v: %v", i, sl(0), err)
		}
		confirms = append(confirms, v)
	}
	confirmed := n.certify(confirmedValue(x), sl(0), confirms)
	if confirmed.Hash() != certX.Hash() {
		t.Fatalf("confirmed %s, want x %s", confirmed.Hash().Short(), certX.Hash().Short())
	}

	// Replaying from the snapshot taken before the timeout reaches the
	// same states: the decoded copy behaves as the original.
	n.replayFrom(t, snapshot, tc, retry, certX0)
}

// deliverSplit sends a to first and b to second, then each to the others,
// and returns the votes for a. Every second delivery must be refused.
func (n *net) deliverSplit(t *testing.T, a, b *block.Proposal, first, second []int) []block.Vote {
	t.Helper()
	var votesA []block.Vote
	for _, i := range first {
		v, err := n.propose(i, a)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		votesA = append(votesA, v)
		_, err = n.propose(i, b)
		wantErr(t, "second proposal", err, ErrConflictingProposal)
	}
	for _, i := range second {
		if _, err := n.propose(i, b); err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		_, err := n.propose(i, a)
		wantErr(t, "second proposal", err, ErrConflictingProposal)
	}
	return votesA
}

func (n *net) proposeAll(t *testing.T, p *block.Proposal) []block.Vote {
	t.Helper()
	var votes []block.Vote
	for i := range n.mgrs {
		v, err := n.propose(i, p)
		if err != nil {
			t.Fatalf("validator %d: %v", i, err)
		}
		votes = append(votes, v)
	}
	return votes
}

func (n *net) encodings() [][]byte {
	var out [][]byte
	for _, m := range n.mgrs {
		out = append(out, encode(m))
	}
	return out
}

// replayFrom restores the managers from snapshot and replays the timeout
// vote and certificate,
// the re-proposal and the validated certificate; the states must encode as
// the current ones do.
func (n *net) replayFrom(t *testing.T, snapshot [][]byte, tc *block.Certificate, p *block.Proposal, cert *block.Certificate) {
	t.Helper()
	want := n.encodings()
	for i := range n.mgrs {
		n.mgrs[i] = decode(t, snapshot[i])
		n.mgrs[i].VoteTimeout(0, n.now, n.keys[i])
		n.mgrs[i].HandleTimeout(tc, n.now)
		if _, err := n.propose(i, p); err != nil {
			t.Fatalf("replay validator %d: %v", i, err)
		}
		if _, err := n.validated(i, cert); err != nil {
			t.Fatalf("replay validator %d: %v", i, err)
		}
	}
	for i, got := range n.encodings() {
		if string(got) != string(want[i]) {
			t.Errorf("validator %d: replayed state differs", i)
		}
	}
}

// Whatever order two conflicting proposals reach the four validators in,
// at most one gets a validated certificate.
func TestConflictingProposalsAtMostOneQuorum(t *testing.T) {
	o1, o2 := ownerKey(1), ownerKey(2)
	own := Multi([]ids.Owner{o1.Owner(), o2.Owner()}, 2)
	for mask := range 16 {
		n := newNet(t, own)
		x, y := propose(o1, 'x', ml(0), nil), propose(o2, 'y', ml(0), nil)
		var first, second []int
		for i := range 4 {
			if mask&(1<<i) != 0 {
				first = append(first, i)
			} else {
				second = append(second, i)
			}
		}
		votesX := n.deliverSplit(t, x, y, first, second)
		var votesY []block.Vote
		for _, i := range second {
			v, _, _ := n.mgrs[i].PendingVote()
			votesY = append(votesY, v)
		}
		cx := n.tryCertify(validatedValue(x), ml(0), votesX)
		cy := n.tryCertify(validatedValue(y), ml(0), votesY)
		if cx != nil && cy != nil {
			t.Fatalf("delivery %04b: both blocks certified", mask)
		}
		if (cx != nil) != (len(first) >= 3) || (cy != nil) != (len(second) >= 3) {
			t.Errorf("delivery %04b: certificates x %v, y %v", mask, cx != nil, cy != nil)
		}
	}
}
