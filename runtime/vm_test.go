package runtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
)

var (
	guestOnce sync.Once
	guestWasm []byte
	guestErr  error
)

// guest builds testdata/guest once per test binary.
func guest(t testing.TB) []byte {
	t.Helper()
	if b := prebuilt(t, "guest"); b != nil {
		return b
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is needed to build the test guest")
	}
	guestOnce.Do(func() {
		dir, err := os.MkdirTemp("", "myriad-guest")
		if err != nil {
			guestErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "guest.wasm")
		cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", out, "./testdata/guest")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if b, err := cmd.CombinedOutput(); err != nil {
			guestErr = errors.New(string(b))
			return
		}
		guestWasm, guestErr = os.ReadFile(out)
	})
	if guestErr != nil {
		t.Fatalf("build guest: %v", guestErr)
	}
	return guestWasm
}

// fakeHost is an app.ContractHost over a map.
type fakeHost struct {
	state map[string][]byte
	ctx   app.Context
	logs  []string
}

func newHost() *fakeHost { return &fakeHost{state: map[string][]byte{}} }

func (h *fakeHost) Context() app.Context { return h.ctx }
func (h *fakeHost) Parameters() []byte   { return nil }
func (h *fakeHost) Read(k []byte) ([]byte, bool, error) {
	v, ok := h.state[string(k)]
	return v, ok, nil
}
func (h *fakeHost) Scan(p []byte) ([]app.KV, error) {
	var out []app.KV
	for k, v := range h.state {
		if bytes.HasPrefix([]byte(k), p) {
			out = append(out, app.KV{Key: []byte(k), Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Key, out[j].Key) < 0 })
	return out, nil
}
func (h *fakeHost) Query(app.QueryRequest) ([]byte, error)              { return nil, nil }
func (h *fakeHost) ReadBlob(ids.BlobID) ([]byte, error)                 { return nil, app.ErrBlobsNotFound }
func (h *fakeHost) Schedule([]byte) error                               { return nil }
func (h *fakeHost) Log(_ uint8, m string)                               { h.logs = append(h.logs, m) }
func (h *fakeHost) Write(k, v []byte) error                             { h.state[string(k)] = v; return nil }
func (h *fakeHost) Delete(k []byte) error                               { delete(h.state, string(k)); return nil }
func (h *fakeHost) Send(app.SendRequest) error                          { return nil }
func (h *fakeHost) Transfer(app.TransferRequest) error                  { return nil }
func (h *fakeHost) Claim(app.ClaimRequest) error                        { return nil }
func (h *fakeHost) Emit(string, []byte) error                           { return nil }
func (h *fakeHost) Subscribe(app.SubscribeRequest) error                { return nil }
func (h *fakeHost) Call(app.CallRequest) ([]byte, error)                { return nil, nil }
func (h *fakeHost) OpenChain(app.OpenChainRequest) (ids.ChainID, error) { return ids.ChainID{}, nil }
func (h *fakeHost) CreateApplication(app.CreateRequest) (ids.ApplicationID, error) {
	return ids.ApplicationID{}, nil
}

func newVM(t testing.TB, cfg Config) *VM {
	t.Helper()
	vm, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vm.Close() })
	return vm
}

func op(cmd byte, arg uint64) []byte { return binary.BigEndian.AppendUint64([]byte{cmd}, arg) }

type runner struct {
	vm   *VM
	code []byte
	mod  app.ModuleID
}

func newRunner(t testing.TB, cfg Config) *runner {
	code := guest(t)
	return &runner{vm: newVM(t, cfg), code: code,
		mod: app.ModuleID{Contract: app.Blob{Kind: app.BlobContract, Bytes: code}.ID()}}
}

func (r *runner) run(h *fakeHost, e app.Entry, in []byte, fuel uint64) ([]byte, *app.Fuel, error) {
	f := &app.Fuel{Left: fuel}
	out, err := r.vm.Contract(&app.Run{
		Module: r.mod, Code: func() ([]byte, error) { return r.code, nil },
		Entry: e, Input: in, Seed: ids.Sum("test", in), Fuel: f,
	}, h)
	return out, f, err
}

func u64(b []byte) uint64 {
	if len(b) != 8 {
		return 1<<64 - 1
	}
	return binary.BigEndian.Uint64(b)
}

// engineCase is an engine the tests run on.
type engineCase struct {
	name string
	cfg  Config
}

// engines runs fn on every engine of testEngines: natively wazero's
// compiler and interpreter, in a browser wazero's interpreter and the
// browser's engine. The first is the reference.
func engines(t *testing.T, fn func(t *testing.T, r *runner)) {
	for _, e := range testEngines() {
		t.Run(e.name, func(t *testing.T) { fn(t, newRunner(t, e.cfg)) })
	}
}

func TestCounterAndState(t *testing.T) {
	engines(t, func(t *testing.T, r *runner) {
		h := newHost()
		if _, _, err := r.run(h, app.EntryInstantiate, binary.BigEndian.AppendUint64(nil, 40), 1e9); err != nil {
			t.Fatal(err)
		}
		out, f, err := r.run(h, app.EntryOperation, op('i', 2), 1e9)
		if err != nil {
			t.Fatal(err)
		}
		if u64(out) != 42 || u64(h.state["counter"]) != 42 {
			t.Fatalf("counter = %d, state %x", u64(out), h.state["counter"])
		}
		if f.Used == 0 || f.Used+f.Left != 1e9 {
			t.Fatalf("fuel used %d left %d", f.Used, f.Left)
		}
	})
}

