//go:build js

package runtime

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/tetratelabs/wazero/sys"

	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
	"github.com/myriadchain/myriad/runtime/metering"
)

// The browser engine: the instrumented module of prepare, compiled by the
// JavaScript host's WebAssembly engine (WebAssembly.compile), whose
// imports are the trampoline's exports, which call the same Go host
// functions as wazero's host module (hostFns, through the memory
// interface) and the WASI subset of wasi.go. A module is initialised once
// (_initialize, fuel initFuel, zero clock and seed), its memory image and
// mutable globals become the snapshot, and every call runs on an instance
// restored to it, as with wazero.

var (
	wasmNS     = js.Global().Get("WebAssembly")
	uint8Array = js.Global().Get("Uint8Array")
	objectNew  = js.Global().Get("Object")
	promise    = js.Global().Get("Promise")
)

// browserEngineMissing says why the browser engine cannot run here, or "".
// Host functions reach storage that answers asynchronously (IndexedDB),
// so a guest must be able to wait for a promise in a host call: that is
// JavaScript Promise Integration (WebAssembly.Suspending and promising,
// Chrome 137).
func browserEngineMissing() string {
	if wasmNS.Type() != js.TypeObject || wasmNS.Get("Suspending").Type() != js.TypeFunction ||
		wasmNS.Get("promising").Type() != js.TypeFunction || promise.Get("withResolvers").Type() != js.TypeFunction {
		return "WebAssembly JavaScript Promise Integration is not available"
	}
	return ""
}

// jsModule is a module compiled by the browser and its snapshot.
type jsModule struct {
	module, tramp, access js.Value // WebAssembly.Module
	imports               []funcImport
	handlers              []jsHandler
	globals               []string
	snapGlobals           []js.Value // WebAssembly.Global: the snapshot's values
	image                 js.Value   // Uint8Array: the memory after _initialize
	pages                 int

	mu   sync.Mutex
	idle []*jsInstance
}

// jsHandler is the Go side of one import: a host function or a WASI one.
type jsHandler struct {
	name string
	host *hostFn
	wasi *wasiFn
}

// jsInstance is an instance of a jsModule with its helper instances.
type jsInstance struct {
	exports js.Value
	entries map[string]js.Value
	mem     js.Value // WebAssembly.Memory
	trap    js.Value // WebAssembly.Global the trampoline checks
	funcs   []js.Func

	save, restore, fuelHi, fuelLo, fuelSet, depthGet js.Value

	env     wasiEnv
	call    *call   // the entry point running; nil in _initialize
	hostErr error   // why a host function trapped the guest
	exit    *uint32 // proc_exit's code

	buf  js.Value // the memory's ArrayBuffer the view is of
	view js.Value // Uint8Array over buf
	size uint64
}

// immediate are the host functions that never wait for the host's
// storage (they touch only the call's own buffers and context): they
// answer synchronously, without suspending the guest.
var immediate = map[string]bool{"take": true, "output": true, "abort": true, "log": true,
	"context": true, "parameters": true}

var hostByName = func() map[string]*hostFn {
	m := map[string]*hostFn{}
	for i := range hostFns {
		m[hostFns[i].name] = &hostFns[i]
	}
	return m
}()

// handlerFor returns the Go side of an import the instrumenter allowed.
func handlerFor(imp funcImport) (jsHandler, error) {
	sig := func(b []byte) string {
		s := make([]byte, len(b))
		for i, t := range b {
			switch t {
			case 0x7f:
				s[i] = 'i'
			case 0x7e:
				s[i] = 'I'
			default:
				s[i] = '?'
			}
		}
		return string(s)
	}
	params, results := sig(imp.params), sig(imp.results)
	switch imp.module {
	case "myriad":
		h := hostByName[imp.name]
		if h != nil && params == strRepeat('i', h.params) && results == strRepeat('i', h.results) {
			return jsHandler{name: imp.name, host: h}, nil
		}
	case "wasi_snapshot_preview1":
		w, ok := wasiFns[imp.name]
		if !ok {
			return jsHandler{}, fmt.Errorf("runtime: the browser engine does not provide %s.%s", imp.module, imp.name)
		}
		if params == w.params && results == w.results {
			return jsHandler{name: imp.name, wasi: &w}, nil
		}
	}
	return jsHandler{}, fmt.Errorf("%w: import %s.%s(%s) %s does not match the host", app.ErrBadModule,
		imp.module, imp.name, params, results)
}

func strRepeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// await waits for a JavaScript promise.
func await(p js.Value) (js.Value, error) {
	done := make(chan struct{})
	var v js.Value
	var err error
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		v = a[0]
		close(done)
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		err = errors.New(jsMessage(a[0]))
		close(done)
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	<-done
	return v, err
}

func jsMessage(v js.Value) string {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return v.Get("name").String() + ": " + v.Get("message").String()
	}
	return js.Global().Call("String", v).String()
}

// compileJS compiles wasm with the browser's engine, off the main thread
// where the browser can.
func compileJS(wasm []byte) (js.Value, error) {
	u8 := uint8Array.New(len(wasm))
	js.CopyBytesToJS(u8, wasm)
	return await(wasmNS.Call("compile", u8))
}

func (vm *VM) buildBrowser(m *module, kind app.BlobKind, code []byte) error {
	wasm, globals, err := vm.instrument(kind, code)
	if err != nil {
		return err
	}
	jm := &jsModule{globals: globals}
	if jm.imports, err = funcImports(wasm); err != nil {
		return fmt.Errorf("%w: %w", app.ErrBadModule, err)
	}
	types, err := globalTypes(wasm, globals)
	if err != nil {
		return fmt.Errorf("%w: %w", app.ErrBadModule, err)
	}
	for _, imp := range jm.imports {
		h, err := handlerFor(imp)
		if err != nil {
			return err
		}
		jm.handlers = append(jm.handlers, h)
	}
	if jm.module, err = compileJS(wasm); err != nil {
		return fmt.Errorf("%w: compile: %w", app.ErrBadModule, err)
	}
	exports := map[string]bool{}
	list := wasmNS.Get("Module").Call("exports", jm.module)
	for i := range list.Length() {
		exports[list.Index(i).Get("name").String()] = true
	}
	for _, e := range append(entryExports(kind), memoryExport, metering.FuelGlobal, metering.DepthGlobal) {
		if !exports[e] {
			return fmt.Errorf("%w: a %s must export %s", app.ErrBadModule, kind, e)
		}
	}
	if jm.tramp, err = compileJS(trampoline(jm.imports)); err != nil {
		return fmt.Errorf("runtime: trampoline: %w", err)
	}
	if jm.access, err = compileJS(accessor(types)); err != nil {
		return fmt.Errorf("runtime: accessor: %w", err)
	}
	names := map[byte]string{0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64"}
	for _, t := range types {
		desc := map[string]any{"value": names[t], "mutable": true}
		jm.snapGlobals = append(jm.snapGlobals, wasmNS.Get("Global").New(desc))
	}
	m.js = jm
	return vm.initialiseBrowser(jm)
}

// initialiseBrowser runs _initialize once and keeps the memory and
// globals it leaves as the snapshot; the instance, in that state, is
// kept for the first call.
func (vm *VM) initialiseBrowser(jm *jsModule) error {
	in, err := jm.instantiate()
	if err != nil {
		return fmt.Errorf("%w: instantiate: %w", app.ErrBadModule, err)
	}
	in.setFuel(initFuel)
	if err := in.invoke("_initialize"); err != nil {
		in.close()
		return fmt.Errorf("%w: _initialize: %w", app.ErrBadModule, err)
	}
	jm.image = uint8Array.New(in.mem.Get("buffer")).Call("slice")
	jm.pages = jm.image.Length() / 65536
	in.save.Invoke()
	// wazero closes the instance _initialize ran on; this one is kept, so
	// it must not keep what its WASI state learnt (closed descriptors).
	in.env.closed = [3]bool{}
	in.env.stderr = &boundedBuffer{}
	jm.idle = append(jm.idle, in)
	return nil
}

// instantiate makes a new instance (not restored: see restoreTo).
func (jm *jsModule) instantiate() (*jsInstance, error) {
	in := &jsInstance{env: wasiEnv{clock: &clock{}, rand: &seededReader{}}, entries: map[string]js.Value{}}
	in.trap = wasmNS.Get("Global").New(map[string]any{"value": "i32", "mutable": true}, 0)
	h := objectNew.New()
	for i, imp := range jm.imports {
		f := js.FuncOf(in.hostFunc(jm.handlers[i], imp))
		in.funcs = append(in.funcs, f)
		if hd := jm.handlers[i]; hd.host != nil && !immediate[hd.name] {
			// Host functions may wait for storage: the guest's stack is
			// suspended until the promise f returns settles.
			h.Set(strconv.Itoa(i), wasmNS.Get("Suspending").New(f))
		} else {
			h.Set(strconv.Itoa(i), f)
		}
	}
	h.Set("trap", in.trap)
	tramp, err := newInstance(jm.tramp, map[string]any{"h": h})
	if err != nil {
		in.close()
		return nil, fmt.Errorf("trampoline: %w", err)
	}
	imports := objectNew.New()
	for i, imp := range jm.imports {
		ns := imports.Get(imp.module)
		if ns.IsUndefined() {
			ns = objectNew.New()
			imports.Set(imp.module, ns)
		}
		ns.Set(imp.name, tramp.Get("exports").Get(strconv.Itoa(i)))
	}
	guest, err := await(wasmNS.Call("instantiate", jm.module, imports))
	if err != nil {
		in.close()
		return nil, err
	}
	in.exports = guest.Get("exports")
	in.mem = in.exports.Get(memoryExport)
	g, s := objectNew.New(), objectNew.New()
	for i, name := range jm.globals {
		g.Set(strconv.Itoa(i), in.exports.Get(name))
		s.Set(strconv.Itoa(i), jm.snapGlobals[i])
	}
	f := map[string]any{"fuel": in.exports.Get(metering.FuelGlobal), "depth": in.exports.Get(metering.DepthGlobal)}
	acc, err := newInstance(jm.access, map[string]any{"g": g, "s": s, "f": f})
	if err != nil {
		in.close()
		return nil, fmt.Errorf("accessor: %w", err)
	}
	ex := acc.Get("exports")
	in.save, in.restore, in.depthGet = ex.Get("save"), ex.Get("restore"), ex.Get("depth")
	in.fuelHi, in.fuelLo, in.fuelSet = ex.Get("fuel_hi"), ex.Get("fuel_lo"), ex.Get("set_fuel")
	return in, nil
}

// newInstance instantiates a small helper module synchronously.
func newInstance(mod js.Value, imports map[string]any) (inst js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("runtime: instantiate: %v", r)
		}
	}()
	return wasmNS.Get("Instance").New(mod, imports), nil
}

