package manager

import (
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
)

// lockedNet returns a network of a single-owner chain whose validator 0
// voted to confirm block 'x' from a validated certificate in
// multi-leader round 1, and the certificate.
func lockedNet(t *testing.T) (*net, *block.Certificate) {
	n := newNet(t, Single(ownerKey(1).Owner()))
	x := propose(ownerKey(1), 'x', ml(1), nil)
	cert := n.forge(validatedValue(x), ml(1))
	if _, err := n.validated(0, cert); err != nil {
		t.Fatal(err)
	}
	return n, cert
}

func TestLockRequiresCertificate(t *testing.T) {
	o := ownerKey(1)
	n, _ := lockedNet(t)
	certY := func(r block.Round) *block.Certificate {
		return n.forge(validatedValue(propose(o, 'y', r, nil)), r)
	}
	tests := []struct {
		name string
		p    *block.Proposal
		want error
	}{
		{"other block", propose(o, 'y', ml(3), nil), ErrMustReproposeLocked},
		{"other block, older certificate", propose(o, 'y', ml(3), certY(ml(0))), ErrMustReproposeLocked},
		{"other block, certificate from the lock's round", propose(o, 'y', ml(3), certY(ml(1))), nil},
		{"other block, later certificate", propose(o, 'y', ml(3), certY(ml(2))), nil},
		{"locked block", propose(o, 'x', ml(3), nil), nil},
		{"the lock's round", propose(o, 'x', ml(1), nil), ErrConflictingProposal},
		{"certificate for another block", propose(o, 'z', ml(3), certY(ml(2))), ErrBadCertificate},
		{"certificate not older than the proposal", propose(o, 'y', ml(2), certY(ml(2))), ErrBadCertificate},
		{"confirmed certificate", propose(o, 'y', ml(3), n.forge(confirmedValue(propose(o, 'y', ml(2), nil)), ml(2))), ErrBadCertificate},
	}
	for _, tt := range tests {
		_, err := n.mgrs[0].CheckProposal(tt.p)
		if tt.want == nil && err != nil {
			t.Errorf("%s: CheckProposal() = %v, want ok", tt.name, err)
		} else if tt.want != nil {
			wantErr(t, tt.name, err, tt.want)
		}
	}
}

func TestLaterCertificateMovesLock(t *testing.T) {
	o := ownerKey(1)
	n, _ := lockedNet(t)
	y := propose(o, 'y', ml(2), nil)
	certY := n.forge(validatedValue(y), ml(2))
	if _, err := n.propose(0, propose(o, 'y', ml(3), certY)); err != nil {
		t.Fatal(err)
	}
	m := n.mgrs[0]
	if m.Locked() != certY || m.CurrentRound() != ml(3) {
		t.Fatalf("Locked() round %v, CurrentRound() %v; want the certificate from %v, %v", m.Locked().Round, m.CurrentRound(), ml(2), ml(3))
	}
	_, err := m.CheckProposal(propose(o, 'x', ml(4), nil))
	wantErr(t, "formerly locked block", err, ErrMustReproposeLocked)
}

func TestCheckValidated(t *testing.T) {
	o := ownerKey(1)
	n, certX := lockedNet(t)
	m := n.mgrs[0]
	if out, err := m.CheckValidated(certX); out != Skip || err != nil {
		t.Errorf("same certificate again: %v, %v, want skip", out, err)
	}
	v, _, _ := m.PendingVote()
	if v.Kind != block.Confirmed || v.Round != ml(1) || v.Hash != certX.Hash() {
		t.Errorf("PendingVote() = %s %s in %s, want confirmed %s in %s", v.Kind, v.Hash.Short(), v.Round, certX.Hash().Short(), ml(1))
	}
	y := func(r block.Round) *block.Proposal { return propose(o, 'y', r, nil) }
	tests := []struct {
		name string
		cert *block.Certificate
		want error
	}{
		{"other block, same round", n.forge(validatedValue(y(ml(1))), ml(1)), ErrConflictingProposal},
		{"lower round", n.forge(validatedValue(y(ml(0))), ml(0)), ErrWrongRound},
		{"later round", n.forge(validatedValue(y(ml(2))), ml(2)), nil},
		{"confirmed certificate", n.forge(confirmedValue(y(ml(2))), ml(2)), ErrBadCertificate},
		{"fast round", n.forge(validatedValue(y(fast)), fast), ErrBadCertificate},
		{"timeout certificate", n.forge(block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: testChain}}, ml(2)), ErrBadCertificate},
	}
	for _, tt := range tests {
		_, err := m.CheckValidated(tt.cert)
		if tt.want == nil && err != nil {
			t.Errorf("%s: CheckValidated() = %v, want ok", tt.name, err)
		} else if tt.want != nil {
			wantErr(t, tt.name, err, tt.want)
		}
	}
	other := New(Single(o.Owner()), ids.RootDescription(9).ID(), 0, t0)
	_, err := other.CheckValidated(certX)
	wantErr(t, "other chain", err, ErrWrongChain)
}

