//go:build js

package runtime

// InterpreterOnly is true where wazero has no compiler (a browser).
const InterpreterOnly = true
