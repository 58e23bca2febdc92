// Command service is the social feed's service module: myPosts and feed;
// post, follow and unfollow mutations.
package main

import (
	"context"

	"github.com/myriadchain/myriad/apps/social"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/sdk"
	"github.com/myriadchain/myriad/sdk/service"
)

const schema = `
scalar U64

type Query {
	"This chain's posts, oldest first."
	myPosts: [Post!]!
	"Posts received from followed chains, in arrival order."
	feed: [FeedItem!]!
	"The chains this chain follows."
	following: [String!]!
}

type Post {
	text: String!
	"Block timestamp, microseconds."
	timestamp: U64!
}

type FeedItem {
	"The chain that posted."
	author: String!
	text: String!
	timestamp: U64!
}

type Mutation {
	post(text: String!): Boolean!
	follow(chain: String!): Boolean!
	unfollow(chain: String!): Boolean!
}
`

// Root resolves the feed's queries and mutations.
type Root struct{}

// Post is a post in an answer.
type Post struct{ p social.Post }

// Text resolves Post.text.
func (p Post) Text() string { return p.p.Text }

// Timestamp resolves Post.timestamp.
func (p Post) Timestamp() service.U64 { return service.U64(p.p.Timestamp) }

// FeedItem is a feed item in an answer.
type FeedItem struct{ f social.FeedItem }

// Author resolves FeedItem.author.
func (f FeedItem) Author() string { return f.f.Author.String() }

// Text resolves FeedItem.text.
func (f FeedItem) Text() string { return f.f.Text }

// Timestamp resolves FeedItem.timestamp.
func (f FeedItem) Timestamp() service.U64 { return service.U64(f.f.Timestamp) }

// MyPosts resolves `myPosts`.
func (Root) MyPosts(ctx context.Context) []Post {
	out := []Post{}
	for _, p := range social.MyPosts(service.RuntimeOf(ctx)).All() {
		out = append(out, Post{p})
	}
	return out
}

// Feed resolves `feed`.
func (Root) Feed(ctx context.Context) []FeedItem {
	out := []FeedItem{}
	for _, f := range social.Feed(service.RuntimeOf(ctx)).All() {
		out = append(out, FeedItem{f})
	}
	return out
}

// Following resolves `following`.
func (Root) Following(ctx context.Context) []string {
	out := []string{}
	for c := range social.Following(service.RuntimeOf(ctx)).Entries() {
		out = append(out, c.String())
	}
	return out
}

func schedule(ctx context.Context, op social.Operation) bool {
	service.RuntimeOf(ctx).Schedule(sdk.JSON(op))
	return true
}

// Post resolves the `post` mutation.
func (Root) Post(ctx context.Context, args struct{ Text string }) bool {
	return schedule(ctx, social.Operation{Post: &social.Post{Text: args.Text}})
}

// Follow resolves the `follow` mutation.
func (Root) Follow(ctx context.Context, args struct{ Chain string }) (bool, error) {
	c, err := ids.ParseHash(args.Chain)
	if err != nil {
		return false, err
	}
	return schedule(ctx, social.Operation{Follow: &c}), nil
}

// Unfollow resolves the `unfollow` mutation.
func (Root) Unfollow(ctx context.Context, args struct{ Chain string }) (bool, error) {
	c, err := ids.ParseHash(args.Chain)
	if err != nil {
		return false, err
	}
	return schedule(ctx, social.Operation{Unfollow: &c}), nil
}

// Service is the feed's service.
var Service = service.MustGraphQL(schema, &Root{})

func init() { service.Register(Service) }

func main() {}
