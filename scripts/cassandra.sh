#!/usr/bin/env bash
# cassandra.sh runs a three-node Apache Cassandra cluster on 127.0.0.1,
# 127.0.0.2 and 127.0.0.3 for the CQL storage tests.
#
#   scripts/cassandra.sh start          fetch Cassandra (once), start a fresh cluster, wait until it is up
#   scripts/cassandra.sh stop           stop every node
#   scripts/cassandra.sh status         which nodes answer on the CQL port
#   scripts/cassandra.sh stop-node N    stop node N (1-3), keeping its data
#   scripts/cassandra.sh start-node N   start node N again on its data, wait until it answers
#   scripts/cassandra.sh fetch          only fetch Cassandra with Maven
#   scripts/cassandra.sh run CMD...     start a fresh cluster, run CMD with MYRIAD_CQL_HOSTS set,
#                                       stop the cluster however CMD ends; without java or mvn, run
#                                       CMD with MYRIAD_CQL_SKIP set, so the CQL tests skip and say why
#
# Cassandra is org.apache.cassandra:cassandra-all from Maven Central, with
# its runtime dependencies, in $MYRIAD_CASSANDRA_CACHE (default
# ~/.cache/myriad/cassandra); each node runs CassandraDaemon in its own JVM
# from that classpath, with its cassandra.yaml, data and log under
# $MYRIAD_CASSANDRA_CACHE/cluster/nodeN. The nodes are tuned for a small,
# shared machine: 256-512 MiB heaps, one processor's worth of threads, four
# vnodes, no bootstrap streaming (the cluster starts empty), and periodic
# commit-log sync (a write is durable by replication: QUORUM is two nodes).
#
# Needs java (17) and mvn; exits with status 3 and a message when either is
# missing, so callers can skip rather than fail.
set -euo pipefail

VERSION=${MYRIAD_CASSANDRA_VERSION:-5.0.5}
CACHE=${MYRIAD_CASSANDRA_CACHE:-$HOME/.cache/myriad/cassandra}
LIB=$CACHE/lib-$VERSION
CLUSTER=$CACHE/cluster
NODES=(1 2 3)
START_TIMEOUT=${MYRIAD_CASSANDRA_START_TIMEOUT:-240}

say() { echo "cassandra.sh: $*" >&2; }

