package localnet

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// shardAddress is the internal address of shard s of a split validator:
// each shard on its own loopback address, as if on its own host.
func shardAddress(s, port int) string {
	return fmt.Sprintf("ws://127.0.1.%d:%d", s+1, port)
}

// startSplit starts split validator i as one process per shard on the
// shared storage, then its proxy on the validator's address, and returns
// the proxy.
func (n *Network) startSplit(ctx context.Context, i int) (*proc, error) {
	if n.peers == nil {
		n.peers, n.shards = map[int][]string{}, map[int][]*proc{}
	}
	if n.peers[i] == nil {
		ports, err := freePorts(n.Shards)
		if err != nil {
			return nil, err
		}
		for s, port := range ports {
			n.peers[i] = append(n.peers[i], shardAddress(s, port))
		}
	}
	n.shards[i] = make([]*proc, n.Shards)
	for s := range n.Shards {
		if err := n.startShard(ctx, i, s); err != nil {
			return nil, err
		}
	}
	listen, err := hostPort(n.Addresses[i])
	if err != nil {
		return nil, fmt.Errorf("localnet: validator %d address: %w", i, err)
	}
	return n.startProc(ctx, fmt.Sprintf("validator %d proxy", i), n.logPath(i), "proxy", "--listen", listen,
		"--shard-addrs", strings.Join(n.peers[i], ","), "--metrics-port", strconv.Itoa(n.mports[i]), "--rate-limit", "0")
}

// startShard starts shard s of split validator i and waits until it
// listens.
func (n *Network) startShard(ctx context.Context, i, s int) error {
	dir := filepath.Join(n.Dir, fmt.Sprintf("validator-%d", i))
	name := fmt.Sprintf("validator %d shard %d", i, s)
	p, err := n.startProc(ctx, name, n.shardLogPath(i, s), "shard", "--index", strconv.Itoa(s),
		"--shards", strconv.Itoa(n.Shards), "--peers", strings.Join(n.peers[i], ","),
		"--key", filepath.Join(dir, "key.json"), "--genesis", n.GenesisPath, "--storage", n.Split(i), "--rate-limit", "0")
	if err != nil {
		return err
	}
	n.shards[i][s] = p
	// A shard on a distributed store may wait for the database to answer.
	if err := waitListening(ctx, n.peers[i][s], 2*time.Minute); err != nil {
		return fmt.Errorf("localnet: %s: %w (see %s)", name, err, n.shardLogPath(i, s))
	}
	return nil
}

func (n *Network) shardLogPath(i, s int) string {
	return filepath.Join(n.Dir, fmt.Sprintf("validator-%d-shard-%d.log", i, s))
}

// ShardLog returns the path of the log of shard s of split validator i.
func (n *Network) ShardLog(i, s int) string { return n.shardLogPath(i, s) }

// KillShard stops shard s of split validator i with SIGKILL.
func (n *Network) KillShard(i, s int) error {
	if s < 0 || s >= len(n.shards[i]) {
		return fmt.Errorf("localnet: validator %d has no shard process %d", i, s)
	}
	p := n.shards[i][s]
	if err := p.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("localnet: kill validator %d shard %d: %w", i, s, err)
	}
	<-p.exited
	return nil
}

// RestartShard starts shard s of split validator i again after KillShard.
func (n *Network) RestartShard(ctx context.Context, i, s int) error {
	if s < 0 || s >= len(n.shards[i]) {
		return fmt.Errorf("localnet: validator %d has no shard process %d", i, s)
	}
	return n.startShard(ctx, i, s)
}
