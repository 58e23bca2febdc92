package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// appNet is the network TestApps shares between its subtests: wallets
// that got chains from the faucet, their chains and owners.
type appNet struct {
	ctx        context.Context
	faucet     string
	alice, bob *cli
	a, b       string // alice's and bob's chains
	oa, ob     string // their owners
}

// use points the wallets at a subtest.
func (n *appNet) use(t *testing.T) (alice, bob *cli) {
	n.alice.t, n.bob.t = t, t
	return n.alice, n.bob
}

// wallet makes a wallet with a chain from the faucet.
func (n *appNet) wallet(t *testing.T) *cli {
	t.Helper()
	w := newCLI(t)
	// Publishing and first meeting an application compile megabytes of
	// Wasm on a shared machine.
	w.timeout = 3 * time.Minute
	w.must(nil, "wallet", "init", "--faucet", n.faucet, "--with-new-chain")
	return w
}

// TestApps runs the sample applications on a real network: published and
// created through the CLI, used through the CLI and the node service.
func TestApps(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	// Cancelled after netUp's cleanup has interrupted net up, so that net
	// up stops its validators instead of being killed and orphaning them.
	t.Cleanup(cancel)
	net := netUp(t, ctx)
	n := &appNet{ctx: ctx, faucet: net.FaucetURL}
	n.alice, n.bob = n.wallet(t), n.wallet(t)
	n.a, n.b = n.alice.chain(), n.bob.chain()
	n.oa, n.ob = n.alice.owner(), n.bob.owner()

	t.Run("counter", func(t *testing.T) { testCounter(t, n) })
	t.Run("fungible", func(t *testing.T) { testFungible(t, n) })
	t.Run("social", func(t *testing.T) { testSocial(t, n) })
	t.Run("auction", func(t *testing.T) { testAuction(t, n) })
	t.Run("tictactoe", func(t *testing.T) { testTicTacToe(t, n) })
}

func testCounter(t *testing.T, n *appNet) {
	alice, _ := n.use(t)
	app := alice.publishAndCreate("counter", "--json-argument", "40")
	if v := alice.gql(app, "query { value }")["value"]; v != 40.0 {
		t.Fatalf("value = %v, want 40", v)
	}
	alice.mutate(app, "mutation { increment(value: 2) }")
	if v := alice.gql(app, "query { value }")["value"]; v != 42.0 {
		t.Fatalf("value = %v, want 42", v)
	}
	// Through the node service: a mutation submits a block and answers
	// its hash. The service stops when the subtest ends.
	url := alice.service(n.ctx) + fmt.Sprintf("/chains/%s/applications/%s", n.a, app)
	if h, _ := post(t, url, "mutation { increment(value: 5) }")["data"].(string); len(h) != 64 {
		t.Fatalf("mutation answered %v, want a block hash", h)
	}
	got := post(t, url, "query { value }")["data"].(map[string]any)["value"]
	if got != 47.0 {
		t.Fatalf("value through the service = %v, want 47", got)
	}
}

const zeroOwner = "0000000000000000000000000000000000000000000000000000000000000000"

// testFungible: alice's token reaches bob's chain by tracked credits, a
// credit bob's chain cannot take bounces back to alice, and alice claims
// tokens from her account on bob's chain.
func testFungible(t *testing.T, n *appNet) {
	alice, bob := n.use(t)
	app := alice.publishAndCreate("fungible", "--json-parameters", `{"ticker":"MYT"}`,
		"--json-argument", fmt.Sprintf(`{"accounts":{"%s":"100"}}`, n.oa))
	balance := func(w *cli, owner, want string) {
		t.Helper()
		got := w.gql(app, fmt.Sprintf(`query { balance(owner: "%s") }`, owner))["balance"]
		if got != want {
			t.Errorf("token balance of %.8s = %v, want %s", owner, got, want)
		}
	}
	transfer := func(alias, amount, owner string) string {
		return fmt.Sprintf(`%s: transfer(owner: "%s", amount: "%s", targetChain: "%s", targetOwner: "%s")`,
			alias, n.oa, amount, n.b, owner)
	}
	// Two cross-chain transfers in one block: to bob, and to alice's own
	// account on bob's chain (claimed back below).
	alice.mutate(app, "mutation { "+transfer("toBob", "30", n.ob)+" "+transfer("toSelf", "10", n.oa)+" }")
	balance(alice, n.oa, "60")
	bob.processInbox(1)
	balance(bob, n.ob, "30")
	balance(bob, n.oa, "10")

	// The zero owner cannot be credited: bob's chain rejects the bundle,
	// the tracked credit bounces and re-credits alice.
	alice.mutate(app, "mutation { "+transfer("bad", "5", zeroOwner)+" }")
	balance(alice, n.oa, "55")
	bob.processInbox(1)
	balance(bob, zeroOwner, "0")
	alice.processInbox(1)
	balance(alice, n.oa, "60")

	// A claim: alice pulls 4 from her account on bob's chain, by an
	// authenticated withdrawal bob's chain executes.
	alice.mutate(app, fmt.Sprintf(`mutation { claim(owner: "%s", sourceChain: "%s", amount: "4", targetChain: "%s", targetOwner: "%s") }`,
		n.oa, n.b, n.a, n.oa))
	bob.processInbox(1)
	balance(bob, n.oa, "6")
	alice.processInbox(1)
	balance(alice, n.oa, "64")
}

