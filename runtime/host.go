package runtime

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/codec"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/runtime/metering"
)

type audience uint8

const (
	both audience = iota
	contractOnly
	serviceOnly
)

var hostFunctions = map[string]audience{
	"take": both, "output": both, "abort": both, "log": both, "context": both, "parameters": both,
	"read": both, "scan": both, "read_blob": both,
	"write": contractOnly, "delete": contractOnly, "send": contractOnly, "transfer": contractOnly,
	"claim": contractOnly, "emit": contractOnly, "subscribe": contractOnly, "call": contractOnly,
	"create_application": contractOnly, "open_chain": contractOnly,
	"query": serviceOnly, "schedule": serviceOnly,
}

// wasiFunctions are the WASI preview 1 functions a module may import;
// wazero answers them with the deterministic configuration of
// moduleConfig.
var wasiFunctions = map[string]bool{}

func init() {
	for _, n := range []string{"args_get", "args_sizes_get", "environ_get", "environ_sizes_get",
		"clock_res_get", "clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync",
		"fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get",
		"fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_prestat_get",
		"fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
		"fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get",
		"path_filestat_set_times", "path_link", "path_open", "path_readlink", "path_remove_directory",
		"path_rename", "path_symlink", "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise",
		"sched_yield", "random_get", "sock_accept", "sock_recv", "sock_send", "sock_shutdown"} {
		wasiFunctions[n] = true
	}
}

// call is one entry-point execution: what host functions reach through
// the context.
type call struct {
	vm       *VM
	contract app.ContractHost // nil for a service
	service  app.ServiceHost
	fuel     *app.Fuel
	base     int64 // the fuel global's value at the last synchronisation
	input    []byte
	pending  []byte
	output   []byte
	err      error // the host error that trapped the guest
}

type callKey struct{}

func current(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// hostError traps the guest with err.
type hostError struct{ err error }

func (c *call) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	panic(hostError{err})
}

// syncIn charges the fuel the guest burnt since the last synchronisation
// and the host call's own cost.
func (c *call) syncIn(m memory, bytes int) {
	g := m.fuel()
	burnt := c.base - g
	if burnt < 0 {
		burnt = 0
	}
	c.base = g
	if err := c.fuel.Charge(uint64(burnt) + HostCallCost + uint64(bytes)*HostByteCost); err != nil {
		c.fail(err)
	}
	c.setFuel(m)
}

func (c *call) setFuel(m memory) {
	v := int64(min(c.fuel.Left, math.MaxInt64))
	m.setFuel(v)
	c.base = v
}

// charge takes host-side costs (bytes returned) after syncIn.
func (c *call) charge(m memory, bytes int) {
	if err := c.fuel.Charge(uint64(bytes) * HostByteCost); err != nil {
		c.fail(err)
	}
	c.setFuel(m)
}

func (c *call) read(m memory, ptr, n uint32, limit int) []byte {
	if int(n) > limit {
		c.fail(fmt.Errorf("%w: %d bytes, limit %d", app.ErrTooLarge, n, limit))
	}
	b, ok := m.read(ptr, n)
	if !ok {
		c.fail(fmt.Errorf("%w: bad pointer %d+%d", app.ErrBadRequest, ptr, n))
	}
	return b
}

func (c *call) decode(m memory, ptr, n uint32, v codec.Decoder) {
	b := c.read(m, ptr, n, codec.MaxMessageSize)
	if err := codec.Unmarshal(b, v); err != nil {
		c.fail(fmt.Errorf("%w: %w", app.ErrBadRequest, err))
	}
}

// give makes b the pending buffer and returns its length.
func (c *call) give(m memory, b []byte) uint64 {
	c.charge(m, len(b))
	c.pending = b
	return uint64(uint32(len(b)))
}

func (c *call) needContract() app.ContractHost {
	if c.contract == nil {
		c.fail(fmt.Errorf("%w: a service cannot change state", app.ErrReadOnly))
	}
	return c.contract
}

