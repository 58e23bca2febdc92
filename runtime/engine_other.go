//go:build !js

package runtime

import (
	"github.com/myriadchain/myriad/core/app"
	"github.com/myriadchain/myriad/core/ids"
)

// InterpreterOnly is true where wazero has no compiler (a browser).
const InterpreterOnly = false

// DefaultEngine is the fastest engine where the program runs: wazero
// natively, the browser's own engine under GOOS=js.
const DefaultEngine = EngineWazero

func browserEngineMissing() string { return "the browser engine needs GOOS=js" }

// jsModule is the browser engine's module (GOOS=js only).
type jsModule struct{}

func (*jsModule) drop() {}

func (vm *VM) buildBrowser(*module, app.BlobKind, []byte) error { return ErrNoBrowserEngine }

func (vm *VM) executeBrowser(*jsModule, *call, string, uint64, ids.Hash) ([]byte, error) {
	return nil, ErrNoBrowserEngine
}