need_tools() {
	local missing=()
	command -v java >/dev/null || missing+=(java)
	command -v mvn >/dev/null || missing+=(mvn)
	if ((${#missing[@]})); then
		say "missing ${missing[*]}: cannot run Cassandra (install a JDK 17 and Maven)"
		exit 3
	fi
}

fetch() {
	need_tools
	if [[ -f $LIB/.complete ]]; then
		return
	fi
	say "fetching org.apache.cassandra:cassandra-all:$VERSION with Maven into $LIB"
	mkdir -p "$CACHE"
	local pom=$CACHE/pom-$VERSION.xml
	cat >"$pom" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>myriad</groupId><artifactId>cassandra-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
	rm -rf "$LIB"
	mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB" </dev/null
	touch "$LIB/.complete"
}

ip() { echo "127.0.0.$1"; }
dir() { echo "$CLUSTER/node$1"; }

write_config() {
	local n=$1 d
	d=$(dir "$n")
	mkdir -p "$d"/{data,commitlog,saved_caches,hints,cdc_raw,logs}
	cat >"$d/cassandra.yaml" <<EOF
cluster_name: myriad-test
num_tokens: 4
initial_token: $(initial_token "$n")
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
auto_bootstrap: false
data_file_directories: [$d/data]
commitlog_directory: $d/commitlog
saved_caches_directory: $d/saved_caches
hints_directory: $d/hints
cdc_raw_directory: $d/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:7000"
listen_address: $(ip "$n")
rpc_address: $(ip "$n")
storage_port: 7000
native_transport_port: 9042
start_native_transport: true
endpoint_snitch: SimpleSnitch
concurrent_reads: 4
concurrent_writes: 4
concurrent_counter_writes: 2
concurrent_materialized_view_writes: 2
concurrent_compactors: 1
memtable_heap_space: 48MiB
memtable_offheap_space: 48MiB
key_cache_size: 8MiB
batch_size_warn_threshold: 64KiB
batch_size_fail_threshold: 256KiB
native_transport_max_threads: 16
auto_snapshot: false
snapshot_on_duplicate_row_detection: false
hinted_handoff_enabled: true
max_hint_window: 3h
read_request_timeout: 5000ms
write_request_timeout: 5000ms
range_request_timeout: 10000ms
request_timeout: 10000ms
truncate_request_timeout: 60000ms
EOF
	cat >"$d/logback.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$d/logs/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

# initial_token gives each node four evenly spread tokens, so that the ring
# is balanced without token allocation (which needs a running cluster):
# twelve slots over the 2^64 ring, node n takes slots n-1, n+2, n+5, n+8.
TOKENS=(-9223372036854775808 -7686143364045646507 -6148914691236517206 -4611686018427387905
	-3074457345618258604 -1537228672809129303 -2 1537228672809129299 3074457345618258600
	4611686018427387901 6148914691236517202 7686143364045646503)
initial_token() {
	local n=$1
	echo "${TOKENS[n - 1]},${TOKENS[n + 2]},${TOKENS[n + 5]},${TOKENS[n + 8]}"
}

pidfile() { echo "$(dir "$1")/pid"; }

running() {
	local p
	p=$(cat "$(pidfile "$1")" 2>/dev/null) || return 1
	kill -0 "$p" 2>/dev/null
}

answers() { (exec 3<>"/dev/tcp/$(ip "$1")/9042") 2>/dev/null; }

start_jvm() {
	local n=$1 d cp
	d=$(dir "$n")
	if running "$n"; then
		say "node $n already running (pid $(cat "$(pidfile "$n")"))"
		return
	fi
	cp="$LIB/*"
	local jamm
	jamm=$(ls "$LIB"/jamm-*.jar | head -1)
	local opens=()
	for p in java.base/jdk.internal.misc java.base/jdk.internal.ref java.base/sun.nio.ch \
		java.management.rmi/com.sun.jmx.remote.internal.rmi java.rmi/sun.rmi.registry \
		java.rmi/sun.rmi.server java.sql/java.sql java.base/java.lang.ref jdk.unsupported/sun.misc; do
		opens+=(--add-exports "$p=ALL-UNNAMED")
	done
	for p in java.base/java.lang.module java.base/jdk.internal.loader java.base/jdk.internal.ref \
		java.base/jdk.internal.reflect java.base/jdk.internal.math java.base/jdk.internal.module \
		java.base/jdk.internal.util.jar jdk.management/com.sun.management.internal java.base/sun.nio.ch \
		java.base/java.io java.base/java.nio java.base/java.util.concurrent java.base/java.util \
		java.base/java.util.concurrent.atomic java.base/java.lang java.base/java.math \
		java.base/java.lang.reflect java.base/java.net; do
		opens+=(--add-opens "$p=ALL-UNNAMED")
	done
	nohup java -Xms256m -Xmx512m -Xss256k -XX:+UseSerialGC -XX:ActiveProcessorCount=1 \
		-XX:TieredStopAtLevel=1 \
		-javaagent:"$jamm" -Djdk.attach.allowAttachSelf=true "${opens[@]}" \
		-Dcassandra.config="file://$d/cassandra.yaml" -Dlogback.configurationFile="$d/logback.xml" \
		-Dcassandra.logdir="$d/logs" -Dcassandra.storagedir="$d" -Dcassandra-foreground=yes \
		-Dcassandra.ring_delay_ms=1000 -Dcassandra.skip_wait_for_gossip_to_settle=0 \
		-Dcassandra.consistent.rangemovement=false -Dcassandra.superuser_setup_delay_ms=0 \
		-Dcassandra.migration_task_wait_in_seconds=1 -Dcassandra.skip_schema_check=true \
		-cp "$cp" org.apache.cassandra.service.CassandraDaemon >"$d/logs/stdout.log" 2>&1 </dev/null &
	echo $! >"$(pidfile "$n")"
	say "node $n starting on $(ip "$n") (pid $!, log $d/logs/system.log)"
}

wait_up() {
	local deadline=$((SECONDS + START_TIMEOUT)) n
	for n in "$@"; do
		until answers "$n"; do
			if ! running "$n"; then
				say "node $n exited while starting; last lines of its log:"
				tail -n 30 "$(dir "$n")/logs/system.log" "$(dir "$n")/logs/stdout.log" >&2 || true
				return 1
			fi
			if ((SECONDS > deadline)); then
				say "node $n did not answer on $(ip "$n"):9042 within ${START_TIMEOUT}s"
				return 1
			fi
			sleep 1
		done
	done
}

stop_node() {
	local n=$1 p
	p=$(cat "$(pidfile "$n")" 2>/dev/null) || return 0
	if kill -0 "$p" 2>/dev/null; then
		kill "$p"
		for _ in $(seq 60); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$p" 2>/dev/null || true
		say "node $n stopped"
	fi
	rm -f "$(pidfile "$n")"
}

cmd_start() {
	fetch
	local t0=$SECONDS n
	for n in "${NODES[@]}"; do
		stop_node "$n"
		rm -rf "$(dir "$n")"
		write_config "$n"
	done
	# The seed first, then the others together: they join the seed's ring.
	start_jvm 1
	wait_up 1 || { cmd_stop; exit 1; }
	start_jvm 2
	start_jvm 3
	wait_up 2 3 || { cmd_stop; exit 1; }
	say "cluster up in $((SECONDS - t0))s: 127.0.0.1 127.0.0.2 127.0.0.3 port 9042"
}

cmd_stop() {
	local n
	for n in "${NODES[@]}"; do stop_node "$n"; done
}

cmd_status() {
	local n up=0
	for n in "${NODES[@]}"; do
		if answers "$n"; then
			echo "node $n $(ip "$n"): up"
			up=$((up + 1))
		elif running "$n"; then
			echo "node $n $(ip "$n"): starting"
		else
			echo "node $n $(ip "$n"): down"
		fi
	done
	((up == ${#NODES[@]}))
}

node_arg() {
	[[ ${1:-} =~ ^[123]$ ]] || { say "node number 1, 2 or 3 expected, got '${1:-}'"; exit 2; }
}

cmd_run() {
	if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
		export MYRIAD_CQL_SKIP="java or mvn missing: install a JDK 17 and Maven to run the CQL tests"
		say "SKIPPING the Cassandra cluster: $MYRIAD_CQL_SKIP"
		"$@"
		return
	fi
	trap cmd_stop EXIT
	cmd_start
	export MYRIAD_CQL_HOSTS=127.0.0.1,127.0.0.2,127.0.0.3
	local t0=$SECONDS rc=0
	"$@" || rc=$?
	say "tests against the cluster took $((SECONDS - t0))s"
	return $rc
}

case ${1:-} in
start) cmd_start ;;
run)
	shift
	cmd_run "$@"
	;;
stop) cmd_stop ;;
status) cmd_status ;;
fetch) fetch ;;
stop-node) node_arg "${2:-}"; stop_node "$2" ;;
start-node)
	node_arg "${2:-}"
	start_jvm "$2"
	wait_up "$2"
	;;
*)
	say "usage: $0 start|stop|status|fetch|stop-node N|start-node N|run CMD..."
	exit 2
	;;
esac
