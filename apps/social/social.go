// Package social is a social feed: an owner posts on its chain, which emits
// each post on the application's stream "posts"; a chain that follows
// another subscribes to that stream, and every post arriving as an event is
// kept in its feed. Its contract is in ./contract, its service in
// ./service; this package holds the types both share.
package social

import (
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
)

// Stream is the name of the stream posts are emitted on.
const Stream = "posts"

// MaxText is the longest post, in bytes.
const MaxText = 1000

// Operation is one of the feed's operations, as JSON: exactly one field
// is set.
type Operation struct {
	Post     *Post        `json:"post,omitempty"`
	Follow   *ids.ChainID `json:"follow,omitempty"`
	Unfollow *ids.ChainID `json:"unfollow,omitempty"`
}

// Post is a post: its text and, once posted, the block's timestamp in
// microseconds. It is also the value of the stream's events.
type Post struct {
	Text      string `json:"text"`
	Timestamp uint64 `json:"timestamp,omitempty"`
}

// FeedItem is a post received from a followed chain.
type FeedItem struct {
	Author    ids.ChainID `json:"author"`
	Index     uint32      `json:"index"`
	Text      string      `json:"text"`
	Timestamp uint64      `json:"timestamp"`
}

// MyPosts is the posts made on this chain, oldest first.
func MyPosts(s sdk.Store) sdk.Log[Post] { return sdk.NewLog[Post](s, "posts") }

// Feed is the posts received from followed chains, in arrival order.
func Feed(s sdk.Store) sdk.Log[FeedItem] { return sdk.NewLog[FeedItem](s, "feed") }

// Following is the chains this chain follows.
func Following(s sdk.Store) sdk.Map[ids.ChainID, bool] {
	return sdk.NewMap[ids.ChainID, bool](s, "following")
}