// testSocial: bob follows alice's chain, alice posts, bob's feed shows it.
func testSocial(t *testing.T, n *appNet) {
	alice, bob := n.use(t)
	app := alice.publishAndCreate("social")
	bob.mutate(app, fmt.Sprintf(`mutation { follow(chain: "%s") }`, n.a))
	alice.processInbox(1) // the subscription
	alice.mutate(app, `mutation { post(text: "hello from alice") }`)
	bob.processInbox(1) // the event
	got := bob.gql(app, "query { feed { author text } following }")
	feed, _ := got["feed"].([]any)
	if len(feed) != 1 || field(feed[0], "author") != n.a || field(feed[0], "text") != "hello from alice" {
		t.Errorf("bob's feed = %v, want alice's post", got["feed"])
	}
	if f, _ := got["following"].([]any); len(f) != 1 || f[0] != n.a {
		t.Errorf("bob follows %v, want [%s]", got["following"], n.a)
	}
	if p := alice.gql(app, "query { myPosts { text } }")["myPosts"]; fmt.Sprint(p) != "[map[text:hello from alice]]" {
		t.Errorf("alice's posts = %v", p)
	}
}

// auctionWindow is how long the auction stays open: its creation, the
// bids of two chains that first meet the application (each fetches and
// compiles megabytes of Wasm in the wallet: 17–23 s each on the shared
// 2-core machine, where 60 s were once not enough) and two blocks of the
// auction chain must fit in it.
const auctionWindow = 100 * time.Second

// testAuction: bob and carol bid native tokens from their chains, a bid
// below the minimum bounces back to bob, and after the closing time close
// pays alice and refunds bob.
func testAuction(t *testing.T, n *appNet) {
	alice, bob := n.use(t)
	carol := n.wallet(t)
	c, oc := carol.chain(), carol.owner()
	ab, bb, cb := n.a+":"+n.oa, n.b+":"+n.ob, c+":"+oc
	// Bids are paid from the bidders' own accounts.
	bob.must(nil, "transfer", "20", "--to", bb)
	carol.must(nil, "transfer", "20", "--to", cb)
	sellerBefore := alice.accountBalance(ab)

	// Published first, so that the window only holds the bids.
	contract, service := writeApp(t, "auction")
	var m createdView
	alice.must(&m, "publish-module", contract, service)
	closes := time.Now().Add(auctionWindow)
	var created createdView
	alice.must(&created, "create-application", m.Module, "--json-argument",
		fmt.Sprintf(`{"item":"a painting","closesAt":%d,"minimumBid":"10"}`, closes.UnixMicro()))
	app := created.Application

	timed(t, "bob bids 12", func() { bob.mutate(app, `mutation { bid(amount: "12") }`) })
	timed(t, "the auction chain takes it", func() { alice.processInbox(1) })
	// Carol's bid beats bob's; bob's second is below the minimum.
	timed(t, "carol bids 15", func() { carol.mutate(app, `mutation { bid(amount: "15") }`) })
	bob.mutate(app, `mutation { bid(amount: "5") }`)
	if got := bob.accountBalance(bb); got != "3" {
		t.Errorf("bob's account after bidding 12 and 5 = %s, want 3", got)
	}
	alice.processInbox(2)
	if time.Now().After(closes) {
		t.Fatalf("the bids took longer than the auction's %v window", auctionWindow)
	}
	const q = "query { auction { status highestBid { bidder amount } winner { bidder amount } } bids { bidder amount } }"
	got := alice.gql(app, q)
	if s := fmt.Sprint(got["bids"]); s != fmt.Sprintf("[map[amount:12 bidder:%s] map[amount:15 bidder:%s]]", n.ob, oc) {
		t.Errorf("bids = %s, want bob's 12 and carol's 15", s)
	}
	bob.processInbox(1) // the refused bid and its tokens bounce back
	if r := fmt.Sprint(bob.gql(app, "query { refused { amount } }")["refused"]); r != "[map[amount:5]]" {
		t.Errorf("bob's refused bids = %s, want the 5", r)
	}
	if got := bob.accountBalance(bb); got != "8" {
		t.Errorf("bob's account after the bounce = %s, want 8", got)
	}

	if errs := alice.fail("query-application", app, "mutation { close }"); !strings.Contains(errs, "open until") {
		t.Errorf("close before the closing time: %s, want an 'open until' refusal", errs)
	}
	time.Sleep(time.Until(closes) + time.Second)
	alice.mutate(app, "mutation { close }")
	got = alice.gql(app, q)
	if s := fmt.Sprint(got["auction"]); s != fmt.Sprintf("map[highestBid:map[amount:15 bidder:%s] status:closed winner:map[amount:15 bidder:%s]]", oc, oc) {
		t.Errorf("auction after close = %s, want closed with carol's 15", s)
	}
	if got, want := alice.accountBalance(ab), addTokens(t, sellerBefore, 15); got != want {
		t.Errorf("seller's account = %s, want %s", got, want)
	}
	bob.processInbox(1) // the refund
	if got := bob.accountBalance(bb); got != "20" {
		t.Errorf("bob's account after the refund = %s, want 20", got)
	}
	carol.must(nil, "sync")
	if got := carol.accountBalance(cb); got != "5" {
		t.Errorf("carol's account = %s, want 5", got)
	}
}

