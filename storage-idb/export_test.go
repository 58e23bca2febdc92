//go:build js && wasm

package idbstore

import (
	"context"
	"slices"
	"testing"

	"github.com/hack-pad/go-indexeddb/idb"
)

// LockName is the Web Lock guarding a database.
var LockName = lockName

// ExtendSchema makes New use the current schema plus upgrades and
// migrations until t ends, as a later version of this code would.
func ExtendSchema(t *testing.T, upgrades []func(*idb.Database) error, migrations []func(context.Context, *idb.Transaction) error) {
	old := current
	next := schema{upgrades: slices.Clip(old.upgrades), migrations: slices.Clip(old.migrations)}
	for _, u := range upgrades {
		next.upgrades = append(next.upgrades, u)
	}
	for _, m := range migrations {
		next.migrations = append(next.migrations, m)
	}
	current = next
	t.Cleanup(func() { current = old })
}

// SetRelaxed makes write transactions use durability "relaxed" until t
// ends, to compare with "strict".
func SetRelaxed(t testing.TB) {
	old := durability
	durability = idb.DurabilityRelaxed
	t.Cleanup(func() { durability = old })
}
