package apptest

import (
	"bytes"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	wasmrt "github.com/myriadchain/myriad/runtime"
)

// mapHost is the smallest app.ContractHost: state in a map.
type mapHost struct {
	state map[string][]byte
	ops   [][]byte
}

func (h *mapHost) Context() app.Context { return app.Context{Height: 1, Timestamp: 1} }
func (h *mapHost) Parameters() []byte   { return nil }
func (h *mapHost) Read(k []byte) ([]byte, bool, error) {
	v, ok := h.state[string(k)]
	return v, ok, nil
}
func (h *mapHost) Scan(p []byte) ([]app.KV, error) {
	var out []app.KV
	for k, v := range h.state {
		if bytes.HasPrefix([]byte(k), p) {
			out = append(out, app.KV{Key: []byte(k), Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Key, out[j].Key) < 0 })
	return out, nil
}
func (h *mapHost) Query(app.QueryRequest) ([]byte, error)              { return nil, nil }
func (h *mapHost) ReadBlob(ids.BlobID) ([]byte, error)                 { return nil, app.ErrBlobsNotFound }
func (h *mapHost) Schedule(op []byte) error                            { h.ops = append(h.ops, op); return nil }
func (h *mapHost) Log(uint8, string)                                   {}
func (h *mapHost) Write(k, v []byte) error                             { h.state[string(k)] = v; return nil }
func (h *mapHost) Delete(k []byte) error                               { delete(h.state, string(k)); return nil }
func (h *mapHost) Send(app.SendRequest) error                          { return nil }
func (h *mapHost) Transfer(app.TransferRequest) error                  { return nil }
func (h *mapHost) Claim(app.ClaimRequest) error                        { return nil }
func (h *mapHost) Emit(string, []byte) error                           { return nil }
func (h *mapHost) Subscribe(app.SubscribeRequest) error                { return nil }
func (h *mapHost) Call(app.CallRequest) ([]byte, error)                { return nil, nil }
func (h *mapHost) OpenChain(app.OpenChainRequest) (ids.ChainID, error) { return ids.ChainID{}, nil }
func (h *mapHost) CreateApplication(app.CreateRequest) (ids.ApplicationID, error) {
	return ids.ApplicationID{}, nil
}

func benchCounter(b *testing.B, interpreter bool, service bool) {
	contract, svc := appstest.Build(b, "counter")
	vm, err := wasmrt.New(wasmrt.Config{Interpreter: interpreter})
	if err != nil {
		b.Fatal(err)
	}
	defer vm.Close()
	cb, sb := app.Blob{Kind: app.BlobContract, Bytes: contract}, app.Blob{Kind: app.BlobService, Bytes: svc}
	m := app.ModuleID{Contract: cb.ID(), Service: sb.ID()}
	h := &mapHost{state: map[string][]byte{}}
	run := func() error {
		if service {
			_, err := vm.Service(&app.Run{Module: m, Code: func() ([]byte, error) { return svc, nil },
				Input: []byte(`{"query":"query { value }"}`)}, h)
			return err
		}
		_, err := vm.Contract(&app.Run{Module: m, Code: func() ([]byte, error) { return contract, nil },
			Entry: app.EntryOperation, Input: []byte(`{"increment":1}`), Fuel: &app.Fuel{Left: 1e9}}, h)
		return err
	}
	if err := run(); err != nil { // compile and initialise
		b.Fatal(err)
	}
	b.ResetTimer()
	before, faults := cpuTime()
	for range b.N {
		if err := run(); err != nil {
			b.Fatal(err)
		}
	}
	// The machines are shared: CPU time per operation is steadier than
	// wall time, and page faults (pages a call touched in its copy-on-write
	// instance) do not depend on the load at all.
	after, faults2 := cpuTime()
	b.ReportMetric(float64((after-before).Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(faults2-faults)/float64(b.N), "faults/op")
}

// cpuTime is the process's user and system CPU time and its minor page
// faults.
func cpuTime() (time.Duration, int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru) //nolint:errcheck // cannot fail for SELF
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt
}

// BenchmarkCounterOperation is an operation of the sample counter on a
// fresh deterministic instance.
func BenchmarkCounterOperation(b *testing.B) {
	b.Run("compiler", func(b *testing.B) { benchCounter(b, false, false) })
	b.Run("interpreter", func(b *testing.B) { benchCounter(b, true, false) })
}

// BenchmarkCounterQuery is a GraphQL query of the counter's service.
func BenchmarkCounterQuery(b *testing.B) {
	b.Run("compiler", func(b *testing.B) { benchCounter(b, false, true) })
	b.Run("interpreter", func(b *testing.B) { benchCounter(b, true, true) })
}
