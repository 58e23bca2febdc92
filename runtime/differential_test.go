package runtime

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/myriadchain/myriad/apps/appstest"
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
)

// appModules returns a sample application's contract and service:
// natively built by appstest, in a browser prebuilt (make runtime-guests).
func appModules(t testing.TB, name string) (contract, service []byte) {
	t.Helper()
	if c := prebuilt(t, name+"-contract"); c != nil {
		return c, prebuilt(t, name+"-service")
	}
	return appstest.Build(t, name)
}

// testSeed returns the seed of a randomised test: MYRIAD_SEED if set,
// otherwise the clock; it is logged so a failure can be replayed.
func testSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("MYRIAD_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("MYRIAD_SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with MYRIAD_SEED=%d)", seed, seed)
	return seed
}

// stateHash hashes a fake host's state in key order.
func stateHash(h *fakeHost) [32]byte {
	keys := make([]string, 0, len(h.state))
	for k := range h.state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(d, "%d:%s%d:", len(k), k, len(h.state[k]))
		d.Write(h.state[k])
	}
	return [32]byte(d.Sum(nil))
}

// errKey is what two engines must agree on about an error: the message,
// except for a trap, whose message is the engine's own.
func errKey(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, app.ErrTrap):
		return "trap"
	}
	return err.Error()
}

// side is one engine's VM and the hosts of the applications it runs.
type side struct {
	vm             *VM
	counter, guest *fakeHost
}

// diffOp is one randomised operation: which module, entry and input, the
// fuel, the block time and seed.
type diffOp struct {
	guest   bool // the test guest; otherwise the counter
	service bool
	entry   app.Entry
	input   []byte
	fuel    uint64
	time    uint64
	seed    ids.Hash
}

func (o diffOp) String() string {
	return fmt.Sprintf("guest=%v service=%v entry=%d input=%q fuel=%d", o.guest, o.service, o.entry, o.input, o.fuel)
}

// randomOp draws an operation: counter increments (some malformed, some
// short of fuel), counter queries and mutations, and the test guest's
// operations (work, maps from the seed, recursion past the depth limit,
// aborts, panics, endless loops).
func randomOp(rng *rand.Rand, i int) diffOp {
	o := diffOp{fuel: uint64(pow10(5 + rng.IntN(5))), time: rng.Uint64N(1 << 50), seed: ids.Sum("diff", []byte{byte(i), byte(i >> 8)})}
	switch rng.IntN(8) {
	case 0, 1:
		o.entry, o.input = app.EntryOperation, fmt.Appendf(nil, `{"increment":%d}`, rng.IntN(1000))
	case 2:
		o.service, o.input = true, []byte(`{"query":"{ value }"}`)
	case 3:
		o.service, o.input = true, fmt.Appendf(nil, `{"query":"mutation { increment(value: %d) }"}`, rng.IntN(50))
	case 4:
		o.entry, o.input = app.EntryOperation, []byte(`{"increment":`)[:rng.IntN(14)]
	default:
		o.guest, o.entry = true, app.EntryOperation
		cmd := "iwmragpl"[rng.IntN(8)]
		o.input = op(cmd, rng.Uint64N(2000))
		if cmd == 'l' {
			o.fuel = uint64(pow10(5 + rng.IntN(3)))
		}
	}
	return o
}

func pow10(n int) int {
	v := 1
	for range n {
		v *= 10
	}
	return v
}

// run executes o on s and returns everything the engines must agree on.
func (s *side) run(o diffOp, counter, guestMod app.ModuleID, counterCode [2][]byte, guestCode []byte) string {
	h, mod, code := s.counter, counter, counterCode[0]
	if o.service {
		code = counterCode[1]
	}
	if o.guest {
		h, mod, code = s.guest, guestMod, guestCode
	}
	h.ctx.Timestamp = o.time
	f := &app.Fuel{Left: o.fuel}
	run := &app.Run{Module: mod, Code: func() ([]byte, error) { return code, nil }, Entry: o.entry,
		Input: o.input, Seed: o.seed, Fuel: f}
	var out []byte
	var err error
	if o.service {
		out, err = s.vm.Service(run, h)
	} else {
		out, err = s.vm.Contract(run, h)
	}
	logs := h.logs
	h.logs = nil
	return fmt.Sprintf("out=%q err=%q used=%d left=%d state=%x logs=%q", out, errKey(err), f.Used, f.Left, stateHash(h), logs)
}

// TestEnginesAgreeOnRandomOperations runs one seeded random sequence of
// operations on the counter application and the test guest on the two
// engines of testEngines (natively wazero's compiler and interpreter; in
// a browser wazero's interpreter, the reference, and the browser's own
// engine) and requires, after every operation, the same output, error,
// fuel used and left, logs and state hash.
func TestEnginesAgreeOnRandomOperations(t *testing.T) {
	e := testEngines()
	differential(t, e[0], e[1])
}

// TestWASIAgrees runs the random operations on wazero's compiler with
// wazero's WASI module and with wasi.go's, the answers the browser engine
// gives (natively: in a browser, TestEnginesAgreeOnRandomOperations
// compares the whole browser engine).
func TestWASIAgrees(t *testing.T) {
	if InterpreterOnly {
		t.Skip("natively only")
	}
	differential(t, engineCase{"wazero-wasi", Config{}}, engineCase{"own-wasi", Config{ownWASI: true}})
}

