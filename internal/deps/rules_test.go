package deps

// The import rules, as data. ARCHITECTURE.md and STYLE.md say why; a change
// here is a change to the design and its commit message says so.

// rule bans an import path and everything below it (path + "/...").
type rule struct {
	path string
	why  string
}

// coreBanned lists the standard-library packages the protocol core must not
// import directly. The core is pure: it runs unchanged in validators, the CLI
// and the browser, and the same block must give the same state everywhere.
// Standard-library packages may use these internally (crypto/ed25519 uses
// crypto/rand); only the core's own imports are checked.
var coreBanned = []rule{
	{"os", "files, the environment and processes belong to the caller"},
	{"syscall", "no system calls (nor syscall/js): the core runs on every platform"},
	{"net", "no sockets: the caller sends what the core returns"},
	{"io/fs", "no filesystems: storage comes in through core/kv"},
	{"io/ioutil", "no files: storage comes in through core/kv"},
	{"path/filepath", "no file paths: storage comes in through core/kv"},
	{"log", "the core returns what happened as data; the caller logs it"},
	{"time", "time comes in as data (the block timestamp), never from a clock"},
	{"math/rand", "randomness only from an injected seeded source"},
	{"crypto/rand", "randomness only from an injected source (an io.Reader)"},
	{"hash/maphash", "seeded randomly per process: not deterministic"},
	{"runtime/debug", "process-wide settings belong to the binary"},
	{"runtime/pprof", "profiling belongs to the binary"},
	{"runtime/trace", "tracing belongs to the binary"},
	{"unsafe", "the core stays memory-safe on every platform"},
	{"plugin", "no dynamic loading"},
	{"C", "no cgo: the core builds for js/wasm"},
}

// coreAllowedModules lists packages outside the standard library and outside
// core/ that the core may import (prefixes). Empty on purpose: a dependency of
// the core is a dependency of every validator and every wallet.
var coreAllowedModules = []rule{}

// wasmBanned lists packages that must never be linked into the browser build
// (GOOS=js GOARCH=wasm): they are heavy, or they make no sense in a browser.
var wasmBanned = []rule{
	{"github.com/cockroachdb/pebble", "the browser stores in IndexedDB (storage-idb); pebble is native storage"},
	{"os/exec", "there are no processes in a browser"},
	{"net/http/pprof", "a debugging server has no place in the wallet"},
	{"github.com/myriadchain/myriad/validator", "the wallet is a client; the validator is a server"},
	{"github.com/myriadchain/myriad/storage/pebble", "pebble's wrapper: native storage"},
	{"github.com/myriadchain/myriad/storage/cql", "the validators' distributed storage"},
}

// wasmRoots are the patterns whose js/wasm builds are checked against
// wasmBanned. Patterns whose folder does not exist yet are skipped.
var wasmRoots = []string{"./core/...", "./wallet/...", "./storage-idb/...", "./node-client/...", "./cmd/wallet-wasm"}

// importerRule allows only the listed packages (importers) to import path.
type importerRule struct {
	path      string
	importers []string
	why       string
}

// walletWasm is the browser wallet: the binary whose size users download.
const walletWasm = "./cmd/wallet-wasm"

// walletWasmImporters limits which packages of the browser wallet's js/wasm
// build may import a package that costs little to import and a lot to use.
// graphql-go calls reflect's Method(i), so the linker keeps every exported
// method of every type that reaches an interface: one *http.Client in the
// wallet linked net/http's whole client (docs/benchmarks.md, "wallet.wasm
// size"). An importer listed here that no longer imports the package fails
// the test too, so the list only shrinks.
var walletWasmImporters = []importerRule{
	{
		path: "net/http",
		importers: []string{
			// for Dial's signature (it returns an *http.Response); in a
			// browser, the browser's WebSocket does the work
			"github.com/coder/websocket",
			// HTTPNode and PostFrame, for the faucet Worker: the wallet
			// must not call them
			"github.com/myriadchain/myriad/node-client",
		},
		why: "an http.Client links net/http's HTTP/1.1 and HTTP/2 client with crypto/tls and crypto/x509, " +
			"about 0.7 MB of wallet.wasm's brotli download: in the browser, post with fetch (wallet/faucet_fetch.go)",
	},
}

// layers gives each top-level folder of the module a tier. A package may
// import packages in its own folder and in folders of a lower tier, never
// sideways or up ("cmd → wallet/validator/faucet → node-client/runtime/storage
// backends → core → nothing heavy"). A folder missing here fails the test:
// add it with the tier the design gives it.
var layers = map[string]int{
	"core": 0,

	"storage":     1,
	"storage-idb": 1,
	"runtime":     1,
	"node-client": 1,
	"sdk":         1,

	"validator": 2,
	"wallet":    2,
	"faucet":    2,
	"apps":      2,

	"internal": 3, // test networks and helpers; imported by tests and cmd

	"cmd":     4,
	"e2e":     4,
	"build":   4,
	"scripts": 4,
	// The browser extension's folders hold JavaScript and JSON (no Go
	// package yet); like build/ they are leaves that nothing imports.
	"extension": 4,
	"manifest":  4,
	"bridge":    4, // page-side JavaScript; its Go package only holds the provider's browser tests
	".":         4, // a package at the module root
}
