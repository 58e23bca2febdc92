package metering

import (
	"context"
	"testing"
)

func BenchmarkInstrument(b *testing.B) {
	raw := goGuest(b)
	o := guestOptions()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Instrument(raw, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMeteredVsUnmetered calls the Go guest's work export under the
// compiler engine, without and with metering.
func BenchmarkMeteredVsUnmetered(b *testing.B) {
	raw := goGuest(b)
	w, err := Instrument(raw, guestOptions())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		wasm    []byte
		metered bool
	}{{"unmetered", raw, false}, {"metered", w, true}} {
		b.Run(c.name, func(b *testing.B) {
			in, err := instantiate(ctx, engines[0].config(), c.wasm, true)
			if err != nil {
				b.Fatal(err)
			}
			defer in.close(ctx)
			call := func(name string, args ...uint64) {
				if !c.metered {
					_, err = in.mod.ExportedFunction(name).Call(ctx, args...)
				} else if out, cerr := in.call(ctx, 1<<40, name, args...); cerr != nil || out.trapped {
					b.Fatalf("%s: %+v %v", name, out, cerr)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			call("_initialize")
			for b.Loop() {
				call("work", guestArg)
			}
		})
	}
}
