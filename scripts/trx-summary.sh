#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under $1 and prints "N passed, N failed, N skipped".
# Exits 1 when anything failed or when no test ran at all.
set -euo pipefail
dir="$1"
shopt -s nullglob
files=("$dir"/*.trx)
passed=0 failed=0 skipped=0
for f in "${files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$f" | head -1)"
  attr() { echo "$counters" | sed -nE "s/.* $1=\"([0-9]+)\".*/\1/p"; }
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + $(attr notExecuted)))
done
if [ ${#files[@]} -eq 0 ]; then
  echo "no test results found in $dir (did the build fail?)"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
