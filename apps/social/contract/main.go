// Command contract is the social feed's contract module.
package main

import (
	"github.com/myriadchain/myriad/apps/social"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/contract"
)

// Feed is the social feed's contract.
type Feed struct{}

// Instantiate needs no argument.
func (Feed) Instantiate(rt *contract.Runtime, arg []byte) {}

// ExecuteOperation posts, follows or unfollows. Only the chain's owners
// (an authenticated signer) do so.
func (Feed) ExecuteOperation(rt *contract.Runtime, op []byte) []byte {
	rt.MustSigner()
	o := sdk.FromJSON[social.Operation](op)
	switch {
	case o.Post != nil && o.Follow == nil && o.Unfollow == nil:
		return post(rt, o.Post.Text)
	case o.Follow != nil && o.Post == nil && o.Unfollow == nil:
		sdk.Require(*o.Follow != rt.ChainID(), "social: a chain cannot follow itself")
		rt.Subscribe(*o.Follow, social.Stream)
		social.Following(rt).Set(*o.Follow, true)
	case o.Unfollow != nil && o.Post == nil && o.Follow == nil:
		sdk.Require(social.Following(rt).Has(*o.Unfollow), "social: not following %s", o.Unfollow.Short())
		rt.Unsubscribe(*o.Unfollow, social.Stream)
		social.Following(rt).Delete(*o.Unfollow)
	default:
		panic("social: an operation is one of post, follow or unfollow")
	}
	return nil
}

func post(rt *contract.Runtime, text string) []byte {
	sdk.Require(text != "", "social: empty post")
	sdk.Require(len(text) <= social.MaxText, "social: a post has at most %d bytes", social.MaxText)
	p := social.Post{Text: text, Timestamp: rt.Timestamp()}
	i := social.MyPosts(rt).Append(p)
	rt.Emit(social.Stream, sdk.JSON(p))
	return sdk.JSON(i)
}

// ExecuteMessage stores a post of a followed chain in the feed. The only
// messages are events.
func (Feed) ExecuteMessage(rt *contract.Runtime, msg []byte) {
	stream, index := rt.Event()
	sdk.Require(rt.IsEvent() && stream == social.Stream, "social: only events of %q are accepted", social.Stream)
	p := sdk.FromJSON[social.Post](msg)
	social.Feed(rt).Append(social.FeedItem{Author: rt.Origin(), Index: index, Text: p.Text, Timestamp: p.Timestamp})
}

func init() {
	contract.Register(Feed{})
	sdk.Warm(social.Operation{}, social.Post{}, social.FeedItem{})
}

func main() {}
