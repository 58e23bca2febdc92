package validator

import (
	"testing"

	"github.com/myriadchain/myriad/core/rpc"
)

// TestMetricsCountEveryRequestKind fails when a request kind is added to
// rpc without room in the metrics.
func TestMetricsCountEveryRequestKind(t *testing.T) {
	for k := rpc.Kind(1); k.IsRequest(); k++ {
		if kindIndex(k) != int(k) {
			t.Errorf("request kind %s is not counted: raise kinds", k)
		}
	}
}
