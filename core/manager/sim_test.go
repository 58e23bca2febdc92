package manager

import (
	"errors"
	"flag"
	"math/rand/v2"
	"testing"

	"github.com/myriadchain/myriad/core/block"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/core/keys"
)

var simSeed = flag.Uint64("sim.seed", 0, "run TestSafetyRandomSchedules with this seed only")

// TestSafetyRandomSchedules drives four validators through random
// schedules: owners equivocating in random rounds, proposals, certificates
// and timeout certificates reaching random subsets, crashes and restarts,
// and optionally a Byzantine fourth validator that signs everything. No
// schedule may produce confirmed certificates for two blocks, and no
// honest validator may vote in a round below one it voted in or for two
// blocks of one kind in one round.
func TestSafetyRandomSchedules(t *testing.T) {
	seeds := []uint64{*simSeed}
	if *simSeed == 0 {
		seeds = nil
		count := uint64(150)
		if testing.Short() {
			count = 30
		}
		for s := range count {
			seeds = append(seeds, s+1)
		}
	}
	var confirmed, contested int
	refusals := map[error]int{}
	for _, seed := range seeds {
		s := newSim(t, seed)
		for range 120 {
			s.step()
		}
		if len(s.confirmed) > 0 {
			confirmed++
		}
		if len(s.validatedHashes) > 1 {
			contested++
		}
		for e, c := range s.refusals {
			refusals[e] += c
		}
	}
	t.Logf("%d schedules: %d confirmed a block, %d certified two blocks as validated", len(seeds), confirmed, contested)
	for _, e := range simErrors {
		t.Logf("%6d refusals: %v", refusals[e], e)
	}
	if *simSeed == 0 && (confirmed < len(seeds)/4 || contested == 0) {
		t.Errorf("schedules too tame: %d of %d confirmed, %d contested", confirmed, len(seeds), contested)
	}
}

type voteKey struct {
	kind  block.Kind
	hash  ids.Hash
	round block.Round
}

type sim struct {
	*net
	seed      uint64
	rng       *rand.Rand
	byzantine bool // validator 3 signs everything
	owners    []*keys.PrivateKey
	builders  map[voteKey]*block.Builder

	vcerts          []*block.Certificate
	validatedHashes map[ids.Hash]bool
	timeouts        []*block.Certificate
	confirmed       []*block.Certificate
	history         [][]voteKey // block votes each honest validator signed
	refusals        map[error]int
}

func newSim(t *testing.T, seed uint64) *sim {
	rng := rand.New(rand.NewPCG(seed, 0x6d616e61676572))
	owners := []*keys.PrivateKey{ownerKey(1), ownerKey(2), ownerKey(3)}
	own := Multi([]ids.Owner{owners[0].Owner(), owners[1].Owner()}, uint32(rng.IntN(3)))
	if rng.IntN(2) == 0 {
		own.SuperOwners = []ids.Owner{owners[2].Owner()}
		own.Timeouts.FastRoundDuration = 5 * second
	}
	return &sim{
		net: newNet(t, own), seed: seed, rng: rng, byzantine: rng.IntN(2) == 0,
		owners: owners, builders: map[voteKey]*block.Builder{},
		validatedHashes: map[ids.Hash]bool{}, history: make([][]voteKey, 4),
		refusals: map[error]int{},
	}
}

func (s *sim) step() {
	switch s.rng.IntN(8) {
	case 0, 1:
		s.proposeFresh()
	case 2:
		s.repropose()
	case 3, 4:
		s.deliverValidated()
	case 5:
		s.timeoutVotes()
	case 6:
		s.deliverTimeout()
	case 7:
		i := s.rng.IntN(4)
		s.mgrs[i] = roundTrip(s.t, s.mgrs[i])
	}
}

// roundNear returns some validator's current round, or the next one.
func (s *sim) roundNear() block.Round {
	r := s.mgrs[s.rng.IntN(4)].CurrentRound()
	if s.rng.IntN(3) == 0 {
		return s.mgrs[0].Ownership().NextRound(r)
	}
	return r
}

func (s *sim) proposeFresh() {
	k := s.owners[s.rng.IntN(len(s.owners))]
	s.deliverProposal(propose(k, byte('a'+s.rng.IntN(3)), s.roundNear(), nil))
}

func (s *sim) repropose() {
	if len(s.vcerts) == 0 {
		return
	}
	c := s.vcerts[s.rng.IntN(len(s.vcerts))]
	r := s.roundNear()
	if !c.Round.Less(r) {
		return
	}
	for _, k := range s.owners {
		if k.Owner() == c.Value.Block.Block.Signer {
			s.deliverProposal(block.NewProposal(c.Value.Block.Block, r, k, c))
		}
	}
}

func (s *sim) deliverProposal(p *block.Proposal) {
	value := validatedValue(p)
	if p.Round.Kind == block.Fast {
		value = confirmedValue(p)
	}
	for i := range 4 {
		if s.isByzantine(i) {
			s.add(value, block.NewVote(value, p.Round, s.keys[i]))
		} else if s.reaches() {
			v, err := s.vote(i, p)
			s.file(err)
			if err == nil {
				s.addHonest(i, value, v)
			}
		}
	}
}

