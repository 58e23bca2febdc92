#!/usr/bin/env bash
# setup.sh installs what `make check` needs beyond Go itself and prints the
# versions in use. It is idempotent and quick when everything is present.
#
#   - Go modules: downloaded now, so a network failure shows here, not in
#     the middle of a test run.
#   - Cassandra (org.apache.cassandra:cassandra-all from Maven Central, for
#     the CQL storage tests): fetched into its cache by scripts/cassandra.sh
#     when java and mvn are present; without them those tests skip.
#   - Node >= 18: runs the core's tests under GOOS=js GOARCH=wasm
#     ($(go env GOROOT)/lib/wasm/go_js_wasm_exec). Installed with apt-get
#     when missing and we are root; otherwise we stop and say so.
#   - Chromium (Debian's package) and playwright-core (npm ci in
#     scripts/browser; Node >= 20): run the browser-side packages' tests
#     (make browser, scripts/go_js_wasm_chromium_exec). Chromium is
#     installed with apt-get when /usr/bin/chromium is missing and we are
#     root. Without them `make browser` skips and says so, and fails in CI.
#   - esbuild and @wallet-standard/* (npm ci in bridge): bundle the in-page
#     provider (bridge/build.sh) for the extension and the bridge's tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

go version
go mod download

if ! command -v node >/dev/null; then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		echo "setup: installing Node.js with apt-get"
		apt-get update -q </dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs </dev/null
	else
		echo "setup: node not found: install Node.js 18 or later (the js/wasm tests run in it)" >&2
		exit 1
	fi
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if ((major < 18)); then
	echo "setup: node $(node --version) is too old: the js/wasm tests need Node.js 18 or later" >&2
	exit 1
fi
echo "node $(node --version)"

exec_js="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
if [[ ! -x $exec_js ]]; then
	echo "setup: $exec_js missing: this Go installation cannot run js/wasm tests" >&2
	exit 1
fi

if command -v java >/dev/null && command -v mvn >/dev/null; then
	scripts/cassandra.sh fetch
	echo "cassandra: $(ls "${MYRIAD_CASSANDRA_CACHE:-$HOME/.cache/myriad/cassandra}" | grep '^lib-' | sed 's/^lib-//')"
else
	echo "setup: java or mvn missing: the CQL storage tests will be skipped (install a JDK 17 and Maven to run them)"
fi

# workerd (Cloudflare's Workers runtime, from npm) runs the faucet Worker in
# e2e/worker_test.go. It goes into .cache/worker-tools, never globally; npm's
# cache keeps a second install quick. Without npm (and no way to install it)
# the test skips and says so.
if ! command -v npm >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
	echo "setup: installing npm with apt-get"
	apt-get update -q </dev/null || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm </dev/null || true
fi
if command -v npm >/dev/null; then
	scripts/faucet-worker.sh tools
else
	echo "setup: npm not found: e2e/worker_test.go (the faucet Worker under workerd) will be skipped"
fi

# Chromium and playwright-core for the tests in a browser (make browser).
# playwright-core drives the Chromium installed here; it downloads no browser.
if [[ ! -x /usr/bin/chromium ]] && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
	echo "setup: installing chromium with apt-get"
	apt-get update -q </dev/null || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium </dev/null || true
fi
if [[ -x /usr/bin/chromium ]]; then
	/usr/bin/chromium --version 2>/dev/null | tail -n 1
else
	echo "setup: /usr/bin/chromium missing: make browser will skip the browser tests (and fail in CI)"
fi
if ! command -v npm >/dev/null || ((major < 20)); then
	echo "setup: npm or Node.js 20 missing: make browser will skip the browser tests (and fail in CI)"
elif [[ ! -d scripts/browser/node_modules/playwright-core ||
	scripts/browser/package-lock.json -nt scripts/browser/node_modules/.package-lock.json ]]; then
	echo "setup: npm ci in scripts/browser"
	(cd scripts/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ -d scripts/browser/node_modules/playwright-core ]]; then
	echo "playwright-core $(node -p 'require("./scripts/browser/node_modules/playwright-core/package.json").version')"
fi

# esbuild and @wallet-standard/* (npm ci in bridge): bridge/build.sh bundles
# the in-page provider with them, and bridge's tests load it in Chromium.
if command -v npm >/dev/null && ((major >= 20)); then
	if [[ ! -x bridge/node_modules/.bin/esbuild || bridge/package-lock.json -nt bridge/node_modules/.package-lock.json ]]; then
		echo "setup: npm ci in bridge"
		(cd bridge && npm ci --no-audit --no-fund --loglevel=error)
	fi
	echo "esbuild $(bridge/node_modules/.bin/esbuild --version)"
fi
