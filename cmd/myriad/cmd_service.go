package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/myriadchain/myriad/wallet/nodeservice"
)

func cmdService(fs *flag.FlagSet) runner {
	port := fs.Int("port", 8081, "HTTP port (0: a free port)")
	host := fs.String("host", "127.0.0.1", "address to listen on")
	origins := fs.String("allow-origin", "", "comma-separated web origins whose pages may call the service "+
		"(it signs with the wallet's keys: none by default)")
	return func(ctx context.Context, e *env, args []string) (result, error) {
		if len(args) > 0 {
			return nil, usageErrorf("unexpected arguments: %s", strings.Join(args, " "))
		}
		return withWallet(ctx, e, func(s *session) (result, error) {
			var allow []string
			for _, o := range strings.Split(*origins, ",") {
				if o = strings.TrimSpace(o); o != "" {
					allow = append(allow, o)
				}
			}
			svc, err := nodeservice.New(nodeservice.Config{Wallet: s.Wallet, AllowOrigins: allow})
			if err != nil {
				return nil, err
			}
			ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
			if err != nil {
				return nil, fmt.Errorf("listen: %w", err)
			}
			srv := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			go svc.Follow(ctx)
			go func() {
				<-ctx.Done()
				sctx, c := context.WithTimeout(context.Background(), 2*time.Second)
				defer c()
				srv.Shutdown(sctx) //nolint:errcheck // stopping
			}()
			fmt.Fprintf(e.stdout, "node service on http://%s (GraphiQL in a browser; subscriptions at ws://%s/ws)\n",
				ln.Addr(), ln.Addr())
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return nil, err
			}
			return nil, nil
		})
	}
}
