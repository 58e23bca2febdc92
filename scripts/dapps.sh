#!/usr/bin/env bash
# dapps.sh [PORT] serves the sample dApps (e2e/dapps) at
# http://127.0.0.1:PORT/ (default 8090) until Ctrl-C. Open a page with the
# Myriad extension loaded: counter.html?app=APPLICATION_ID[&chain=CHAIN_ID].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec go run ./internal/dappserver -dir e2e/dapps -port "${1:-8090}"