// A validator that voted to validate one block may still confirm another
// block certified in the same round: only confirmed votes lock.
func TestConfirmAfterValidatingOther(t *testing.T) {
	o1, o2 := ownerKey(1), ownerKey(2)
	n := newNet(t, Multi([]ids.Owner{o1.Owner(), o2.Owner()}, 2))
	if _, err := n.propose(0, propose(o1, 'a', ml(0), nil)); err != nil {
		t.Fatal(err)
	}
	certB := n.forge(validatedValue(propose(o2, 'b', ml(0), nil)), ml(0))
	v, err := n.validated(0, certB)
	if err != nil || v.Hash != certB.Hash() || v.Kind != block.Confirmed {
		t.Fatalf("confirm other block: %v, %v", v, err)
	}
	if n.mgrs[0].Proposal() == nil {
		t.Error("the round's proposal was forgotten")
	}
}

func TestTimeouts(t *testing.T) {
	o := ownerKey(1)
	own := Multi([]ids.Owner{o.Owner()}, 1)
	m := New(own, testChain, 0, t0)
	k := key('v', 0)
	if _, ok := m.VoteTimeout(0, t0+10*second-1, k); ok {
		t.Fatal("timeout vote before the timeout")
	}
	v, ok := m.VoteTimeout(0, t0+10*second, k)
	if !ok || v.Kind != block.Timeout || v.Round != ml(0) {
		t.Fatalf("VoteTimeout() = %v, %v, want a timeout vote in %v", v, ok, ml(0))
	}
	again, _ := m.VoteTimeout(0, t0+20*second, k)
	if stored, _ := m.TimeoutVoteFor(ml(0)); again != v || stored != v {
		t.Error("second VoteTimeout in the round signed again")
	}
	never := New(Single(o.Owner()), testChain, 0, t0)
	if _, ok := never.VoteTimeout(0, t0+1000*second, k); ok || never.RoundTimeout() != 0 {
		t.Error("timeout vote in a multi-leader round that is not the last")
	}
}

func TestHandleTimeout(t *testing.T) {
	o := ownerKey(1)
	n := newNet(t, Multi([]ids.Owner{o.Owner()}, 1))
	p := propose(o, 'a', ml(0), nil)
	if _, err := n.propose(0, p); err != nil {
		t.Fatal(err)
	}
	cert := n.forge(validatedValue(p), ml(0))
	if _, err := n.validated(0, cert); err != nil {
		t.Fatal(err)
	}
	n.now += 10 * second
	tc := n.timeout(ml(0))
	m := n.mgrs[0]
	otherHeight := n.forge(block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: testChain, Height: 1}}, ml(0))
	if m.HandleTimeout(otherHeight, n.now) || m.HandleTimeout(cert, n.now) {
		t.Fatal("HandleTimeout accepted a timeout for another height, or a validated certificate")
	}
	if !m.HandleTimeout(tc, n.now) {
		t.Fatal("HandleTimeout() = false")
	}
	if m.CurrentRound() != sl(0) || m.RoundTimeout() != n.now+10*second || m.Proposal() != nil || m.Locked() != cert {
		t.Errorf("after timeout: round %v, timeout %d, proposal %v, lock %v; want %v, %d, none, kept",
			m.CurrentRound(), m.RoundTimeout(), m.Proposal(), m.Locked(), sl(0), n.now+10*second)
	}
	if m.HandleTimeout(tc, n.now) {
		t.Error("the same timeout certificate moved the round twice")
	}
	for _, other := range n.mgrs[1:] {
		other.HandleTimeout(tc, n.now)
	}
	n.now += 10 * second
	tc = n.timeout(sl(0))
	if !m.HandleTimeout(tc, n.now) || m.CurrentRound() != sl(1) || m.RoundTimeout() != n.now+11*second {
		t.Errorf("after second timeout: round %v, timeout %d; want %v, %d", m.CurrentRound(), m.RoundTimeout(), sl(1), n.now+11*second)
	}
}
