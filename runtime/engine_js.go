//go:build js

package runtime

// InterpreterOnly is true where wazero has no compiler (a browser).
const InterpreterOnly = true

// DefaultEngine is the fastest engine where the program runs: wazero
// natively, the browser's own engine under GOOS=js.
const DefaultEngine = EngineBrowser
