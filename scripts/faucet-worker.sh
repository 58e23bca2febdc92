#!/usr/bin/env bash
# faucet-worker.sh builds the faucet's Cloudflare Worker and runs it locally,
# offline, on 127.0.0.1, against a local network (`myriad net up`).
#
#   scripts/faucet-worker.sh build [OUT]              build the bundle into OUT (dist/faucet-worker)
#   scripts/faucet-worker.sh tools [wrangler]         install workerd (or wrangler) into .cache/worker-tools
#   scripts/faucet-worker.sh run NETDIR [PORT]        serve it with the bare workerd binary
#   scripts/faucet-worker.sh dev NETDIR [PORT]        serve it with `wrangler dev` (wrangler@4.86.0)
#
# NETDIR is a `myriad net up --path NETDIR` folder: the Worker reads its
# genesis.json and, from chains.json, the key of root chain FAUCET_CHAIN
# (default 2, a spare chain: chain 1 belongs to net up's own native faucet,
# and two faucets on one chain would propose conflicting blocks). PORT
# defaults to 8788. Settings come from the environment: AMOUNT (100),
# RATE_EVERY (1s), RATE_BURST (100), PER_OWNER (1), MAX_BATCH (100),
# VALIDATORS; the Durable Object's storage is NETDIR/faucet-worker-storage.
#
# Nothing is installed globally: workerd and wrangler go into
# .cache/worker-tools (npm's own cache makes a second install quick).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.cache/worker-tools"
WORKERD_VERSION=1.20260426.1 # the workerd that wrangler 4.86.0 pins
WRANGLER_VERSION=4.86.0

build() {
	local out=${1:-$root/dist/faucet-worker}
	mkdir -p "$out"
	(cd "$root" && GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$out/faucet.wasm" ./cmd/faucet-worker)
	local syumai
	syumai=$(cd "$root" && go list -m -f '{{.Dir}}' github.com/syumai/workers)
	rm -f "$out/wasm_exec.js"
	cp "$syumai/cmd/workers-assets-gen/assets/wasm_exec_go.js" "$out/wasm_exec.js"
	cp "$root"/faucet/worker/js/{worker.mjs,storage.mjs,wrangler.toml,workerd.capnp.tmpl} "$out/"
	chmod u+w "$out"/*
	local raw gz
	raw=$(wc -c <"$out/faucet.wasm")
	gz=$(gzip -9 -c "$out/faucet.wasm" | wc -c)
	echo "faucet-worker: built $out (faucet.wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzip; the paid plan allows 10 MiB compressed)"
}

# tools installs workerd (or wrangler) unless the right version is there.
tools() {
	local pkg=workerd version=$WORKERD_VERSION
	if [[ ${1:-} == wrangler ]]; then pkg=wrangler version=$WRANGLER_VERSION; fi
	if ! command -v npm >/dev/null; then
		echo "faucet-worker: npm not found: install Node.js and npm to run the Worker locally" >&2
		return 1
	fi
	local have
	have=$(node -p "require('$tools/node_modules/$pkg/package.json').version" 2>/dev/null || true)
	if [[ $have != "$version" ]]; then
		echo "faucet-worker: installing $pkg@$version into $tools"
		mkdir -p "$tools"
		npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "$pkg@$version" </dev/null
	fi
	"$tools/node_modules/.bin/$pkg" --version
}

# settings exports the Worker's configuration for network folder $1.
settings() {
	local net=$1
	[[ -f $net/genesis.json && -f $net/chains.json ]] || {
		echo "faucet-worker: $net is not a myriad net up folder (no genesis.json, chains.json)" >&2
		exit 1
	}
	export FAUCET_CHAIN=${FAUCET_CHAIN:-2}
	GENESIS="$(node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))))' "$net/genesis.json")"
	FAUCET_SEED=$(node -p "require('$net/chains.json').seeds[$FAUCET_CHAIN]")
	export GENESIS FAUCET_SEED
	export AMOUNT=${AMOUNT:-100} RATE_EVERY=${RATE_EVERY:-1s} RATE_BURST=${RATE_BURST:-100}
	export PER_OWNER=${PER_OWNER:-1} MAX_BATCH=${MAX_BATCH:-100} VALIDATORS=${VALIDATORS:-}
}

run() {
	local net port=${2:-8788} out=$root/dist/faucet-worker
	net=$(cd "$1" && pwd)
	build "$out"
	tools
	settings "$net"
	mkdir -p "$net/faucet-worker-storage"
	sed -e "s|@STORAGE@|$net/faucet-worker-storage|" -e "s|@LISTEN@|127.0.0.1:$port|" \
		"$out/workerd.capnp.tmpl" >"$out/faucet-worker.capnp"
	echo "faucet-worker: serving on http://127.0.0.1:$port (faucet chain: root chain $FAUCET_CHAIN)"
	exec "$tools/node_modules/.bin/workerd" serve "$out/faucet-worker.capnp" --experimental
}

dev() {
	local net port=${2:-8788} out=$root/dist/faucet-worker
	net=$(cd "$1" && pwd)
	build "$out"
	tools wrangler
	settings "$net"
	# .dev.vars carries what `wrangler secret put` would on Cloudflare.
	{
		echo "FAUCET_SEED=$FAUCET_SEED"
		echo "GENESIS='$GENESIS'"
	} >"$out/.dev.vars"
	echo "faucet-worker: wrangler dev on http://127.0.0.1:$port (faucet chain: root chain $FAUCET_CHAIN)"
	cd "$out"
	export WRANGLER_SEND_METRICS=false CLOUDFLARE_API_TOKEN=offline
	exec "$tools/node_modules/.bin/wrangler" dev --ip 127.0.0.1 --port "$port" --persist-to "$net/faucet-worker-wrangler" \
		--var "AMOUNT:$AMOUNT" --var "FAUCET_CHAIN:$FAUCET_CHAIN" --var "RATE_EVERY:$RATE_EVERY" \
		--var "RATE_BURST:$RATE_BURST" --var "PER_OWNER:$PER_OWNER" --var "MAX_BATCH:$MAX_BATCH" \
		${VALIDATORS:+--var "VALIDATORS:$VALIDATORS"}
}

case ${1:-} in
build) build "${2:-}" ;;
tools) tools "${2:-}" ;;
run) run "${2:?NETDIR}" "${3:-}" ;;
dev) dev "${2:?NETDIR}" "${3:-}" ;;
*)
	sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
