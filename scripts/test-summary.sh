#!/usr/bin/env bash
# Runs the XCTest suite and ends with one plain line "N passed, N failed,
# N skipped" taken from XCTest's own totals; the exit status is the suite's.
set -o pipefail
log=$(mktemp)
swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
total=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$log" | tail -1)
if [ -n "$total" ]; then
  n=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$total")
  f=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$total")
  s=$(grep -oE "[0-9]+ tests? skipped" <<<"$total" | grep -oE "^[0-9]+" || echo 0)
  echo "tests: $((n - f - s)) passed, $f failed, $s skipped"
fi
rm -f "$log"
exit $status
