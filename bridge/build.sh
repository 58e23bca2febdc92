#!/usr/bin/env bash
# build.sh OUT bundles the in-page provider (src/inpage.js and the
# @wallet-standard packages) into OUT/inpage.js, one classic script for the
# page's main world, with esbuild from bridge/node_modules (npm ci first
# when they are missing or older than the lockfile).
set -euo pipefail
if (($# != 1)); then
	echo "usage: bridge/build.sh OUT" >&2
	exit 2
fi
out=$1
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -x node_modules/.bin/esbuild || package-lock.json -nt node_modules/.package-lock.json ]]; then
	npm ci --no-audit --no-fund --loglevel=error >&2
fi
mkdir -p "$out"
node_modules/.bin/esbuild src/inpage.js --bundle --format=iife --target=chrome120 \
	--legal-comments=inline --log-level=warning --outfile="$(cd "$out" && pwd)/inpage.js"
