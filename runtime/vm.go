package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/runtime/metering"
)

// Costs of host calls, in fuel.
const (
	HostCallCost = 200 // every call into the host
	HostByteCost = 1   // every byte crossing the boundary
	// ServiceFuel is the budget of one service query.
	ServiceFuel = 20_000_000_000
	// initFuel bounds _initialize when a module is first loaded.
	initFuel = 5_000_000_000
)

// ErrNoBrowserEngine is returned by New for EngineBrowser where the
// browser's engine cannot run modules (outside GOOS=js, or without
// WebAssembly JavaScript Promise Integration).
var ErrNoBrowserEngine = errors.New("runtime: no browser engine")

// Engine names the engine that executes modules.
type Engine uint8

const (
	// EngineWazero runs modules on wazero: its compiler, or its
	// interpreter with Config.Interpreter. It is the reference engine.
	EngineWazero Engine = iota
	// EngineBrowser runs modules on the JavaScript host's own WebAssembly
	// engine (GOOS=js only): the same instrumented module, host functions,
	// WASI answers, limits and snapshot lifecycle as wazero, checked against
	// it by differential tests in a browser. Check still validates
	// with wazero's interpreter.
	EngineBrowser
)

func (e Engine) String() string {
	switch e {
	case EngineWazero:
		return "wazero"
	case EngineBrowser:
		return "browser"
	}
	return fmt.Sprintf("engine(%d)", uint8(e))
}

// Config chooses the engine and the limits.
type Config struct {
	// Engine executes modules (the zero value is wazero; DefaultEngine is
	// the fastest where the program runs).
	Engine Engine
	// Interpreter selects wazero's interpreter (the only wazero engine in
	// a browser); otherwise its compiler. Check uses it too.
	Interpreter bool
	// CacheDir keeps compiled code on disk between runs (compiler only).
	CacheDir string
	// Limits are the module limits and costs; zero means DefaultLimits.
	Limits *metering.Options
	// MaxModules bounds the compiled modules kept in memory (default 64).
	MaxModules int
	// Log receives the applications' log calls (nil: dropped).
	Log func(app ids.ApplicationID, level uint8, msg string)

	// ownWASI makes wazero answer WASI with wasi.go, the browser engine's
	// answers, instead of its own module: the native test that they agree.
	ownWASI bool
}

// DefaultLimits returns the limits modules are checked against.
func DefaultLimits() metering.Options {
	o := metering.DefaultOptions()
	o.MaxModuleSize = 8 << 20
	o.MaxCallDepth = 1000
	o.InitialFuel = initFuel
	return o
}

// VM implements app.VM on wazero. It is safe for concurrent use.
type VM struct {
	cfg    Config
	limits metering.Options
	rt     wazero.Runtime
	cache  wazero.CompilationCache

	mu      sync.Mutex
	modules map[ids.BlobID]*module
	order   []ids.BlobID

	wasiEnvs sync.Map // api.Module → *wasiEnv, with Config.ownWASI

	checkOnce sync.Once
	checkRT   wazero.Runtime // validates published modules (see Check)
}

var _ app.VM = (*VM)(nil)

// New returns a VM. Close releases it.
func New(cfg Config) (*VM, error) {
	ctx := context.Background()
	var rc wazero.RuntimeConfig
	if cfg.Interpreter {
		rc = wazero.NewRuntimeConfigInterpreter()
	} else {
		rc = wazero.NewRuntimeConfigCompiler()
	}
	limits := DefaultLimits()
	if cfg.Limits != nil {
		limits = *cfg.Limits
	}
	if cfg.MaxModules <= 0 {
		cfg.MaxModules = 64
	}
	switch cfg.Engine {
	case EngineWazero:
	case EngineBrowser:
		if why := browserEngineMissing(); why != "" {
			return nil, fmt.Errorf("%w: %s", ErrNoBrowserEngine, why)
		}
		// Nothing to start: modules are compiled by the browser, and
		// Check starts wazero's interpreter on first use.
		return &VM{cfg: cfg, limits: limits, modules: map[ids.BlobID]*module{}}, nil
	default:
		return nil, fmt.Errorf("runtime: unknown %s", cfg.Engine)
	}
	rc = rc.WithMemoryLimitPages(limits.MaxMemoryPages).WithCoreFeatures(api.CoreFeaturesV2)
	var cache wazero.CompilationCache
	if cfg.CacheDir != "" && !cfg.Interpreter {
		c, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("runtime: compilation cache %s: %w", cfg.CacheDir, err)
		}
		cache = c
		rc = rc.WithCompilationCache(c)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	vm := &VM{cfg: cfg, limits: limits, rt: rt, cache: cache, modules: map[ids.BlobID]*module{}}
	instantiateWASI := func(ctx context.Context, rt wazero.Runtime) error {
		_, err := wasi_snapshot_preview1.Instantiate(ctx, rt)
		return err
	}
	if cfg.ownWASI {
		instantiateWASI = vm.instantiateOwnWASI
	}
	if err := instantiateWASI(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("runtime: wasi: %w", err)
	}
	if err := vm.instantiateHost(ctx); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return vm, nil
}

