#!/usr/bin/env bash
# wallet.sh assembles the browser wallet core into a folder (default
# dist/wallet): wallet.wasm (cmd/wallet-wasm built with GOOS=js
# GOARCH=wasm, stripped), wasm_exec.js from this Go installation (it must
# match the Go that built the wasm) and wallet.js, the loader. It prints
# the sizes raw, gzip and brotli (what a browser downloads), and fails if
# the brotli size is over WALLET_MAX_BROTLI bytes (default 3000000, the
# budget of issue #5; 0: no check). docs/benchmarks.md ("wallet.wasm
# size") says what takes the space and how to measure it. WALLET_LDFLAGS
# replaces the linker flags (default '-s -w'; '' keeps the function names a
# CPU profile shows, with WALLET_MAX_BROTLI=0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-dist/wallet}
max=${WALLET_MAX_BROTLI:-3000000}
ldflags=${WALLET_LDFLAGS--s -w}
mkdir -p "$out"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="$ldflags" -o "$out/wallet.wasm" ./cmd/wallet-wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
cp wallet/jsapi/wallet.js "$out/wallet.js"
if command -v node >/dev/null; then
	node -e '
		const fs = require("fs"), zlib = require("zlib");
		const b = fs.readFileSync(process.argv[1]);
		const mb = (n) => (n / 1e6).toFixed(2) + " MB";
		const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
		console.log(`${process.argv[1]}: ${mb(b.length)} raw, ${mb(zlib.gzipSync(b, { level: 9 }).length)} gzip, ${mb(br.length)} brotli`);
		const max = Number(process.argv[2]);
		if (max > 0 && br.length > max) {
			console.error(`wallet.wasm: ${br.length} bytes brotli, over the budget of ${max} (WALLET_MAX_BROTLI): ` +
				`see "wallet.wasm size" in docs/benchmarks.md for what takes the space`);
			process.exit(1);
		}
	' "$out/wallet.wasm" "$max"
fi
