package cqlstore_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/myriadchain/myriad/core/kv"
	cqlstore "github.com/myriadchain/myriad/storage/cql"
	"github.com/myriadchain/myriad/storage/cql/cqltest"
	"github.com/myriadchain/myriad/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(cqltest.Main(m)) }

// run tags the namespaces of this test binary, so reruns on a kept
// cluster start empty.
var run = fmt.Sprintf("%x", time.Now().UnixNano()&0xffffffff)

var seq atomic.Int64

// freshNamespace returns a namespace no other test uses.
func freshNamespace() string { return fmt.Sprintf("t%s_%d", run, seq.Add(1)) }

func config(t testing.TB, ns string) cqlstore.Config {
	return cqlstore.Config{
		Hosts:     cqltest.Hosts(t),
		Keyspace:  "myriad_test",
		Namespace: ns,
		RetryFor:  30 * time.Second,
	}
}

func open(t testing.TB, cfg cqlstore.Config) *cqlstore.Store {
	t.Helper()
	s, err := cqlstore.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New(%s) = %v", cfg.Namespace, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store { return open(t, config(t, freshNamespace())) })
}

// TestConformanceSmallLimits runs the suite with tiny cells and batches,
// so that most batches go through the journal and values are chunked.
func TestConformanceSmallLimits(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) kv.Store {
		cfg := config(t, freshNamespace())
		cfg.ChunkSize, cfg.MaxBatchBytes, cfg.MaxLoggedBytes = 4<<10, 64, 48
		return open(t, cfg)
	})
}

func TestPersistent(t *testing.T) {
	storagetest.RunPersistent(t, func(t *testing.T, dir string) kv.Store {
		// A directory names a namespace: reopening it reopens the table.
		sum := sha256.Sum256([]byte(run + dir))
		return open(t, config(t, fmt.Sprintf("p%x", sum[:12])))
	})
}

func TestParseURL(t *testing.T) {
	c, err := cqlstore.ParseURL("cql://127.0.0.1,127.0.0.2:9042/myriad?consistency=local_quorum&namespace=v0&replication=2&timeout=3s&retry=1m")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%v %s %s %v %s %v %v", c.Hosts, c.Keyspace, c.Namespace, c.Consistency, c.Replication, c.Timeout, c.RetryFor)
	want := "[127.0.0.1 127.0.0.2:9042] myriad v0 LOCAL_QUORUM {'class': 'SimpleStrategy', 'replication_factor': 2} 3s 1m0s"
	if got != want {
		t.Errorf("ParseURL = %s, want %s", got, want)
	}
	for _, bad := range []string{"pebble://x", "cql:///ks", "cql://h/ks?consistency=most", "cql://h/ks?colour=red",
		"cql://h/ks?replication=0", "cql://h/ks?timeout=soon"} {
		if _, err := cqlstore.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) = nil error, want an error", bad)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	bad := map[string]cqlstore.Config{
		"no hosts":      {Keyspace: "k", Namespace: "n"},
		"bad keyspace":  {Hosts: []string{"h"}, Keyspace: "k-1", Namespace: "n"},
		"bad namespace": {Hosts: []string{"h"}, Keyspace: "k", Namespace: strings.Repeat("n", 33)},
		"negative":      {Hosts: []string{"h"}, Keyspace: "k", Namespace: "n", ChunkSize: -1},
	}
	for name, cfg := range bad {
		if s, err := cqlstore.New(t.Context(), cfg); err == nil {
			s.Close()
			t.Errorf("New(%s) = nil error, want an error", name)
		}
	}
}
