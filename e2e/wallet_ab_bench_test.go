package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCounterAB compares two builds of the counter application in one
// page, on one network, under one load: A is built from this tree, B from
// the modules named by MYRIAD_AB_CONTRACT and MYRIAD_AB_SERVICE (such as
// the counter built at another commit); it is skipped without them.
// Queries alternate A, B, A, B… (200 pairs, a task boundary after each
// pair), so both see the same load: on the shared machines the load moves
// absolute times two to ten times, the ratio much less. Reported as
// A/ms-p50 and B/ms-p50. With MYRIAD_PROFILE=DIR it then profiles 300
// queries of each, twice (A, B, A, B), into DIR/ab-{A,B,A2,B2}.cpuprofile.
func BenchmarkCounterAB(b *testing.B) {
	contractB, serviceB := os.Getenv("MYRIAD_AB_CONTRACT"), os.Getenv("MYRIAD_AB_SERVICE")
	if contractB == "" || serviceB == "" {
		b.Skip("set MYRIAD_AB_CONTRACT and MYRIAD_AB_SERVICE to the modules to compare with")
	}
	needBrowser(b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	b.Cleanup(cancel)
	_, br, chain, bob := benchSetup(b, ctx)
	var v createdView
	bob.must(&v, "publish-and-create", contractB, serviceB, "--json-argument", "0")
	ta := map[string]string{"chainId": chain.ID, "applicationId": bob.publishAndCreate("counter", "--json-argument", "0")}
	tb := map[string]string{"chainId": chain.ID, "applicationId": v.Application}
	const query = `(w, a) => w.graphql('query { value }', {}, '', a)`
	for _, t := range []map[string]string{ta, tb} { // the same state, and both loaded
		page(b, ctx, br, `(w, t) => w.graphql('mutation { increment(value: 1) }', {}, '', t)`, t, nil)
		pageLoop(b, ctx, br, 2, query, t)
	}
	var ms struct{ A, B []float64 }
	page(b, ctx, br, `async (w, a) => {
		const out = { A: [], B: [] };
		for (let i = 0; i < a.n; i++) {
			for (const [k, t] of [['A', a.ta], ['B', a.tb]]) {
				const t0 = performance.now();
				const r = await w.graphql('query { value }', {}, '', t);
				out[k].push(performance.now() - t0);
				if (r && r.errors) throw new Error(JSON.stringify(r.errors));
			}
			await new Promise((r) => setTimeout(r, 0));
		}
		return out;
	}`, map[string]any{"n": 200, "ta": ta, "tb": tb}, &ms)
	if dir := os.Getenv("MYRIAD_PROFILE"); dir != "" {
		for i, t := range []map[string]string{ta, tb, ta, tb} {
			name := []string{"A", "B", "A2", "B2"}[i]
			profile(b, ctx, br, filepath.Join(dir, "ab-"+name+".cpuprofile"), func() { pageLoop(b, ctx, br, 300, query, t) })
		}
	}
	b.Run("A", func(b *testing.B) { reportP50(b, ms.A) })
	b.Run("B", func(b *testing.B) { reportP50(b, ms.B) })
}