func TestFreshInstanceEveryCall(t *testing.T) {
	engines(t, func(t *testing.T, r *runner) {
		for range 3 {
			out, _, err := r.run(newHost(), app.EntryOperation, op('g', 0), 1e9)
			if err != nil || u64(out) != 1 {
				t.Fatalf("global after a fresh start = %d, %v; want 1", u64(out), err)
			}
		}
	})
}

func TestOutOfFuel(t *testing.T) {
	engines(t, func(t *testing.T, r *runner) {
		_, f, err := r.run(newHost(), app.EntryOperation, op('l', 0), 5_000_000)
		if !errors.Is(err, app.ErrOutOfFuel) {
			t.Fatalf("loop forever: %v, want out of fuel", err)
		}
		if f.Left != 0 || f.Used != 5_000_000 {
			t.Fatalf("fuel left %d used %d", f.Left, f.Used)
		}
	})
}

func TestRefusals(t *testing.T) {
	engines(t, func(t *testing.T, r *runner) {
		_, _, err := r.run(newHost(), app.EntryOperation, op('r', 1<<30), 1e10)
		if !errors.Is(err, app.ErrCallDepth) {
			t.Errorf("unbounded recursion: %v, want call depth", err)
		}
		_, _, err = r.run(newHost(), app.EntryOperation, op('a', 0), 1e9)
		if !errors.Is(err, app.ErrAborted) || !bytes.Contains([]byte(err.Error()), []byte("asked to abort")) {
			t.Errorf("abort: %v", err)
		}
		_, _, err = r.run(newHost(), app.EntryOperation, op('p', 0), 1e9)
		if !errors.Is(err, app.ErrAborted) || !bytes.Contains([]byte(err.Error()), []byte("guest panicked")) {
			t.Errorf("panic: %v", err)
		}
		_, _, err = r.run(newHost(), app.EntryOperation, op('b', 0), 1e11)
		if err == nil {
			t.Errorf("unbounded memory growth succeeded")
		}
		t.Logf("memory: %v", err)
		// Still works after every failure.
		if out, _, err := r.run(newHost(), app.EntryOperation, op('w', 10), 1e9); err != nil || u64(out) != 285 {
			t.Errorf("after failures: %d, %v", u64(out), err)
		}
	})
}

func TestEnginesAgree(t *testing.T) {
	e := testEngines()
	comp, interp := newRunner(t, e[0].cfg), newRunner(t, e[1].cfg)
	for _, in := range [][]byte{op('w', 1000), op('m', 0), op('i', 7), op('l', 0), op('r', 5000)} {
		a, fa, ea := comp.run(newHost(), app.EntryOperation, in, 20_000_000)
		b, fb, eb := interp.run(newHost(), app.EntryOperation, in, 20_000_000)
		if !bytes.Equal(a, b) || *fa != *fb || (ea == nil) != (eb == nil) {
			t.Errorf("op %c: %s %x %+v %v, %s %x %+v %v", in[0], e[0].name, a, *fa, ea, e[1].name, b, *fb, eb)
		}
	}
}

func TestCheck(t *testing.T) {
	vm := newVM(t, testEngines()[len(testEngines())-1].cfg)
	code := guest(t)
	if err := vm.Check(app.BlobContract, code); err != nil {
		t.Fatalf("valid contract refused: %v", err)
	}
	if err := vm.Check(app.BlobService, code); !errors.Is(err, app.ErrBadModule) {
		t.Errorf("contract checked as a service (it imports write and lacks myriad_query): %v", err)
	}
	if err := vm.Check(app.BlobContract, []byte("\x00asm\x01\x00\x00\x00garbage")); !errors.Is(err, app.ErrBadModule) {
		t.Errorf("garbage: %v", err)
	}
	if err := vm.Check(app.BlobContract, make([]byte, 9<<20)); !errors.Is(err, app.ErrBadModule) {
		t.Errorf("oversized: %v", err)
	}
}

func BenchmarkOperation(b *testing.B) {
	r := newRunner(b, testEngines()[0].cfg)
	h := newHost()
	if _, _, err := r.run(h, app.EntryOperation, op('i', 1), 1e9); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, _, err := r.run(h, app.EntryOperation, op('i', 1), 1e9); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentCalls runs calls of one module from many goroutines: the
// module is compiled once, instances are pooled and reused, and every
// call sees a fresh instance (run it with -race).
func TestConcurrentCalls(t *testing.T) {
	r := newRunner(t, Config{Interpreter: true})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 6 {
		wg.Go(func() {
			h := newHost()
			for i := range 5 {
				out, _, err := r.run(h, app.EntryOperation, op('i', uint64(g+1)), 1e9)
				if err != nil {
					errs <- err
					return
				}
				if want := uint64((g + 1) * (i + 1)); u64(out) != want {
					errs <- fmt.Errorf("goroutine %d call %d: %d, want %d", g, i, u64(out), want)
				}
				if out, _, err := r.run(newHost(), app.EntryOperation, op('g', 0), 1e9); err != nil || u64(out) != 1 {
					errs <- fmt.Errorf("a reused instance kept a global: %d, %v", u64(out), err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
