package main

import (
	"errors"
	"testing"

	"github.com/myriadchain/myriad/apps/social"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

var alice, bob = sdktest.Owner("alice"), sdktest.Owner("bob")

func op(t *testing.T, c *sdktest.Chain, id ids.ApplicationID, signer ids.Owner, o social.Operation) {
	t.Helper()
	if _, err := c.Operation(id, signer, sdk.JSON(o)); err != nil {
		t.Fatal(err)
	}
}

func TestFollowAndFeed(t *testing.T) {
	net := sdktest.NewNetwork()
	a, b := net.NewChain("a"), net.NewChain("b")
	id, err := a.CreateApplication(net.Publish(Feed{}, nil), nil, nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	a.Timestamp = 1000
	op(t, a, id, alice, social.Operation{Post: &social.Post{Text: "before anyone follows"}})
	op(t, b, id, bob, social.Operation{Follow: &a.ID})
	if errs := net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	a.Timestamp = 2000
	op(t, a, id, alice, social.Operation{Post: &social.Post{Text: "hello"}})
	if len(a.Events) != 2 || a.Events[1].Stream != social.Stream || a.Events[1].Index != 1 {
		t.Fatalf("events %+v, want two on %q", a.Events, social.Stream)
	}
	if errs := net.Deliver(); errs != nil {
		t.Fatal(errs)
	}
	feed := social.Feed(b.Store(id)).All()
	want := social.FeedItem{Author: a.ID, Index: 1, Text: "hello", Timestamp: 2000}
	if len(feed) != 1 || feed[0] != want {
		t.Fatalf("feed = %+v, want [%+v]", feed, want)
	}
	if posts := social.MyPosts(a.Store(id)).All(); len(posts) != 2 || posts[1] != (social.Post{Text: "hello", Timestamp: 2000}) {
		t.Errorf("my posts = %+v", posts)
	}

	op(t, b, id, bob, social.Operation{Unfollow: &a.ID})
	net.Deliver()
	op(t, a, id, alice, social.Operation{Post: &social.Post{Text: "nobody listens"}})
	if net.Deliver(); social.Feed(b.Store(id)).Len() != 1 {
		t.Errorf("feed after unfollow has %d items, want 1", social.Feed(b.Store(id)).Len())
	}
}

func TestRefusals(t *testing.T) {
	net := sdktest.NewNetwork()
	a, b := net.NewChain("a"), net.NewChain("b")
	id, err := a.CreateApplication(net.Publish(Feed{}, nil), nil, nil, alice)
	if err != nil {
		t.Fatal(err)
	}
	long := make([]byte, social.MaxText+1)
	for name, o := range map[string]social.Operation{
		"empty post":    {Post: &social.Post{}},
		"long post":     {Post: &social.Post{Text: string(long)}},
		"follow self":   {Follow: &a.ID},
		"unfollow":      {Unfollow: &b.ID},
		"no operation":  {},
		"two at a time": {Post: &social.Post{Text: "x"}, Follow: &b.ID},
	} {
		if _, err := a.Operation(id, alice, sdk.JSON(o)); !errors.Is(err, app.ErrAborted) {
			t.Errorf("%s: err = %v, want an abort", name, err)
		}
	}
	if _, err := a.Operation(id, ids.Owner{}, sdk.JSON(social.Operation{Post: &social.Post{Text: "x"}})); err == nil {
		t.Error("post without a signer: no error")
	}
	// A plain message (not an event) is refused.
	if err := a.Receive(b.ID, id, bob, sdk.JSON(social.Post{Text: "forged"})); !errors.Is(err, app.ErrAborted) {
		t.Errorf("plain message: err = %v, want an abort", err)
	}
}
