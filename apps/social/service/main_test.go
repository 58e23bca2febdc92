package main

import (
	"fmt"
	"testing"

	"github.com/myriadchain/myriad/apps/social"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/sdktest"
)

func TestService(t *testing.T) {
	net := sdktest.NewNetwork()
	a, b := net.NewChain("a"), net.NewChain("b")
	id, err := a.CreateApplication(net.Publish(nil, Service), nil, nil, sdktest.Owner("alice"))
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := a.GraphQL(id, `query { myPosts { text timestamp } feed { author text timestamp } following }`, nil)
	if err != nil || resp.Err() != nil || string(resp.Data) != `{"myPosts":[],"feed":[],"following":[]}` {
		t.Fatalf("empty query = %s, %v, %v", resp.Data, resp.Err(), err)
	}
	s := a.Store(id)
	social.MyPosts(s).Append(social.Post{Text: "hi", Timestamp: 5})
	social.Feed(s).Append(social.FeedItem{Author: b.ID, Text: "yo", Timestamp: 7})
	social.Following(s).Set(b.ID, true)
	resp, _, _ = a.GraphQL(id, `query { myPosts { text timestamp } feed { author text timestamp } following }`, nil)
	want := fmt.Sprintf(`{"myPosts":[{"text":"hi","timestamp":5}],"feed":[{"author":"%s","text":"yo","timestamp":7}],"following":["%s"]}`, b.ID, b.ID)
	if string(resp.Data) != want {
		t.Errorf("query = %s, want %s", resp.Data, want)
	}
	for q, want := range map[string]social.Operation{
		`mutation { post(text: "hello") }`:                      {Post: &social.Post{Text: "hello"}},
		fmt.Sprintf(`mutation { follow(chain: "%s") }`, b.ID):   {Follow: &b.ID},
		fmt.Sprintf(`mutation { unfollow(chain: "%s") }`, b.ID): {Unfollow: &b.ID},
	} {
		resp, ops, _ := a.GraphQL(id, q, nil)
		if resp.Err() != nil || len(ops) != 1 || string(ops[0]) != string(sdk.JSON(want)) {
			t.Errorf("%s scheduled %q (%v), want %s", q, ops, resp.Err(), sdk.JSON(want))
		}
	}
}