// close releases the instance's Go functions.
func (in *jsInstance) close() {
	for _, f := range in.funcs {
		f.Release()
	}
	in.funcs = nil
}

// hostFunc returns the JavaScript function an import of the trampoline
// calls: it decodes the arguments, runs the Go handler and, if the
// handler trapped, sets the trap global the trampoline checks. A WASI
// handler answers at once; a host function answers with a promise,
// settled by a goroutine, which may wait (for IndexedDB) while the guest
// is suspended.
func (in *jsInstance) hostFunc(h jsHandler, imp funcImport) func(js.Value, []js.Value) any {
	n := max(len(imp.params), len(imp.results))
	return func(_ js.Value, args []js.Value) any {
		p := make([]uint64, n)
		for i, t := range imp.params {
			if t == 0x7f && i < len(args) {
				p[i] = uint64(uint32(int32(args[i].Int())))
			}
			// No WASI function this engine answers reads an i64 argument.
		}
		if h.host == nil || immediate[h.name] {
			r := in.dispatch(h, p)
			if len(imp.results) == 0 {
				return nil
			}
			return int32(uint32(r))
		}
		pr := promise.Call("withResolvers")
		go func() {
			r := in.dispatch(h, p)
			if len(imp.results) == 0 {
				pr.Get("resolve").Invoke()
			} else {
				pr.Get("resolve").Invoke(int32(uint32(r)))
			}
		}()
		return pr.Get("promise")
	}
}

func (in *jsInstance) dispatch(h jsHandler, p []uint64) (r uint64) {
	defer func() {
		if e := recover(); e != nil {
			switch e := e.(type) {
			case hostError:
				in.hostErr = e.err
			case exitTrap:
				in.exit = &e.code
			default:
				in.hostErr = fmt.Errorf("runtime: host function %s: %v", h.name, e)
			}
			in.trap.Set("value", 1)
			r = 0
		}
	}()
	if h.wasi != nil {
		return h.wasi.fn(&in.env, in, p)
	}
	c := in.call
	if c == nil {
		panic(hostError{fmt.Errorf("%w: host function %s called outside an entry point", app.ErrBadRequest, h.name)})
	}
	c.syncIn(in, inBytes(h.name, p))
	h.host.fn(c, in, p)
	if h.host.results > 0 {
		return p[0]
	}
	return 0
}