// Close releases the runtime and its compiled modules.
func (vm *VM) Close() error {
	ctx := context.Background()
	var err error
	if vm.rt != nil {
		err = vm.rt.Close(ctx)
	}
	if vm.checkRT != nil && vm.checkRT != vm.rt {
		err = errors.Join(err, vm.checkRT.Close(ctx))
	}
	if vm.cache != nil {
		err = errors.Join(err, vm.cache.Close(ctx))
	}
	return err
}

// Check implements app.VM: the module must pass the limits, import only
// the host API of its kind, and compile.
//
// Validators check every published module but execute only the contracts
// their chains use (and never services), so Check validates with
// wazero's interpreter, whose compilation is a decode and validation
// pass: a 6 MB module costs tens of milliseconds instead of seconds of
// native compilation. Both engines share wazero's decoder and validator.
func (vm *VM) Check(kind app.BlobKind, code []byte) error {
	cm, _, err := vm.prepare(kind, code, vm.checker())
	if err == nil {
		cm.Close(context.Background())
	}
	return err
}

// checker returns the runtime Check compiles with.
func (vm *VM) checker() wazero.Runtime {
	vm.checkOnce.Do(func() {
		if vm.cfg.Interpreter && vm.rt != nil {
			vm.checkRT = vm.rt
			return
		}
		rc := wazero.NewRuntimeConfigInterpreter().WithMemoryLimitPages(vm.limits.MaxMemoryPages).
			WithCoreFeatures(api.CoreFeaturesV2)
		vm.checkRT = wazero.NewRuntimeWithConfig(context.Background(), rc)
	})
	return vm.checkRT
}

// module is a compiled module and its post-initialisation snapshot.
type module struct {
	ready    chan struct{}
	err      error
	compiled wazero.CompiledModule
	globals  []string
	snapshot snapshot

	cow *cowImage // the snapshot image for copy-on-write instances (Linux)
	js  *jsModule // the module in the browser engine (EngineBrowser)

	mu   sync.Mutex
	idle []*instance // restored instances ready for a call
}

// drop closes a module's idle instances once it leaves the cache.
func (m *module) drop() {
	m.mu.Lock()
	idle := m.idle
	m.idle = nil
	m.mu.Unlock()
	for _, in := range idle {
		in.mod.Close(context.Background())
	}
	if m.js != nil {
		m.js.drop()
	}
	if m.cow != nil {
		m.cow.close()
	}
}

// maxIdle bounds the idle instances kept per module.
const maxIdle = 8

// instance is a module instance whose clock and randomness are reset for
// every call, so it can be reused once restored to the snapshot.
type instance struct {
	mod   api.Module
	mem   *cowMemory // nil: restored by copying
	clock *clock
	rand  *seededReader
	err   *boundedBuffer
}

type chunk struct {
	off  uint32
	data []byte
}

type snapshot struct {
	pages   uint32
	image   []byte // the whole memory after _initialize
	chunks  []chunk
	globals []uint64
}

const chunkSize = 256

func (vm *VM) allowImport(kind app.BlobKind) func(mod, name string) bool {
	return func(mod, name string) bool {
		switch mod {
		case "wasi_snapshot_preview1":
			return wasiFunctions[name]
		case "myriad":
			who, ok := hostFunctions[name]
			return ok && (who == both || kind == app.BlobContract && who == contractOnly ||
				kind == app.BlobService && who == serviceOnly)
		}
		return false
	}
}

// instrument validates and instruments a module, and exports its
// mutable globals (returning their names).
func (vm *VM) instrument(kind app.BlobKind, code []byte) ([]byte, []string, error) {
	if kind != app.BlobContract && kind != app.BlobService {
		return nil, nil, fmt.Errorf("%w: a %s blob is not a module", app.ErrBadModule, kind)
	}
	o := vm.limits
	o.AllowImport = vm.allowImport(kind)
	inst, err := metering.Instrument(code, o)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", app.ErrBadModule, err)
	}
	inst, globals, err := exportGlobals(inst)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", app.ErrBadModule, err)
	}
	return inst, globals, nil
}

