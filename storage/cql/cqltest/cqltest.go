// Package cqltest gives tests a real Cassandra cluster: the one named by
// $MYRIAD_CQL_HOSTS (as `make test` and scripts/cassandra.sh run set it),
// or else a three-node cluster it starts with scripts/cassandra.sh for the
// lifetime of the test binary.
//
//	func TestMain(m *testing.M) { os.Exit(cqltest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		hosts := cqltest.Hosts(t) // skips only if java or mvn is missing
//		...
//	}
//
// Test binaries that start a cluster take a file lock first, so that two
// packages tested at once share the machine one cluster at a time.
package cqltest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Environment variables.
const (
	EnvHosts = "MYRIAD_CQL_HOSTS" // comma-separated contact points of a running cluster
	EnvSkip  = "MYRIAD_CQL_SKIP"  // why no cluster can run (set by scripts/cassandra.sh run)
)

// skipReason is why the tests of this binary cannot have a cluster.
var skipReason string

// Main runs m with a cluster, starting one if $MYRIAD_CQL_HOSTS is empty,
// and stops what it started. It returns m's exit code.
func Main(m *testing.M) int {
	if os.Getenv(EnvHosts) != "" {
		return m.Run()
	}
	if r := os.Getenv(EnvSkip); r != "" {
		skipReason = r
		return m.Run()
	}
	if !needsCluster() {
		skipReason = "no test or benchmark of this run needs one"
		return m.Run()
	}
	unlock, err := lock()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cqltest: %v\n", err)
		return 1
	}
	defer unlock()
	out, err := Script("start")
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		skipReason = strings.TrimSpace(string(out))
		return m.Run()
	case err != nil:
		fmt.Fprintf(os.Stderr, "cqltest: scripts/cassandra.sh start: %v\n%s", err, out)
		Script("stop") //nolint:errcheck
		return 1
	}
	defer Script("stop") //nolint:errcheck
	os.Setenv(EnvHosts, "127.0.0.1,127.0.0.2,127.0.0.3")
	return m.Run()
}

// needsCluster reports whether this run may call Hosts: not when it runs
// no test and no benchmark (go test -run '^$' -fuzz X, as make fuzz does).
func needsCluster() bool {
	flag.Parse()
	get := func(name string) string {
		if f := flag.Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	return get("test.run") != "^$" || get("test.bench") != ""
}

// Hosts returns the cluster's contact points, or skips t, saying why, if
// no cluster can run here (java or mvn missing).
func Hosts(t testing.TB) []string {
	t.Helper()
	if skipReason != "" {
		t.Skipf("cqltest: no Cassandra cluster, CQL tests skipped: %s", skipReason)
	}
	h := os.Getenv(EnvHosts)
	if h == "" {
		t.Fatal("cqltest: no cluster: call cqltest.Main from TestMain, or set " + EnvHosts)
	}
	return strings.Split(h, ",")
}

// Script runs scripts/cassandra.sh with args and returns its combined
// output.
func Script(args ...string) ([]byte, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "cassandra.sh"), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.Bytes(), err
}

// repoRoot returns the folder of go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cqltest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// lock takes the machine-wide cluster lock, waiting for another test
// binary to release it.
func lock() (func(), error) {
	dir := os.Getenv("MYRIAD_CASSANDRA_CACHE")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(home, ".cache", "myriad", "cassandra")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return func() { f.Close() }, nil
}
