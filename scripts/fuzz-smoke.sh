#!/usr/bin/env bash
# fuzz-smoke.sh runs every fuzz target in the module, one at a time, for
# FUZZTIME each (default 3s). An optional argument is a regular expression
# (grep -E) that target names must match:
#
#	scripts/fuzz-smoke.sh                   # every target, 3s each
#	FUZZTIME=60s scripts/fuzz-smoke.sh Decode
#
# A failing input is saved by go test under the package's testdata/fuzz/,
# where it becomes a regression test: commit it with the fix.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fuzztime=${FUZZTIME:-3s}
filter=${1:-.}

# "dir name" for every `func FuzzXxx(f *testing.F)` in a _test.go file,
# skipping folders go ignores (testdata, dot and underscore folders) and
# node_modules.
targets=$(
	find . \( -name testdata -o -name node_modules -o -name '.?*' -o -name '_*' \) -prune -o \
		-name '*_test.go' -type f -print |
		sort |
		while read -r file; do
			sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*\*testing\.F\).*/\1/p' "$file" |
				while read -r name; do echo "$(dirname "$file") $name"; done
		done |
		awk -v re="$filter" '$2 ~ re'
)

if [[ -z $targets ]]; then
	if [[ $filter == . ]]; then
		echo "fuzz-smoke: no fuzz targets"
	else
		echo "fuzz-smoke: no fuzz targets matching $filter"
	fi
	exit 0
fi

count=$(wc -l <<<"$targets")
echo "fuzz-smoke: $count targets, $fuzztime each"
failed=()
# fuzz runs one target, printing its output. Go's fuzzer sometimes ends a
# short run with a bare "context deadline exceeded" when the time runs out
# while a worker is busy (no failing input is written): that is not a
# finding, so such a run is tried once more. A real failure writes its input
# under testdata/fuzz and is never retried.
fuzz() {
	local out
	out=$(go test -run='^$' -fuzz="^${2}\$" -fuzztime="$fuzztime" -fuzzminimizetime=1s "$1" 2>&1) && { echo "$out"; return 0; }
	echo "$out"
	if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
		echo "fuzz-smoke: $1 $2 stopped on the fuzzer's own deadline, not on an input; running it again"
		go test -run='^$' -fuzz="^${2}\$" -fuzztime="$fuzztime" -fuzzminimizetime=1s "$1"
		return
	fi
	return 1
}

while read -r dir name; do
	echo "fuzz-smoke: $dir $name"
	if ! fuzz "$dir" "$name" </dev/null; then
		failed+=("$dir $name")
	fi
done <<<"$targets"

if ((${#failed[@]} > 0)); then
	printf 'fuzz-smoke: FAIL %s\n' "${failed[@]}"
	exit 1
fi
echo "fuzz-smoke: $count targets ok"