type hostFn struct {
	name    string
	params  int
	results int
	fn      func(c *call, m memory, s []uint64)
}

func u32(v uint64) uint32 { return uint32(v) }

var hostFns = []hostFn{
	{"take", 1, 0, func(c *call, m memory, s []uint64) {
		if !m.write(u32(s[0]), c.pending) {
			c.fail(fmt.Errorf("%w: take: bad pointer", app.ErrBadRequest))
		}
		c.pending = nil
	}},
	{"output", 2, 0, func(c *call, m memory, s []uint64) {
		c.output = c.read(m, u32(s[0]), u32(s[1]), app.MaxQueryResponse)
	}},
	{"abort", 2, 0, func(c *call, m memory, s []uint64) {
		msg := c.read(m, u32(s[0]), min(u32(s[1]), app.MaxLogMessage), app.MaxLogMessage)
		c.fail(fmt.Errorf("%w: %s", app.ErrAborted, msg))
	}},
	{"log", 3, 0, func(c *call, m memory, s []uint64) {
		msg := c.read(m, u32(s[1]), min(u32(s[2]), app.MaxLogMessage), app.MaxLogMessage)
		c.service.Log(uint8(s[0]), string(msg))
		if c.vm.cfg.Log != nil {
			c.vm.cfg.Log(c.service.Context().App, uint8(s[0]), string(msg))
		}
	}},
	{"context", 0, 1, func(c *call, m memory, s []uint64) {
		s[0] = c.give(m, codec.Marshal(c.service.Context()))
	}},
	{"parameters", 0, 1, func(c *call, m memory, s []uint64) {
		s[0] = c.give(m, c.service.Parameters())
	}},
	{"read", 2, 1, func(c *call, m memory, s []uint64) {
		v, ok, err := c.service.Read(c.read(m, u32(s[0]), u32(s[1]), app.MaxKeySize))
		if err != nil {
			c.fail(err)
		}
		if !ok {
			s[0] = uint64(uint32(math.MaxUint32)) // -1
			return
		}
		s[0] = c.give(m, v)
	}},
	{"scan", 2, 1, func(c *call, m memory, s []uint64) {
		kvs, err := c.service.Scan(c.read(m, u32(s[0]), u32(s[1]), app.MaxKeySize))
		if err != nil {
			c.fail(err)
		}
		var w codec.Writer
		app.EncodeKVs(&w, kvs)
		s[0] = c.give(m, w.Data())
	}},
	{"read_blob", 1, 1, func(c *call, m memory, s []uint64) {
		var id ids.BlobID
		copy(id[:], c.read(m, u32(s[0]), ids.HashSize, ids.HashSize))
		b, err := c.service.ReadBlob(id)
		if err != nil {
			c.fail(err)
		}
		s[0] = c.give(m, b)
	}},
	{"write", 4, 0, func(c *call, m memory, s []uint64) {
		k := c.read(m, u32(s[0]), u32(s[1]), app.MaxKeySize)
		v := c.read(m, u32(s[2]), u32(s[3]), app.MaxValueSize)
		if err := c.needContract().Write(k, v); err != nil {
			c.fail(err)
		}
	}},
	{"delete", 2, 0, func(c *call, m memory, s []uint64) {
		if err := c.needContract().Delete(c.read(m, u32(s[0]), u32(s[1]), app.MaxKeySize)); err != nil {
			c.fail(err)
		}
	}},
	{"send", 2, 0, func(c *call, m memory, s []uint64) {
		var r app.SendRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		if err := c.needContract().Send(r); err != nil {
			c.fail(err)
		}
	}},
	{"transfer", 2, 0, func(c *call, m memory, s []uint64) {
		var r app.TransferRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		if err := c.needContract().Transfer(r); err != nil {
			c.fail(err)
		}
	}},
	{"claim", 2, 0, func(c *call, m memory, s []uint64) {
		var r app.ClaimRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		if err := c.needContract().Claim(r); err != nil {
			c.fail(err)
		}
	}},
	{"emit", 4, 0, func(c *call, m memory, s []uint64) {
		name := c.read(m, u32(s[0]), u32(s[1]), app.MaxStreamName)
		v := c.read(m, u32(s[2]), u32(s[3]), app.MaxValueSize)
		if err := c.needContract().Emit(string(name), v); err != nil {
			c.fail(err)
		}
	}},
	{"subscribe", 2, 0, func(c *call, m memory, s []uint64) {
		var r app.SubscribeRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		if err := c.needContract().Subscribe(r); err != nil {
			c.fail(err)
		}
	}},
	{"call", 2, 1, func(c *call, m memory, s []uint64) {
		var r app.CallRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		out, err := c.needContract().Call(r)
		c.setFuel(m) // the callee burnt fuel from the shared counter
		if err != nil {
			c.fail(err)
		}
		s[0] = c.give(m, out)
	}},
	{"create_application", 2, 1, func(c *call, m memory, s []uint64) {
		var r app.CreateRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		id, err := c.needContract().CreateApplication(r)
		c.setFuel(m)
		if err != nil {
			c.fail(err)
		}
		s[0] = c.give(m, id[:])
	}},
	{"open_chain", 2, 1, func(c *call, m memory, s []uint64) {
		var r app.OpenChainRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		id, err := c.needContract().OpenChain(r)
		if err != nil {
			c.fail(err)
		}
		s[0] = c.give(m, id[:])
	}},
	{"query", 2, 1, func(c *call, m memory, s []uint64) {
		var r app.QueryRequest
		c.decode(m, u32(s[0]), u32(s[1]), &r)
		if c.contract != nil {
			c.fail(fmt.Errorf("%w: contracts cannot query services", app.ErrBadRequest))
		}
		out, err := c.service.Query(r)
		c.setFuel(m)
		if err != nil {
			c.fail(err)
		}
		s[0] = c.give(m, out)
	}},
	{"schedule", 2, 0, func(c *call, m memory, s []uint64) {
		if c.contract != nil {
			c.fail(fmt.Errorf("%w: contracts cannot schedule operations", app.ErrBadRequest))
		}
		if err := c.service.Schedule(c.read(m, u32(s[0]), u32(s[1]), app.MaxArgument)); err != nil {
			c.fail(err)
		}
	}},
}