// prepare validates, instruments and compiles a module.
func (vm *VM) prepare(kind app.BlobKind, code []byte, rt wazero.Runtime) (wazero.CompiledModule, []string, error) {
	inst, globals, err := vm.instrument(kind, code)
	if err != nil {
		return nil, nil, err
	}
	cm, err := rt.CompileModule(context.Background(), inst)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: compile: %w", app.ErrBadModule, err)
	}
	for _, e := range entryExports(kind) {
		if _, ok := cm.ExportedFunctions()[e]; !ok {
			cm.Close(context.Background())
			return nil, nil, fmt.Errorf("%w: a %s must export %s", app.ErrBadModule, kind, e)
		}
	}
	return cm, globals, nil
}

func entryExports(kind app.BlobKind) []string {
	if kind == app.BlobService {
		return []string{"_initialize", "myriad_query"}
	}
	return []string{"_initialize", "myriad_instantiate", "myriad_execute_operation", "myriad_execute_message"}
}

// load returns the ready module of a blob, compiling and initialising it
// the first time.
func (vm *VM) load(id ids.BlobID, kind app.BlobKind, code func() ([]byte, error)) (*module, error) {
	vm.mu.Lock()
	m, ok := vm.modules[id]
	if !ok {
		m = &module{ready: make(chan struct{})}
		vm.modules[id] = m
		vm.order = append(vm.order, id)
		if len(vm.order) > vm.cfg.MaxModules {
			old := vm.order[0]
			vm.order = vm.order[1:]
			if om := vm.modules[old]; om != nil {
				go func() { <-om.ready; om.drop() }()
			}
			delete(vm.modules, old) // compiled code stays until the runtime closes
		}
	}
	vm.mu.Unlock()
	if ok {
		<-m.ready
		return m, m.err
	}
	defer close(m.ready)
	m.err = vm.build(m, kind, code)
	if m.err != nil && app.MissingBlobs(m.err) != nil {
		vm.mu.Lock()
		delete(vm.modules, id) // may succeed once the blob arrives
		vm.mu.Unlock()
	}
	return m, m.err
}

func (vm *VM) build(m *module, kind app.BlobKind, code func() ([]byte, error)) error {
	b, err := code()
	if err != nil {
		return err
	}
	if vm.cfg.Engine == EngineBrowser {
		return vm.buildBrowser(m, kind, b)
	}
	cm, globals, err := vm.prepare(kind, b, vm.rt)
	if err != nil {
		return err
	}
	m.compiled, m.globals = cm, globals
	return vm.initialise(m)
}

