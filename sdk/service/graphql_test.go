package service

import (
	"strings"
	"testing"
)

type warmRoot struct{}

func (warmRoot) Hello() string { return "hi" }

// TestWarmQueries: the queries NewGraphQL answers while warming reach the
// end of a query, data and errors alike, without calling a resolver (init
// has no Runtime to give one).
func TestWarmQueries(t *testing.T) {
	g := MustGraphQL(`type Query { hello: String! }`, &warmRoot{})
	want := []string{`{"data":{"__typename":"Query"}}`, `{"errors":[{"message":"Cannot query field \"__warm\" on type \"Query\".",`}
	for i, q := range warmQueries {
		if got := string(g.Query(nil, q)); !strings.HasPrefix(got, want[i]) {
			t.Errorf("Query(%s) = %s, want %s…", q, got, want[i])
		}
	}
}
