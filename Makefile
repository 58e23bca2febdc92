# Myriad's developer commands. CI runs `make test` (through .ci/run).
#
#   make run     build the binaries into dist/bin and the sample apps into
#                dist/apps, and start a local network (4 validators x 2 shards
#                on pebble, and a faucet): myriad net up
#   make test    install what is needed, then every check: what CI runs
#   make check   gofmt, go vet, go mod tidy, the extension's JS unit tests, go test -race, the core's tests
#                under js/wasm in Node, the browser-side packages' tests in
#                headless Chromium, and a short fuzz of every fuzz target
#   make browser the browser-side packages' tests in headless Chromium
#                (BROWSER_PKGS; scripts/go_js_wasm_chromium_exec)
#   make fuzz    fuzz every target for longer (FUZZTIME=60s; FUZZ=regexp picks targets)
#   make bench   go benchmarks (BENCH=regexp, PKGS=packages)
#   make e2e-long  every end-to-end test, the long ones too (MYRIAD_E2E_LONG=1)
#   make bench-browser  the wallet core in headless Chromium on a local network
#                (cold start, queries, first use of an app, transfers; ms-p50)
#   make apps    build the sample apps to dist/apps/NAME/{contract,service}.wasm
#   make cql     the CQL storage and its end-to-end tests, against a three-node
#                Cassandra cluster that scripts/cassandra.sh starts and stops
#   make faucet-worker  build the faucet as a Cloudflare Worker (dist/faucet-worker)
#   make wallet  build the browser wallet core: dist/wallet/{wallet.wasm,wasm_exec.js,wallet.js}
#   make extension  assemble the browser extension into dist/extension (load it
#                unpacked; README.md says how)
#   make dapps   serve the sample dApps (e2e/dapps) at http://127.0.0.1:8090/ (DAPPS_PORT)
#
# Adding a step: write a target and add it to the prerequisites of `check`
# (fast, Go-only checks) or `test` (steps that install or start things, such
# as the browser end-to-end tests), e.g. `test: setup check e2e`, and put what
# it installs in its own setup target that `setup` depends on. Targets run one
# at a time, in the order listed: the machines have two cores and each step
# builds with all of them.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.NOTPARALLEL:
.DEFAULT_GOAL := check

GO ?= go
GOROOT := $(shell $(GO) env GOROOT)
# PKGS are the packages vet, test and bench cover.
PKGS ?= ./...
# CQL_PKGS need a Cassandra cluster: `race` leaves them to `cql`, which
# starts one.
CQL_PKGS ?= ./storage/cql/... ./e2e/cql/...
# WASM_PKGS are tested under GOOS=js GOARCH=wasm in Node: the protocol core, the
# faucet Worker's glue (its kv.Store through js/storage.mjs on a fake storage),
# the wallet core (its faucet client over a stubbed fetch), the wallet's vault
# (sealing through Node's WebCrypto), and later the browser-side packages that
# need no browser API.
WASM_PKGS ?= ./core/... ./faucet/worker/... ./cmd/faucet-worker ./wallet ./wallet/vault
# BROWSER_PKGS are tested under GOOS=js GOARCH=wasm in Debian's headless
# Chromium, for the APIs Node lacks (IndexedDB, Web Locks) and for the
# browser's own WebCrypto and WebAssembly: storage-idb, the vault (also in
# Node, WASM_PKGS), the wallet's browser tests (wallet/browsertest), and the
# runtime (its browser engine against wazero's interpreter, on the guests of
# runtime-guests; runtime/metering runs wazero's compiler, so natively only).
BROWSER_PKGS ?= ./storage-idb/... ./wallet/vault ./wallet/browsertest ./runtime
BROWSER_EXEC := $(CURDIR)/scripts/go_js_wasm_chromium_exec
# RUN_ARGS are the arguments of `myriad` in `make run`.
RUN_ARGS ?= net up --path .myriad-net
BENCH ?= .
FUZZ ?= .

# gotest-summary prints go test's output and then one line of totals.
gotest-summary = awk '{ print } \
	/^ok /               { ok++ } \
	/^\?/                { none++ } \
	/^FAIL[ \t]+[^ \t]/  { failed++ } \
	END { printf "go test $(1): %d packages ok, %d without tests, %d failed\n", ok, none, failed }'

.PHONY: run build test setup check fmt vet tidy extension-js race cql wasm browser runtime-guests fuzz-smoke fuzz bench bench-browser e2e-long apps faucet-worker wallet extension dapps

run: build apps wallet extension
	dist/bin/myriad $(RUN_ARGS)

# build puts the binaries in dist/bin (myriad finds myriad-validator beside it).
build:
	$(GO) build -o dist/bin/ ./cmd/myriad ./cmd/myriad-validator

test: setup check cql

setup:
	scripts/setup.sh

check: fmt vet tidy extension-js race wasm browser fuzz-smoke

# extension-js runs the unit tests of the extension's JavaScript modules
# (extension/**/*.test.mjs) in Node: the ones without a browser API.
extension-js:
	node --test extension/

# fmt lists the files gofmt would change (skipping what go ignores).
fmt:
	@files=$$(find . \( -name testdata -o -name node_modules -o -name '.?*' -o -name '_*' \) -prune \
		-o -name '*.go' -type f -print | xargs -r gofmt -l); \
	if [[ -n $$files ]]; then echo "gofmt: these files need gofmt -w:"; echo "$$files"; exit 1; fi
	@echo "gofmt: ok"

vet:
	$(GO) vet $(PKGS)

tidy:
	$(GO) mod tidy -diff