// initialise runs _initialize once and records what it changed.
func (vm *VM) initialise(m *module) error {
	ctx := context.Background()
	first := &instance{clock: &clock{}, rand: &seededReader{}}
	inst, err := vm.rt.InstantiateModule(ctx, m.compiled, vm.moduleConfig(first))
	if err != nil {
		return fmt.Errorf("%w: instantiate: %w", app.ErrBadModule, err)
	}
	defer inst.Close(ctx)
	vm.bindWASI(inst, first)
	mem := inst.Memory()
	if mem == nil {
		return fmt.Errorf("%w: no memory", app.ErrBadModule)
	}
	before, _ := mem.Read(0, mem.Size())
	before = bytes.Clone(before)
	setGlobal(inst, metering.FuelGlobal, initFuel)
	if _, err := inst.ExportedFunction("_initialize").Call(ctx); err != nil {
		return fmt.Errorf("%w: _initialize: %w", app.ErrBadModule, err)
	}
	after, _ := mem.Read(0, mem.Size())
	snap := snapshot{pages: mem.Size() / 65536, image: bytes.Clone(after)}
	for off := 0; off < len(after); off += chunkSize {
		end := min(off+chunkSize, len(after))
		var was []byte
		if off < len(before) {
			was = before[off:min(end, len(before))]
		}
		now := after[off:end]
		if !bytes.Equal(was, now) && !(len(was) == 0 && allZero(now)) {
			snap.chunks = append(snap.chunks, chunk{uint32(off), bytes.Clone(now)})
		}
	}
	for _, g := range m.globals {
		snap.globals = append(snap.globals, inst.ExportedGlobal(g).Get())
	}
	m.snapshot = snap
	if haveCow && !vm.cfg.Interpreter {
		cow, err := newCowImage(snap.image)
		if err != nil {
			return err
		}
		m.cow = cow
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func setGlobal(m api.Module, name string, v uint64) {
	if g, ok := m.ExportedGlobal(name).(api.MutableGlobal); ok {
		g.Set(v)
	}
}

// moduleConfig returns an instance's configuration: no start function
// (the snapshot replaces _initialize's work), clocks from the block,
// randomness from the seed, no files, arguments or environment.
func (vm *VM) moduleConfig(in *instance) wazero.ModuleConfig {
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions().
		WithRandSource(in.rand).
		WithWalltime(in.clock.walltime, sys.ClockResolution(1000)).
		WithNanotime(in.clock.nanotime, sys.ClockResolution(1000)).
		WithNanosleep(func(int64) {})
	if in.err != nil {
		cfg = cfg.WithStderr(in.err)
	}
	return cfg
}

// clock gives deterministic time: the block's timestamp, advancing one
// microsecond per reading so loops waiting on time end.
type clock struct {
	base int64 // nanoseconds
	n    int64
}

func (c *clock) walltime() (int64, int32) {
	t := c.nanotime()
	return t / 1e9, int32(t % 1e9)
}

func (c *clock) nanotime() int64 {
	c.n++
	return c.base + c.n*1000
}

// boundedBuffer keeps the first bytes a guest writes to stderr, for
// error messages.
type boundedBuffer struct{ bytes.Buffer }

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := 2048 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// acquire returns an instance of m in its snapshot state, with its clock
// and randomness set for this call: an idle one, or a new one.
func (vm *VM) acquire(ctx context.Context, m *module, timestamp uint64, seed [32]byte) (*instance, error) {
	m.mu.Lock()
	var in *instance
	if n := len(m.idle); n > 0 {
		in = m.idle[n-1]
		m.idle = m.idle[:n-1]
	}
	m.mu.Unlock()
	if in == nil {
		in = &instance{clock: &clock{}, rand: &seededReader{}, err: &boundedBuffer{}}
		ictx := ctx
		var alloc *cowAllocator
		if m.cow != nil {
			alloc = &cowAllocator{image: m.cow}
			ictx = experimental.WithMemoryAllocator(ctx, alloc)
		}
		mod, err := vm.rt.InstantiateModule(ictx, m.compiled, vm.moduleConfig(in))
		if err != nil {
			return nil, fmt.Errorf("runtime: instantiate: %w", err)
		}
		in.mod = mod
		vm.bindWASI(mod, in)
		if alloc != nil {
			if alloc.err != nil || alloc.last == nil {
				mod.Close(ctx)
				return nil, fmt.Errorf("runtime: instance memory: %v", alloc.err)
			}
			in.mem = alloc.last
		}
		if err := m.restore(in); err != nil {
			mod.Close(ctx)
			return nil, err
		}
	}
	in.clock.base, in.clock.n = int64(min(timestamp, math.MaxInt64/1000))*1000, 0
	*in.rand = seededReader{seed: seed}
	in.err.Reset()
	return in, nil
}

// release returns an instance to the pool after a call that ended
// normally, restored to the snapshot; anything else is closed.
func (vm *VM) release(ctx context.Context, m *module, in *instance, ok bool) {
	if ok && m.restore(in) == nil {
		m.mu.Lock()
		if len(m.idle) < maxIdle {
			m.idle = append(m.idle, in)
			in = nil
		}
		m.mu.Unlock()
	}
	if in != nil {
		in.mod.Close(ctx)
	}
}

// restore puts an instance back in the snapshot's state: the memory after
// _initialize (an instance whose memory grew cannot shrink, so it is
// refused) and the globals.
func (m *module) restore(in *instance) error {
	mem := in.mod.Memory()
	cur := mem.Size() / 65536
	if cur > m.snapshot.pages {
		return fmt.Errorf("runtime: instance grew to %d pages", cur)
	}
	if cur < m.snapshot.pages {
		if _, ok := mem.Grow(m.snapshot.pages - cur); !ok {
			return fmt.Errorf("runtime: restore: cannot grow memory to %d pages", m.snapshot.pages)
		}
	}
	if in.mem != nil {
		if err := in.mem.reset(); err != nil {
			return err
		}
	} else {
		mem.Write(0, m.snapshot.image)
	}
	for i, g := range m.globals {
		setGlobal(in.mod, g, m.snapshot.globals[i])
	}
	return nil
}

// seededReader is a deterministic byte stream: SHA-256 in counter mode
// over the seed.
type seededReader struct {
	seed [32]byte
	ctr  uint64
	buf  []byte
}

func newSeededReader(seed [32]byte) *seededReader { return &seededReader{seed: seed} }

func (r *seededReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			var c [8]byte
			binary.BigEndian.PutUint64(c[:], r.ctr)
			r.ctr++
			h := ids.Sum("wasi-random", append(r.seed[:], c[:]...))
			r.buf = h[:]
		}
		k := copy(p[n:], r.buf)
		r.buf = r.buf[k:]
		n += k
	}
	return n, nil
}
