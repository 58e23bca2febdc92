package gqlapi_test

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/myriadchain/myriad/wallet/gqlapi"
)

var rewrite = flag.Bool("rewrite", false, "rewrite docs/schema.graphql from schema.graphql")

// TestSchemaDoc checks that docs/schema.graphql is the schema the API
// answers; -rewrite regenerates it.
func TestSchemaDoc(t *testing.T) {
	const path = "../../docs/schema.graphql"
	want := "# Generated from wallet/gqlapi/schema.graphql by `go test ./wallet/gqlapi -run TestSchemaDoc -rewrite`. Do not edit.\n\n" +
		gqlapi.Schema()
	if *rewrite {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s is out of date (%v): run go test ./wallet/gqlapi -run TestSchemaDoc -rewrite", path, err)
	}
}

// TestSchemaDescriptions checks that every type, field and argument of the
// schema is described, as introspection (and GraphiQL) shows it.
func TestSchemaDescriptions(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.api.Exec(context.Background(), gqlapi.Request{Query: `{ __schema { types {
		name kind description fields { name description args { name } } } } }`})
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	var v any
	if err := unmarshal(resp.Data, &v); err != nil {
		t.Fatal(err)
	}
	types, _ := at(v, "__schema", "types").([]any)
	checked := 0
	for _, ty := range types {
		name := str(ty, "name")
		if str(ty, "kind") != "OBJECT" || strings.HasPrefix(name, "__") {
			continue
		}
		checked++
		if str(ty, "description") == "" && name != "Query" && name != "Mutation" && name != "Subscription" {
			t.Errorf("type %s has no description", name)
		}
		fields, _ := at(ty, "fields").([]any)
		for _, fl := range fields {
			if str(fl, "description") == "" {
				t.Errorf("field %s.%s has no description", name, str(fl, "name"))
			}
		}
	}
	if checked != 9 {
		t.Errorf("checked %d object types, want the schema's 9", checked)
	}
}