// differential runs a seeded random sequence of operations on two
// engines and requires them to agree after every step.
func differential(t *testing.T, engs ...engineCase) {
	cc, cs := appModules(t, "counter")
	g := guest(t)
	counter := app.ModuleID{Contract: app.Blob{Kind: app.BlobContract, Bytes: cc}.ID(),
		Service: app.Blob{Kind: app.BlobService, Bytes: cs}.ID()}
	guestMod := app.ModuleID{Contract: app.Blob{Kind: app.BlobContract, Bytes: g}.ID()}
	var sides []*side
	for _, e := range engs {
		sides = append(sides, &side{vm: newVM(t, e.cfg), counter: newHost(), guest: newHost()})
	}
	rng := rand.New(rand.NewPCG(testSeed(t), 1))
	steps := 60
	if testing.Short() {
		steps = 20
	}
	init := diffOp{entry: app.EntryInstantiate, input: []byte("1"), fuel: 1e9, seed: ids.Sum("diff", nil)}
	for i := -1; i < steps; i++ {
		o := init
		if i >= 0 {
			o = randomOp(rng, i)
		}
		var got []string
		for _, s := range sides {
			got = append(got, s.run(o, counter, guestMod, [2][]byte{cc, cs}, g))
		}
		if got[0] != got[1] {
			t.Fatalf("step %d, %v:\n%s: %s\n%s: %s", i, o, engs[0].name, got[0], engs[1].name, got[1])
		}
		if testing.Verbose() {
			t.Logf("step %d, %v: %s", i, o, got[0])
		}
	}
}

// TestMemoryLimit runs the guest's unbounded allocation under a 32 MiB
// limit: every engine stops it the same way, with the same fuel.
func TestMemoryLimit(t *testing.T) {
	limits := DefaultLimits()
	limits.MaxMemoryPages = 512
	var got []string
	for _, e := range testEngines() {
		cfg := e.cfg
		cfg.Limits = &limits
		r := newRunner(t, cfg)
		out, f, err := r.run(newHost(), app.EntryOperation, op('b', 0), 1e11)
		if err == nil {
			t.Fatalf("%s: unbounded allocation under %d pages returned %x", e.name, limits.MaxMemoryPages, out)
		}
		got = append(got, fmt.Sprintf("%s used=%d", errKey(err), f.Used))
		if out, _, err := r.run(newHost(), app.EntryOperation, op('w', 10), 1e9); err != nil || u64(out) != 285 {
			t.Errorf("%s: after running out of memory: %d, %v", e.name, u64(out), err)
		}
	}
	t.Logf("%s", got[0])
	if got[0] != got[1] {
		t.Fatalf("memory limit: %s, %s", got[0], got[1])
	}
}

// TestForeignImportsRefused: a module importing a function outside the
// host API, or a host function with another signature, is refused by
// every engine as a bad module.
func TestForeignImportsRefused(t *testing.T) {
	for _, c := range []struct {
		name         string
		module, what string
		params       []byte
	}{
		{"foreign", "env", "now", nil},
		{"signature", "myriad", "write", []byte{0x7f}},
		{"wasi", "wasi_snapshot_preview2", "random_get", []byte{0x7f, 0x7f}},
	} {
		code := tinyContract(c.module, c.what, c.params)
		for _, e := range testEngines() {
			vm := newVM(t, e.cfg)
			h := newHost()
			_, err := vm.Contract(&app.Run{
				Module: app.ModuleID{Contract: app.Blob{Kind: app.BlobContract, Bytes: code}.ID()},
				Code:   func() ([]byte, error) { return code, nil }, Entry: app.EntryOperation, Fuel: &app.Fuel{Left: 1e9},
			}, h)
			if !errors.Is(err, app.ErrBadModule) {
				t.Errorf("%s on %s: %v, want a bad module", c.name, e.name, err)
			}
		}
	}
}

// tinyContract returns a contract with empty entry points and a memory
// that imports module.name with params and no results.
func tinyContract(module, name string, params []byte) []byte {
	types := []byte{0x60, 0, 0, 0x60, 1, 0x7f, 0}
	types = append(types, 0x60)
	types = wasmVec(types, params)
	types = append(types, 0)
	imps := wasmName(wasmName(nil, module), name)
	imps = append(imps, 0, 2)
	var exports, code []byte
	entries := []string{"_initialize", "myriad_instantiate", "myriad_execute_operation", "myriad_execute_message"}
	funcs := []byte{0, 1, 1, 1}
	for i, e := range entries {
		exports = append(wasmName(exports, e), 0, byte(1+i))
		code = append(code, wasmCode(nil)...)
	}
	exports = append(wasmName(exports, "memory"), 2, 0)
	return wasmModule(wasmSection(1, 3, types), wasmSection(2, 1, imps), wasmSection(3, 4, funcs),
		wasmSection(5, 1, []byte{0, 1}), wasmSection(7, 5, exports), wasmSection(10, 4, code))
}
