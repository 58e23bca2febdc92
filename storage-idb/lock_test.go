//go:build js && wasm

package idbstore_test

import (
	"context"
	"slices"
	"syscall/js"
	"testing"

	idbstore "github.com/myriadchain/myriad/storage-idb"
)

// awaitPromise waits for a JS promise and returns its value.
func awaitPromise(t *testing.T, p js.Value) js.Value {
	t.Helper()
	ch := make(chan js.Value, 1)
	errs := make(chan js.Value, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- args[0]; return nil })
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any { errs <- args[0]; return nil })
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	select {
	case v := <-ch:
		return v
	case e := <-errs:
		t.Fatalf("promise rejected: %v", e)
	}
	return js.Undefined()
}

// lockNames returns the names of the Web Locks held and waited for in this
// origin, by any context.
func lockNames(t *testing.T) (held, pending []string) {
	t.Helper()
	state := awaitPromise(t, js.Global().Get("navigator").Get("locks").Call("query"))
	names := func(list js.Value) []string {
		var out []string
		for i := range list.Length() {
			out = append(out, list.Index(i).Get("name").String())
		}
		return out
	}
	return names(state.Get("held")), names(state.Get("pending"))
}

// waitPending returns once someone waits for lock name. Each query yields
// to the event loop, so the waiter gets to make its request.
func waitPending(t *testing.T, name string) {
	t.Helper()
	for {
		if _, pending := lockNames(t); slices.Contains(pending, name) {
			return
		}
		if t.Context().Err() != nil {
			t.Fatalf("nobody waits for lock %s", name)
		}
	}
}

// lockWorker is a dedicated Worker, another JS context of this origin,
// that takes a Web Lock when asked, as a second tab would.
type lockWorker struct {
	w    js.Value
	msgs chan string
}

const lockWorkerJS = `let release = null;
onmessage = async (e) => {
	if (e.data === 'release') {
		release();
		return;
	}
	const held = await navigator.locks.request(e.data, {ifAvailable: true}, async (lock) => {
		if (!lock) return false;
		postMessage('held');
		await new Promise((resolve) => { release = resolve; });
		return true;
	});
	postMessage(held ? 'released' : 'busy');
};`

func startLockWorker(t *testing.T) *lockWorker {
	t.Helper()
	blob := js.Global().Get("Blob").New([]any{lockWorkerJS}, map[string]any{"type": "text/javascript"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	lw := &lockWorker{w: js.Global().Get("Worker").New(url), msgs: make(chan string, 4)}
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		lw.msgs <- args[0].Get("data").String()
		return nil
	})
	lw.w.Set("onmessage", onMessage)
	t.Cleanup(func() {
		lw.w.Call("terminate")
		onMessage.Release()
		js.Global().Get("URL").Call("revokeObjectURL", url)
	})
	return lw
}

// try asks the worker to take lock name: "held" if it got it, "busy" if not.
func (lw *lockWorker) try(name string) string {
	lw.w.Call("postMessage", name)
	return <-lw.msgs
}

// release makes the worker let go of the lock it holds.
func (lw *lockWorker) release() string {
	lw.w.Call("postMessage", "release")
	return <-lw.msgs
}

// TestLocked checks that one database has one store at a time, in this
// page and across contexts.
func TestLocked(t *testing.T) {
	name := freshName(t)
	lock := idbstore.LockName(name)
	s := open(t, name)
	put(t, s, "k", "v")

	_, err := idbstore.New(t.Context(), idbstore.Config{Name: name})
	wantIs(t, "second New", err, idbstore.ErrLocked)
	wantIs(t, "Reset while open", idbstore.Reset(t.Context(), name), idbstore.ErrLocked)
	worker := startLockWorker(t)
	if got := worker.try(lock); got != "busy" {
		t.Errorf("another context taking the lock of an open store: %s, want busy", got)
	}
	wantGet(t, s, "k", "v") // the refused opens left the store alone

	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if held, _ := lockNames(t); slices.Contains(held, lock) {
		t.Errorf("lock %s still held after Close", lock)
	}
	if got := worker.try(lock); got != "held" {
		t.Fatalf("another context taking the lock after Close: %s, want held", got)
	}
	_, err = idbstore.New(t.Context(), idbstore.Config{Name: name})
	wantIs(t, "New while another context holds the lock", err, idbstore.ErrLocked)
	if got := worker.release(); got != "released" {
		t.Fatalf("worker release: %s", got)
	}
	s = openClosing(t, name)
	wantGet(t, s, "k", "v")
}

func TestWaitForLock(t *testing.T) {
	name := freshName(t)
	s := open(t, name)
	put(t, s, "k", "v")
	type result struct {
		s   *idbstore.Store
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := idbstore.New(t.Context(), idbstore.Config{Name: name, WaitForLock: true})
		done <- result{s, err}
	}()
	waitPending(t, idbstore.LockName(name))
	put(t, s, "k", "last")
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("New(WaitForLock) = %v", r.err)
	}
	defer r.s.Close()
	wantGet(t, r.s, "k", "last")
}

func TestWaitForLockCanceled(t *testing.T) {
	name := freshName(t)
	lock := idbstore.LockName(name)
	s := open(t, name)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := idbstore.New(ctx, idbstore.Config{Name: name, WaitForLock: true})
		done <- err
	}()
	waitPending(t, lock)
	cancel()
	wantIs(t, "New(WaitForLock) canceled", <-done, context.Canceled)
	if _, pending := lockNames(t); slices.Contains(pending, lock) {
		t.Errorf("lock %s still requested after the wait was canceled", lock)
	}
	put(t, s, "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	s = openClosing(t, name)
	wantGet(t, s, "k", "v")
}
