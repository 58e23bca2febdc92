#!/usr/bin/env bash
# extension.sh assembles the browser extension into a folder (default
# dist/extension) that Chrome loads unpacked: the manifest
# (manifest/manifest.json), the wallet core (build/wallet.sh: wallet.wasm,
# wasm_exec.js, wallet.js), and the extension's pages and scripts
# (extension/, plain ES modules: nothing to bundle). If the bridge's build
# script exists (bridge/build.sh OUT, which writes OUT/inpage.js), its
# in-page provider is added as a content script of the page's own world
# (world MAIN, at document_start), so window.myriad exists before the
# page's scripts run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-dist/extension}
rm -rf "$out"
mkdir -p "$out"
build/wallet.sh "$out"
cp -R extension/. "$out/"
rm -f "$out/README.md"
find "$out" -name '*.test.mjs' -delete # unit tests (make extension-js) stay out
rm -rf "$out/testing"                    # and their fakes
cp manifest/manifest.json "$out/manifest.json"
if [[ -x bridge/build.sh ]]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	bridge/build.sh "$tmp"
	cp "$tmp/inpage.js" "$out/inpage.js"
	node -e '
		const fs = require("fs"), path = process.argv[1];
		const m = JSON.parse(fs.readFileSync(path, "utf8"));
		m.content_scripts.unshift({ matches: ["http://*/*", "https://*/*"], js: ["inpage.js"],
			run_at: "document_start", all_frames: false, world: "MAIN" });
		fs.writeFileSync(path, JSON.stringify(m, null, 2) + "\n");
	' "$out/manifest.json"
	echo "$out: with the bridge's inpage.js"
else
	echo "$out: without an in-page provider (bridge/build.sh is missing)"
fi
echo "$out: load it unpacked at chrome://extensions (developer mode), id $(node -p 'require("crypto").createHash("sha256").update(Buffer.from(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).key, "base64")).digest("hex").slice(0, 32).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 16)))' "$out/manifest.json")"
