package cqlstore

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gocql/gocql"
)

// Config configures a Store. Hosts, Keyspace and Namespace are required;
// zero values of the other fields take the defaults documented on them.
type Config struct {
	// Hosts are the contact points, host or host:port (port 9042 if none).
	Hosts []string
	// Keyspace holds the tables; created if missing, with Replication.
	Keyspace string
	// Namespace names the table: kv_<Namespace>. Letters, digits and _,
	// at most 32 characters. Processes sharing a namespace share the data.
	Namespace string
	// Replication is the replication map of a keyspace created by New, in
	// CQL; default "{'class': 'SimpleStrategy', 'replication_factor': 3}".
	Replication string
	// Consistency of every read and write; default gocql.Quorum.
	Consistency gocql.Consistency
	// Timeout of one request; default 10 s.
	Timeout time.Duration
	// ConnectTimeout of one connection attempt; default 5 s.
	ConnectTimeout time.Duration
	// RetryFor bounds how long a call retries transient failures before
	// it returns an error wrapping ErrUnavailable; default 20 s. New
	// retries its connection for as long.
	RetryFor time.Duration
	// ChunkSize is the largest value stored in one cell; default 512 KiB.
	ChunkSize int
	// MaxBatchBytes bounds a single-partition batch applied directly;
	// default 2 MiB. Larger batches go through the journal.
	MaxBatchBytes int
	// MaxLoggedBytes bounds a multi-partition logged batch; default 32 KiB
	// (Cassandra refuses multi-partition batches over 50 KiB by default).
	MaxLoggedBytes int
	// Logger receives retries and journal replays; nil discards them.
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultReplication    = "{'class': 'SimpleStrategy', 'replication_factor': 3}"
	DefaultTimeout        = 10 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultRetryFor       = 20 * time.Second
	DefaultChunkSize      = 512 << 10
	DefaultMaxBatchBytes  = 2 << 20
	DefaultMaxLoggedBytes = 32 << 10
	maxStatements         = 1000 // statements in one batch
)

var identRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// withDefaults returns c with its zero fields set, or an error if c cannot
// open a store.
func (c Config) withDefaults() (Config, error) {
	if len(c.Hosts) == 0 {
		return c, errors.New("cqlstore: config: no hosts")
	}
	if !identRE.MatchString(c.Keyspace) {
		return c, fmt.Errorf("cqlstore: config: keyspace %q: want 1 to 32 letters, digits or _", c.Keyspace)
	}
	if !identRE.MatchString(c.Namespace) {
		return c, fmt.Errorf("cqlstore: config: namespace %q: want 1 to 32 letters, digits or _", c.Namespace)
	}
	if c.ChunkSize < 0 || c.MaxBatchBytes < 0 || c.MaxLoggedBytes < 0 || c.Timeout < 0 || c.RetryFor < 0 {
		return c, errors.New("cqlstore: config: negative size or duration")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.ChunkSize, DefaultChunkSize)
	def(&c.MaxBatchBytes, DefaultMaxBatchBytes)
	def(&c.MaxLoggedBytes, DefaultMaxLoggedBytes)
	defd(&c.Timeout, DefaultTimeout)
	defd(&c.ConnectTimeout, DefaultConnectTimeout)
	defd(&c.RetryFor, DefaultRetryFor)
	if c.Replication == "" {
		c.Replication = DefaultReplication
	}
	if c.Consistency == 0 {
		c.Consistency = gocql.Quorum
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// ParseURL reads a storage URL:
//
//	cql://host1,host2:9042/keyspace?consistency=quorum&namespace=v0&replication=3&timeout=10s&retry=20s
//
// consistency is a CQL level (one, quorum, local_quorum, all, ...);
// replication a SimpleStrategy replication factor; timeout and retry are
// Go durations. Namespace may be left out and set by the caller.
func ParseURL(s string) (Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Config{}, fmt.Errorf("cqlstore: storage url: %w", err)
	}
	if u.Scheme != "cql" || u.Host == "" {
		return Config{}, fmt.Errorf("cqlstore: storage url %q: want cql://host[,host...]/keyspace", s)
	}
	c := Config{Hosts: strings.Split(u.Host, ","), Keyspace: strings.Trim(u.Path, "/")}
	for key, vals := range u.Query() {
		if err := c.setParam(key, vals[len(vals)-1]); err != nil {
			return Config{}, fmt.Errorf("cqlstore: storage url %q: %s: %w", s, key, err)
		}
	}
	return c, nil
}

// setParam sets the field of c named by a storage URL parameter.
func (c *Config) setParam(key, val string) (err error) {
	switch key {
	case "consistency":
		err = c.Consistency.UnmarshalText([]byte(strings.ToUpper(val)))
	case "namespace":
		c.Namespace = val
	case "replication":
		var n int
		n, err = strconv.Atoi(val)
		if err == nil && n < 1 {
			err = errors.New("want a positive replication factor")
		}
		c.Replication = fmt.Sprintf("{'class': 'SimpleStrategy', 'replication_factor': %d}", n)
	case "timeout":
		c.Timeout, err = time.ParseDuration(val)
	case "retry":
		c.RetryFor, err = time.ParseDuration(val)
	default:
		err = errors.New("unknown parameter")
	}
	return err
}