// byteParams says which parameter pairs (pointer, length) carry bytes in,
// for the per-byte cost charged on entry.
func inBytes(name string, s []uint64) int {
	switch name {
	case "take":
		return 0 // charged when the data was given
	case "log", "abort":
		return int(u32(s[len(s)-1]))
	case "write", "emit":
		return int(u32(s[1])) + int(u32(s[3]))
	case "context", "parameters", "read_blob":
		return 0
	}
	if len(s) >= 2 {
		return int(u32(s[1]))
	}
	return 0
}

func (vm *VM) instantiateHost(ctx context.Context) error {
	b := vm.rt.NewHostModuleBuilder("myriad")
	for _, h := range hostFns {
		h := h
		params := make([]api.ValueType, h.params)
		for i := range params {
			params[i] = api.ValueTypeI32
		}
		results := make([]api.ValueType, h.results)
		for i := range results {
			results[i] = api.ValueTypeI32
		}
		b = b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, s []uint64) {
			c := current(ctx)
			if c == nil {
				panic(hostError{fmt.Errorf("%w: host function %s called outside an entry point", app.ErrBadRequest, h.name)})
			}
			g := wazeroMemory{m}
			c.syncIn(g, inBytes(h.name, s))
			h.fn(c, g, s)
		}), params, results).Export(h.name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("runtime: host module: %w", err)
	}
	return nil
}

