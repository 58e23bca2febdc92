package cqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gocql/gocql"
)

// Backoff between retries of a transient failure.
const (
	firstBackoff = 50 * time.Millisecond
	maxBackoff   = 2 * time.Second
)

// retry calls fn until it succeeds, fails for good, or transient failures
// have lasted s.cfg.RetryFor; each retry is logged. what names the call in
// errors and logs.
func (s *Store) retry(ctx context.Context, what string, fn func() error) error {
	deadline := time.Now().Add(s.cfg.RetryFor)
	wait := firstBackoff
	for attempt := 1; ; attempt++ {
		err := fn()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("cqlstore: %s: %w", what, ctx.Err())
		case !transient(err):
			return fmt.Errorf("cqlstore: %s: %w", what, err)
		case time.Now().Add(wait).After(deadline):
			s.cfg.Logger.Error("cqlstore: giving up", "op", what, "attempts", attempt, "err", err)
			return fmt.Errorf("cqlstore: %s: %w: %w", what, ErrUnavailable, err)
		}
		s.cfg.Logger.Warn("cqlstore: retrying", "op", what, "attempt", attempt, "in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("cqlstore: %s: %w (last error: %w)", what, ctx.Err(), err)
		}
		wait = min(2*wait, maxBackoff)
	}
}

// transient reports whether err may go away by itself: no host reachable,
// too few live replicas, a timeout, an overloaded or starting node.
func transient(err error) bool {
	for _, e := range []error{gocql.ErrNoConnections, gocql.ErrNoConnectionsStarted, gocql.ErrTimeoutNoResponse,
		gocql.ErrConnectionClosed, gocql.ErrSessionClosed, gocql.ErrNoStreams} {
		if errors.Is(err, e) {
			return true
		}
	}
	var re gocql.RequestError
	if errors.As(err, &re) {
		switch re.Code() {
		case gocql.ErrCodeUnavailable, gocql.ErrCodeWriteTimeout, gocql.ErrCodeReadTimeout,
			gocql.ErrCodeOverloaded, gocql.ErrCodeBootstrapping:
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// gocqlLogger hands gocql's log lines to a slog.Logger at debug level.
type gocqlLogger struct{ l *slog.Logger }

func (g gocqlLogger) Print(v ...any)                 { g.l.Debug(fmt.Sprint(v...)) }
func (g gocqlLogger) Printf(format string, v ...any) { g.l.Debug(fmt.Sprintf(format, v...)) }
func (g gocqlLogger) Println(v ...any)               { g.l.Debug(fmt.Sprint(v...)) }
