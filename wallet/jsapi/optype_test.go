package jsapi

import "testing"

func TestIsMutation(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{`{ chains { id } }`, false},
		{`query Q { chain(chainId: "mutation") { balance } }`, false},
		{`query { mutation: chains { id } }`, false},
		{"# mutation {\n{ chains { id } }", false},
		{`mutation { transfer(chainId: "a", recipient: "b", amount: "1") }`, true},
		{`query A { chains { id } } mutation B { sync(chainId: "a") }`, true},
		{"  \n mutation{x}", true},
		{`query { a(s: """ a " mutation """) }`, false},
		{`{ a(s: "unterminated`, true},
		{`{ chains { id }`, true},
		{`}{ x }`, true},
		{`subscription { notifications { chainId } }`, false},
	} {
		if got := isMutation(c.doc); got != c.want {
			t.Errorf("isMutation(%q) = %v, want %v", c.doc, got, c.want)
		}
	}
}

func FuzzIsMutation(f *testing.F) {
	f.Add(`query { a(s: """ x """) } mutation { b }`)
	f.Fuzz(func(t *testing.T, doc string) {
		isMutation(doc) // must not panic or loop
	})
}