# GUEST_PKGS run Wasm guests in wazero, whose compiler and interpreter are
# pure Go and ten times slower under the race detector: they are tested
# without -race, and their concurrency tests (-run Concurrent) with it.
GUEST_PKGS ?= ./runtime/... ./internal/apptest

race:
	@pkgs=$$($(GO) list $(PKGS) | grep -v -F -x -f <($(GO) list $(CQL_PKGS) $(GUEST_PKGS) 2>/dev/null)); \
	echo "$(GO) test -race $(PKGS) (less $(CQL_PKGS): make cql; less $(GUEST_PKGS): below)"; \
	$(GO) test -race -timeout 25m $$pkgs 2>&1 | $(call gotest-summary,-race)
	@echo "$(GO) test $(GUEST_PKGS); $(GO) test -race -run Concurrent $(GUEST_PKGS)"
	@$(GO) test $(GUEST_PKGS) 2>&1 | $(call gotest-summary,guests)
	@$(GO) test -race -run Concurrent $(GUEST_PKGS) 2>&1 | $(call gotest-summary,guests -race)

# cql runs the tests that need a real Cassandra cluster; the script stops the
# cluster however the tests end. Without java or mvn they skip and say why.
# One package at a time (-p 1): the end-to-end test stops and starts nodes.
cql:
	@scripts/cassandra.sh run $(GO) test -race -p 1 -timeout 25m $(CQL_PKGS) 2>&1 | $(call gotest-summary,cql)

wasm:
	GOOS=js GOARCH=wasm $(GO) vet $(WASM_PKGS)
	@echo "GOOS=js GOARCH=wasm $(GO) test -exec=$(GOROOT)/lib/wasm/go_js_wasm_exec $(WASM_PKGS)"
	@GOOS=js GOARCH=wasm $(GO) test -exec=$(GOROOT)/lib/wasm/go_js_wasm_exec $(WASM_PKGS) 2>&1 \
		| $(call gotest-summary,js/wasm)

# browser needs Chromium and scripts/browser/node_modules (scripts/setup.sh
# installs both). Without them it skips and says so, except in CI (CI=true),
# where it fails: a green CI must have run the browser tests.
browser: runtime-guests
	GOOS=js GOARCH=wasm $(GO) vet $(BROWSER_PKGS)
	@if [[ ! -x $${MYRIAD_CHROMIUM:-/usr/bin/chromium} || ! -d scripts/browser/node_modules/playwright-core ]]; then \
		msg="browser: Chromium ($${MYRIAD_CHROMIUM:-/usr/bin/chromium}) or scripts/browser/node_modules missing: run scripts/setup.sh"; \
		if [[ $${CI:-} == true ]]; then echo "$$msg" >&2; exit 1; fi; \
		echo "$$msg; skipping the browser tests"; exit 0; \
	fi; \
	echo "GOOS=js GOARCH=wasm $(GO) test -exec=$(BROWSER_EXEC) $(BROWSER_PKGS)"; \
	GOOS=js GOARCH=wasm $(GO) test -exec=$(BROWSER_EXEC) $(BROWSER_PKGS) 2>&1 | $(call gotest-summary,browser)

# runtime-guests builds the runtime's test guests into runtime/testdata/browser,
# which its tests embed under GOOS=js (a browser has no go command to build them).
GUEST_BUILD = GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w'
runtime-guests:
	$(GUEST_BUILD) -o runtime/testdata/browser/guest.wasm ./runtime/testdata/guest
	$(GUEST_BUILD) -o runtime/testdata/browser/counter-contract.wasm ./apps/counter/contract
	$(GUEST_BUILD) -o runtime/testdata/browser/counter-service.wasm ./apps/counter/service

fuzz-smoke:
	FUZZTIME=$(or $(FUZZTIME),3s) scripts/fuzz-smoke.sh '$(FUZZ)'

fuzz:
	FUZZTIME=$(or $(FUZZTIME),60s) scripts/fuzz-smoke.sh '$(FUZZ)'

bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem $(PKGS)

e2e-long:
	MYRIAD_E2E_LONG=1 $(GO) test -timeout 40m -v ./e2e 2>&1 | $(call gotest-summary,e2e)

bench-browser:
	$(GO) test -run='^$$' -bench='WalletInBrowser' -benchtime=$(or $(BENCHTIME),10x) -timeout 30m ./e2e

# wallet builds the browser wallet core, prints its size and fails over the
# 3 MB brotli budget (build/wallet.sh; WALLET_MAX_BROTLI).
wallet:
	build/wallet.sh dist/wallet

# extension assembles the MV3 extension (build/extension.sh): the manifest,
# the wallet core, extension/ and, once bridge/build.sh exists, the bridge's
# in-page provider.
extension:
	build/extension.sh dist/extension

# dapps serves the sample dApps' pages (scripts/dapps.sh) until Ctrl-C; they
# reach the wallet through the extension's window.myriad.
dapps:
	scripts/dapps.sh $(or $(DAPPS_PORT),8090)

# apps builds every sample app (apps/NAME with contract/ and service/) as Wasm
# reactors; apps/appstest.Build runs the same command for tests.
apps:
	@for dir in apps/*/contract; do \
		name=$$(basename $$(dirname $$dir)); mkdir -p dist/apps/$$name; \
		for module in contract service; do \
			echo "build dist/apps/$$name/$$module.wasm"; \
			GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w' \
				-o dist/apps/$$name/$$module.wasm ./apps/$$name/$$module; \
		done; \
	done

# faucet-worker builds the faucet's Cloudflare Worker into dist/faucet-worker
# (faucet.wasm, wasm_exec.js, worker.mjs, wrangler.toml); scripts/faucet-worker.sh
# runs it locally with workerd or wrangler dev.
faucet-worker:
	scripts/faucet-worker.sh build