// Contract implements app.VM.
func (vm *VM) Contract(run *app.Run, host app.ContractHost) ([]byte, error) {
	name := [...]string{"myriad_instantiate", "myriad_execute_operation", "myriad_execute_message"}
	if int(run.Entry) >= len(name) {
		return nil, fmt.Errorf("%w: entry %d", app.ErrBadRequest, run.Entry)
	}
	m, err := vm.load(run.Module.Contract, app.BlobContract, run.Code)
	if err != nil {
		return nil, err
	}
	c := &call{vm: vm, contract: host, service: host, fuel: run.Fuel, input: run.Input}
	return vm.execute(m, c, name[run.Entry], host.Context().Timestamp, run.Seed)
}

// Service implements app.VM. A nil run.Fuel gets ServiceFuel.
func (vm *VM) Service(run *app.Run, host app.ServiceHost) ([]byte, error) {
	m, err := vm.load(run.Module.Service, app.BlobService, run.Code)
	if err != nil {
		return nil, err
	}
	fuel := run.Fuel
	if fuel == nil {
		fuel = &app.Fuel{Left: ServiceFuel}
	}
	c := &call{vm: vm, service: host, fuel: fuel, input: run.Input}
	return vm.execute(m, c, "myriad_query", host.Context().Timestamp, run.Seed)
}

func (vm *VM) execute(m *module, c *call, entry string, timestamp uint64, seed ids.Hash) ([]byte, error) {
	if m.js != nil {
		return vm.executeBrowser(m.js, c, entry, timestamp, seed)
	}
	ctx := context.WithValue(context.Background(), callKey{}, c)
	in, err := vm.acquire(ctx, m, timestamp, seed)
	if err != nil {
		return nil, err
	}
	out, err := vm.call(ctx, c, in, entry)
	vm.release(ctx, m, in, err == nil)
	return out, err
}

func (vm *VM) call(ctx context.Context, c *call, in *instance, entry string) ([]byte, error) {
	inst := in.mod
	mem := wazeroMemory{inst}
	c.setFuel(mem)
	c.pending = c.input
	_, err := inst.ExportedFunction(entry).Call(ctx, uint64(len(c.input)))
	depth := func() uint32 {
		if d := inst.ExportedGlobal(metering.DepthGlobal); d != nil {
			return uint32(d.Get())
		}
		return 0
	}
	return vm.finish(c, err, mem.fuel(), depth, in.err.String())
}

// finish turns the end of an entry point's execution into its result,
// the same way for every engine: err is what the call returned (a
// *sys.ExitError after proc_exit), fuelAfter the fuel global after it,
// depth reads the depth global, and stderr is what the guest wrote there.
func (vm *VM) finish(c *call, err error, fuelAfter int64, depth func() uint32, stderr string) ([]byte, error) {
	if burnt := c.base - fuelAfter; burnt > 0 && c.err == nil {
		if ferr := c.fuel.Charge(uint64(burnt)); ferr != nil && err == nil {
			err = ferr
		}
	}
	switch {
	case c.err != nil:
		return nil, c.err
	case err == nil:
		return c.output, nil
	case metering.IsOutOfFuel(fuelAfter):
		c.fuel.Charge(c.fuel.Left + 1)
		return nil, app.ErrOutOfFuel
	}
	if depth() >= vm.limits.MaxCallDepth {
		return nil, fmt.Errorf("%w: recursion deeper than %d calls", app.ErrCallDepth, vm.limits.MaxCallDepth)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		return nil, fmt.Errorf("%w: exit code %d: %s", app.ErrAborted, exit.ExitCode(), stderr)
	}
	if s := firstLines(stderr, 2); s != "" {
		// A Go guest prints its panic or fatal error, then traps.
		return nil, fmt.Errorf("%w: %s", app.ErrAborted, s)
	}
	return nil, fmt.Errorf("%w: %v", app.ErrTrap, err)
}

func firstLines(s string, n int) string {
	s = strings.TrimSpace(s)
	for i, c := range s {
		if c == '\n' {
			if n--; n == 0 {
				return strings.ReplaceAll(s[:i], "\n", " / ")
			}
		}
	}
	return strings.ReplaceAll(s, "\n", " / ")
}