// invoke calls an export; a trap comes back as an error: the host's, a
// *sys.ExitError after proc_exit, or the engine's.
func (in *jsInstance) invoke(name string, args ...any) (err error) {
	in.hostErr, in.exit = nil, nil
	in.trap.Set("value", 0)
	fn, ok := in.entries[name]
	if !ok {
		fn = wasmNS.Call("promising", in.exports.Get(name))
		in.entries[name] = fn
	}
	trapped := func(msg string) error {
		switch {
		case in.exit != nil:
			return sys.NewExitError(*in.exit)
		case in.hostErr != nil:
			return in.hostErr
		}
		return fmt.Errorf("wasm error: %s", msg)
	}
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		jerr, ok := r.(js.Error)
		if !ok {
			panic(r)
		}
		err = trapped(jsMessage(jerr.Value))
	}()
	if _, err := await(fn.Invoke(args...)); err != nil {
		return trapped(err.Error())
	}
	return nil
}

// memory implementation over the instance's exported memory.

func (in *jsInstance) current() js.Value {
	buf := in.mem.Get("buffer")
	if !buf.Equal(in.buf) {
		in.buf, in.view = buf, uint8Array.New(buf)
		in.size = uint64(in.view.Length())
	}
	return in.view
}

func (in *jsInstance) read(ptr, n uint32) ([]byte, bool) {
	v := in.current()
	if uint64(ptr)+uint64(n) > in.size {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v.Call("subarray", ptr, ptr+n))
	return b, true
}

func (in *jsInstance) write(ptr uint32, b []byte) bool {
	v := in.current()
	if uint64(ptr)+uint64(len(b)) > in.size {
		return false
	}
	if len(b) > 0 {
		js.CopyBytesToJS(v.Call("subarray", ptr, ptr+uint32(len(b))), b)
	}
	return true
}

func (in *jsInstance) fuel() int64 {
	hi, lo := uint32(int32(in.fuelHi.Invoke().Int())), uint32(int32(in.fuelLo.Invoke().Int()))
	return int64(uint64(hi)<<32 | uint64(lo))
}

func (in *jsInstance) setFuel(v int64) {
	in.fuelSet.Invoke(int32(uint64(v)>>32), int32(uint32(v)))
}

func (in *jsInstance) depth() uint32 { return uint32(int32(in.depthGet.Invoke().Int())) }

// restoreTo puts the instance back in the snapshot's state: an instance
// whose memory grew is refused, as with wazero.
func (jm *jsModule) restoreTo(in *jsInstance) error {
	pages := in.mem.Get("buffer").Get("byteLength").Int() / 65536
	if pages > jm.pages {
		return fmt.Errorf("runtime: instance grew to %d pages", pages)
	}
	if pages < jm.pages {
		in.mem.Call("grow", jm.pages-pages)
	}
	in.current().Call("set", jm.image)
	in.restore.Invoke()
	return nil
}

func (jm *jsModule) drop() {
	jm.mu.Lock()
	idle := jm.idle
	jm.idle = nil
	jm.mu.Unlock()
	for _, in := range idle {
		in.close()
	}
}

// acquireJS returns an instance in the snapshot's state with its clock and
// randomness set for this call.
func (jm *jsModule) acquire(timestamp uint64, seed [32]byte) (*jsInstance, error) {
	jm.mu.Lock()
	var in *jsInstance
	if n := len(jm.idle); n > 0 {
		in = jm.idle[n-1]
		jm.idle = jm.idle[:n-1]
	}
	jm.mu.Unlock()
	if in == nil {
		var err error
		if in, err = jm.instantiate(); err != nil {
			return nil, fmt.Errorf("runtime: instantiate: %w", err)
		}
		if err := jm.restoreTo(in); err != nil {
			in.close()
			return nil, err
		}
		in.env.stderr = &boundedBuffer{}
	}
	in.env.clock.base, in.env.clock.n = int64(min(timestamp, math.MaxInt64/1000))*1000, 0
	*in.env.rand = seededReader{seed: seed}
	in.env.stderr.Reset()
	return in, nil
}

// release keeps an instance that ended normally, restored; anything else
// is dropped.
func (jm *jsModule) release(in *jsInstance, ok bool) {
	if ok && jm.restoreTo(in) == nil {
		jm.mu.Lock()
		if len(jm.idle) < maxIdle {
			jm.idle = append(jm.idle, in)
			in = nil
		}
		jm.mu.Unlock()
	}
	if in != nil {
		in.close()
	}
}

func (vm *VM) executeBrowser(jm *jsModule, c *call, entry string, timestamp uint64, seed ids.Hash) ([]byte, error) {
	in, err := jm.acquire(timestamp, seed)
	if err != nil {
		return nil, err
	}
	in.call = c
	c.setFuel(in)
	c.pending = c.input
	err = in.invoke(entry, len(c.input))
	in.call = nil
	out, err := vm.finish(c, err, in.fuel(), in.depth, in.env.stderr.String())
	jm.release(in, err == nil)
	return out, err
}
