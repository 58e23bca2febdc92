package bench

import (
	"testing"
	"time"
)

func TestParseMetrics(t *testing.T) {
	text := "# HELP x y\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12.5\n" +
		"myriad_requests_total{kind=\"proposal\"} 7\nmyriad_blocks_confirmed_total 40\n"
	m := parseMetrics(text)
	if m["process_cpu_seconds_total"] != 12.5 || m["myriad_blocks_confirmed_total"] != 40 {
		t.Errorf("parseMetrics = %v, want cpu 12.5 and 40 blocks", m)
	}
	if _, ok := m[`myriad_requests_total{kind="proposal"}`]; ok {
		t.Error("parseMetrics kept a labelled sample")
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if p50, p99 := percentile(d, 0.5), percentile(d, 0.99); p50 != 50 || p99 != 99 {
		t.Errorf("percentile = %v, %v; want 50, 99", p50, p99)
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

func TestSignatureWorkIsMeasured(t *testing.T) {
	if w := signatureWork(4); w <= 0 {
		t.Errorf("signatureWork(4) = %v ms, want > 0", w)
	}
}