// vote is net.propose without re-verifying signatures, which the
// builders already checked.
func (s *sim) vote(i int, p *block.Proposal) (block.Vote, error) {
	m := s.mgrs[i]
	out, err := m.CheckProposal(p)
	if err == nil && out == Skip {
		return block.Vote{}, errSkipped // the vote was counted before
	}
	if err != nil {
		return block.Vote{}, err
	}
	return m.CreateVote(p, execute(p.Block), s.keys[i], s.now), nil
}

// confirm is net.validated without re-verifying the certificate.
func (s *sim) confirm(i int, c *block.Certificate) (block.Vote, error) {
	m := s.mgrs[i]
	out, err := m.CheckValidated(c)
	if err == nil && out == Skip {
		return block.Vote{}, errSkipped // the vote was counted before
	}
	if err != nil {
		return block.Vote{}, err
	}
	return m.CreateFinalVote(c, s.keys[i], s.now), nil
}

func (s *sim) deliverValidated() {
	if len(s.vcerts) == 0 {
		return
	}
	c := s.vcerts[s.rng.IntN(len(s.vcerts))]
	value := block.Value{Kind: block.Confirmed, Block: c.Value.Block}
	for i := range 4 {
		if s.isByzantine(i) {
			s.add(value, block.NewVote(value, c.Round, s.keys[i]))
		} else if s.reaches() {
			v, err := s.confirm(i, c)
			s.file(err)
			if err == nil {
				s.addHonest(i, value, v)
			}
		}
	}
}

func (s *sim) timeoutVotes() {
	s.now += uint64(s.rng.IntN(15)) * second
	value := block.Value{Kind: block.Timeout, Timeout: block.TimeoutValue{Chain: testChain}}
	for i, m := range s.mgrs {
		if s.isByzantine(i) {
			s.add(value, block.NewVote(value, s.roundNear(), s.keys[i]))
		} else if v, ok := m.VoteTimeout(0, s.now, s.keys[i]); ok && s.reaches() {
			s.add(value, v)
		}
	}
}

func (s *sim) deliverTimeout() {
	if len(s.timeouts) == 0 {
		return
	}
	c := s.timeouts[s.rng.IntN(len(s.timeouts))]
	for i, m := range s.mgrs {
		if !s.isByzantine(i) && s.reaches() {
			m.HandleTimeout(c, s.now)
		}
	}
}

var simErrors = []error{ErrWrongRound, ErrNotAllowed, ErrConflictingProposal, ErrMustReproposeLocked, ErrBadCertificate}

var errSkipped = errors.New("skipped")

// file counts a refusal by its sentinel.
func (s *sim) file(err error) {
	if err == errSkipped {
		return
	}
	for _, e := range simErrors {
		if errors.Is(err, e) {
			s.refusals[e]++
			return
		}
	}
	if err != nil {
		s.t.Fatalf("seed %d: unexpected refusal: %v", s.seed, err)
	}
}

func (s *sim) isByzantine(i int) bool { return s.byzantine && i == 3 }

func (s *sim) reaches() bool { return s.rng.IntN(10) < 7 }

// addHonest records an honest validator's block vote and checks it
// against the ones it signed before.
func (s *sim) addHonest(i int, value block.Value, v block.Vote) {
	k := voteKey{v.Kind, v.Hash, v.Round}
	for _, old := range s.history[i] {
		if k.round.Less(old.round) {
			s.t.Fatalf("seed %d: validator %d voted %s in %s after voting in %s", s.seed, i, k.kind, k.round, old.round)
		}
		if old.kind == k.kind && old.round == k.round && old.hash != k.hash {
			s.t.Fatalf("seed %d: validator %d voted %s for two blocks in %s", s.seed, i, k.kind, k.round)
		}
	}
	s.history[i] = append(s.history[i], k)
	s.add(value, v)
}

// add collects a vote and files the certificate it completes.
func (s *sim) add(value block.Value, v block.Vote) {
	k := voteKey{v.Kind, v.Hash, v.Round}
	b := s.builders[k]
	if b == nil {
		b = block.NewBuilder(value, v.Round, s.com)
		s.builders[k] = b
	}
	had := b.Certificate() != nil
	c, err := b.Add(v)
	if err != nil {
		s.t.Fatalf("seed %d: add vote: %v", s.seed, err)
	}
	if c == nil || had {
		return
	}
	switch c.Value.Kind {
	case block.Validated:
		s.vcerts = append(s.vcerts, c)
		s.validatedHashes[c.Hash()] = true
	case block.Timeout:
		s.timeouts = append(s.timeouts, c)
	case block.Confirmed:
		s.confirmed = append(s.confirmed, c)
		if c.Hash() != s.confirmed[0].Hash() {
			s.t.Fatalf("seed %d: confirmed %s in %s and %s in %s", s.seed,
				s.confirmed[0].Hash().Short(), s.confirmed[0].Round, c.Hash().Short(), c.Round)
		}
	}
}