// addTokens adds whole tokens to a decimal balance.
func addTokens(t testing.TB, balance string, n int) string {
	t.Helper()
	var b int
	if _, err := fmt.Sscan(balance, &b); err != nil || fmt.Sprint(b) != balance {
		t.Fatalf("balance %q is not whole tokens", balance)
	}
	return fmt.Sprint(b + n)
}

// testTicTacToe: alice starts a game with bob on a chain both own, they
// play it there (a move out of turn is refused), and the result reaches
// both players' chains.
func testTicTacToe(t *testing.T, n *appNet) {
	alice, bob := n.use(t)
	app := alice.publishAndCreate("tictactoe")
	alice.mutate(app, fmt.Sprintf(`mutation { start(opponent: "%s", opponentChain: "%s", balance: "0") }`, n.ob, n.b))
	games, _ := alice.gql(app, "query { games }")["games"].([]any)
	if len(games) != 1 {
		t.Fatalf("games = %v, want one", games)
	}
	game, _ := games[0].(string)
	for _, w := range []*cli{alice, bob} {
		w.must(nil, "wallet", "follow-chain", game)
	}
	alice.processInbox(1, game) // the setup
	move := func(w *cli, cell int) {
		t.Helper()
		w.mutate(app, fmt.Sprintf("mutation { move(cell: %d) }", cell), "--chain", game)
	}
	move(alice, 4)
	errs := alice.fail("query-application", app, "mutation { move(cell: 0) }", "--chain", game)
	if !strings.Contains(errs, "not your turn") {
		t.Errorf("alice moving twice: %s, want 'not your turn'", errs)
	}
	// Alice takes the middle column.
	move(bob, 0)
	move(alice, 1)
	move(bob, 2)
	move(alice, 7)
	bob.must(nil, "sync", game)
	got := bob.gql(app, "query { board turn winner players { x o } }", "--chain", game)
	if got["winner"] != n.oa || got["turn"] != nil || board(got["board"]) != "O,X,O,,X,,,X," {
		t.Errorf("game = %v, want alice to win", got)
	}
	alice.processInbox(1)
	bob.processInbox(1)
	score := `query { score(owner: "%s") { wins losses draws } }`
	if s := fmt.Sprint(alice.gql(app, fmt.Sprintf(score, n.oa))["score"]); s != "map[draws:0 losses:0 wins:1]" {
		t.Errorf("alice's score = %s, want a win", s)
	}
	// Bob's score through his node service.
	url := bob.service(n.ctx) + fmt.Sprintf("/chains/%s/applications/%s", n.b, app)
	if s := fmt.Sprint(field(post(t, url, fmt.Sprintf(score, n.ob)), "data", "score")); s != "map[draws:0 losses:1 wins:0]" {
		t.Errorf("bob's score through the service = %s, want a loss", s)
	}
}

func board(v any) string {
	cells, _ := v.([]any)
	s := make([]string, len(cells))
	for i, c := range cells {
		s[i] = fmt.Sprint(c)
	}
	return strings.Join(s, ",")
}
