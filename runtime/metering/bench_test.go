package metering

import (
	"context"
	"testing"
	"time"
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

// BenchmarkMeteredVsUnmetered calls the Go guest's exports under the
// compiler engine, without and with metering: work (maps, strings,
// allocation) and hash (a tight arithmetic loop, the worst case). Since
// the machine is shared, each op times a metered and an unmetered call
// back to back and the metric min-ratio is the ratio of the fastest of
// each (the least disturbed); metered-ns and unmetered-ns are those times.
func BenchmarkMeteredVsUnmetered(b *testing.B) {
	raw := goGuest(b)
	w, err := Instrument(raw, guestOptions())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	plain := newGuestCaller(b, ctx, raw, false)
	defer plain.close(ctx)
	metered := newGuestCaller(b, ctx, w, true)
	defer metered.close(ctx)
	for _, c := range []struct {
		export string
		arg    uint64
	}{{"work", 2000}, {"hash", 100}} {
		b.Run(c.export, func(b *testing.B) {
			best := [2]time.Duration{time.Hour, time.Hour}
			for b.Loop() {
				for i, g := range []*guestCaller{plain, metered} {
					start := time.Now()
					g.call(b, c.export, c.arg)
					best[i] = min(best[i], time.Since(start))
				}
			}
			b.ReportMetric(float64(best[0].Nanoseconds()), "unmetered-ns")
			b.ReportMetric(float64(best[1].Nanoseconds()), "metered-ns")
			b.ReportMetric(float64(best[1])/float64(best[0]), "min-ratio")
		})
	}
}

// guestCaller calls the exports of an initialized Go guest instance.
type guestCaller struct {
	*instance
	ctx     context.Context
	metered bool
}

func newGuestCaller(b *testing.B, ctx context.Context, w []byte, metered bool) *guestCaller {
	in, err := instantiate(ctx, engines[0].config(), w, true)
	if err != nil {
		b.Fatal(err)
	}
	g := &guestCaller{in, ctx, metered}
	g.call(b, "_initialize")
	return g
}

func (g *guestCaller) call(b *testing.B, name string, args ...uint64) {
	if !g.metered {
		if _, err := g.mod.ExportedFunction(name).Call(g.ctx, args...); err != nil {
			b.Fatal(err)
		}
		return
	}
	if out, err := g.instance.call(g.ctx, 1<<40, name, args...); err != nil || out.trapped {
		b.Fatalf("%s: %+v %v", name, out, err)
	}
}
