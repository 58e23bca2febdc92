package gqlapi

import (
	"context"

	"github.com/myriadchain/myriad/core/chain"
	"github.com/myriadchain/myriad/core/ids"
)

// notificationResolver resolves a Notification.
type notificationResolver struct{ n chain.Notification }

func (n notificationResolver) ChainID() string { return n.n.Chain.String() }

func (n notificationResolver) Kind() string {
	if n.n.Kind == chain.NewBlock {
		return "NEW_BLOCK"
	}
	return "NEW_BUNDLE"
}

func (n notificationResolver) Height() int32   { return gqlInt(n.n.Height) }
func (n notificationResolver) Hash() *string   { return hexOrNil(n.n.Hash) }
func (n notificationResolver) Origin() *string { return hexOrNil(n.n.Origin) }

func (r *root) Notifications(ctx context.Context, args struct{ ChainIDs *[]string }) (<-chan notificationResolver, error) {
	filter, err := chainFilter(args.ChainIDs)
	if err != nil {
		return nil, err
	}
	in := r.s.hub.subscribe(ctx)
	out := make(chan notificationResolver)
	go func() {
		defer close(out)
		for n := range in {
			if filter != nil && !filter[n.Chain] {
				continue
			}
			select {
			case out <- notificationResolver{n}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// chainFilter parses the chains a subscription wants; nil: all.
func chainFilter(list *[]string) (map[ids.ChainID]bool, error) {
	if list == nil {
		return nil, nil
	}
	filter := map[ids.ChainID]bool{}
	for _, s := range *list {
		id, err := parseHash("chainIds", s)
		if err != nil {
			return nil, err
		}
		filter[id] = true
	}
	return filter, nil
}
