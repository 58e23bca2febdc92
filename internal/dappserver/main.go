// Command dappserver serves a folder of static files on 127.0.0.1 — the
// sample dApps (e2e/dapps) for `make dapps` and scripts/dapps.sh:
//
//	go run ./internal/dappserver -dir e2e/dapps -port 8090
//
// It sends no caching headers beyond net/http's own, so an edited page shows
// on reload. It is a developer tool, not for the internet.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dappserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "e2e/dapps", "folder to serve")
	host := fs.String("host", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 8090, "port (0: a free port)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "dappserver: %s is not a folder\n", *dir)
		return 1
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "dappserver: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(*dir)), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving %s at http://%s/\n", *dir, ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "dappserver: %v\n", err)
		return 1
	}
	return 0
}
