package validator

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/myriadchain/myriad/core/rpc"
)

// kinds is the number of request kinds counted (index 0: not a request).
const kinds = int(rpc.DownloadBlob) + 1

// latencyBuckets are the upper bounds of the latency histogram, seconds.
var latencyBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// metrics are the Server's counters, exposed in Prometheus text format.
// Every field is updated atomically.
type metrics struct {
	requests [kinds]atomic.Uint64
	errors   [kinds]atomic.Uint64
	buckets  [kinds][]atomic.Uint64 // cumulative per latencyBuckets, plus +Inf
	sumMicro [kinds]atomic.Uint64

	confirmed     atomic.Uint64 // blocks confirmed
	panics        atomic.Uint64
	rateLimited   atomic.Uint64
	tooMany       atomic.Uint64
	notesDropped  atomic.Uint64
	connections   atomic.Int64
	deliveries    atomic.Uint64 // cross-chain updates delivered
	deliveryFails atomic.Uint64
}

func newMetrics() *metrics {
	m := &metrics{}
	for k := range m.buckets {
		m.buckets[k] = make([]atomic.Uint64, len(latencyBuckets)+1)
	}
	return m
}

func kindIndex(k rpc.Kind) int {
	if k.IsRequest() && int(k) < kinds {
		return int(k)
	}
	return 0
}

// observe counts a request of kind k that took d.
func (m *metrics) observe(k rpc.Kind, d time.Duration, failed bool) {
	i := kindIndex(k)
	m.requests[i].Add(1)
	if failed {
		m.errors[i].Add(1)
	}
	s := d.Seconds()
	for b, ub := range latencyBuckets {
		if s <= ub {
			m.buckets[i][b].Add(1)
		}
	}
	m.buckets[i][len(latencyBuckets)].Add(1)
	m.sumMicro[i].Add(uint64(d.Microseconds()))
}

func kindLabel(i int) string {
	if i == 0 {
		return "invalid"
	}
	return rpc.Kind(i).String()
}

// gauges are values read when metrics are scraped.
type gauges struct {
	queueDepth      map[int]int // by local shard
	pendingOutboxes int
	cacheHits       uint64
	cacheMisses     uint64
	replayed        uint64 // confirmed blocks applied from a stored execution
	executed        uint64 // confirmed blocks executed
}

// write writes every metric in Prometheus text exposition format.
func (m *metrics) write(w io.Writer, g gauges) {
	m.writeRequests(w)
	m.writeCounters(w, g)
	m.writeGauges(w, g)
	writeProcess(w)
}

func header(w io.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// writeRequests writes the request counters and the latency histogram.
func (m *metrics) writeRequests(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	counter := func(name, help string) { header(w, name, "counter", help) }
	counter("myriad_requests_total", "Requests handled, by kind.")
	for i := range kinds {
		p("myriad_requests_total{kind=%q} %d\n", kindLabel(i), m.requests[i].Load())
	}
	counter("myriad_request_errors_total", "Requests answered with an error, by kind.")
	for i := range kinds {
		p("myriad_request_errors_total{kind=%q} %d\n", kindLabel(i), m.errors[i].Load())
	}
	p("# HELP myriad_request_duration_seconds Time to handle a request, by kind.\n")
	p("# TYPE myriad_request_duration_seconds histogram\n")
	for i := range kinds {
		for b, ub := range latencyBuckets {
			p("myriad_request_duration_seconds_bucket{kind=%q,le=\"%g\"} %d\n", kindLabel(i), ub, m.buckets[i][b].Load())
		}
		n := m.buckets[i][len(latencyBuckets)].Load()
		p("myriad_request_duration_seconds_bucket{kind=%q,le=\"+Inf\"} %d\n", kindLabel(i), n)
		p("myriad_request_duration_seconds_sum{kind=%q} %g\n", kindLabel(i), float64(m.sumMicro[i].Load())/1e6)
		p("myriad_request_duration_seconds_count{kind=%q} %d\n", kindLabel(i), n)
	}
}

func (m *metrics) writeCounters(w io.Writer, g gauges) {
	for _, c := range []struct {
		name, help string
		v          uint64
	}{
		{"myriad_blocks_confirmed_total", "Confirmed blocks stored.", m.confirmed.Load()},
		{"myriad_panics_total", "Requests that panicked (answered with an internal error).", m.panics.Load()},
		{"myriad_rate_limited_total", "Requests refused by the per-address rate limit.", m.rateLimited.Load()},
		{"myriad_too_many_in_flight_total", "Requests refused by the per-connection in-flight limit.", m.tooMany.Load()},
		{"myriad_notifications_dropped_total", "Notifications dropped for slow subscribers.", m.notesDropped.Load()},
		{"myriad_cross_chain_deliveries_total", "Cross-chain updates delivered.", m.deliveries.Load()},
		{"myriad_cross_chain_failures_total", "Cross-chain delivery attempts that failed (retried later).", m.deliveryFails.Load()},
		{"myriad_cache_hits_total", "Reads answered by the chain state cache.", g.cacheHits},
		{"myriad_cache_misses_total", "Reads the chain state cache sent to storage.", g.cacheMisses},
		{"myriad_confirmed_replayed_total", "Confirmed blocks applied from this validator's stored execution of the proposal.", g.replayed},
		{"myriad_confirmed_executed_total", "Confirmed blocks executed (no stored execution applied).", g.executed},
	} {
		header(w, c.name, "counter", c.help)
		fmt.Fprintf(w, "%s %d\n", c.name, c.v)
	}
}

func (m *metrics) writeGauges(w io.Writer, g gauges) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	gauge := func(name, help string) { header(w, name, "gauge", help) }
	gauge("myriad_connections", "Open WebSocket connections.")
	p("myriad_connections %d\n", m.connections.Load())
	gauge("myriad_queue_depth", "Cross-chain deliveries waiting, by shard.")
	for _, i := range slices.Sorted(maps.Keys(g.queueDepth)) {
		p("myriad_queue_depth{shard=\"%d\"} %d\n", i, g.queueDepth[i])
	}
	gauge("myriad_pending_outboxes", "Chains with cross-chain bundles not yet acknowledged.")
	p("myriad_pending_outboxes %d\n", g.pendingOutboxes)
}

// writeProcess writes the process metrics Prometheus clients usually
// export: CPU seconds (user + system, from getrusage) and resident memory.
func writeProcess(w io.Writer) {
	if cpu, ok := cpuSeconds(); ok {
		fmt.Fprintf(w, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n")
		fmt.Fprintf(w, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %g\n", cpu)
	}
	if rss, ok := residentBytes(); ok {
		fmt.Fprintf(w, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n")
		fmt.Fprintf(w, "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %d\n", rss)
	}
}

// MetricsHandler serves the metrics at any path, in Prometheus text format.
func (s *Server) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.metrics.write(w, s.gauges())
	})
}
