#!/usr/bin/env bash
# run-suites.sh BUILD_DIR TEST...: run each Check runner from the repository root, keep its
# output in BUILD_DIR/test-logs/, and fail if any runner fails. Each runner is bounded in time.
# VALGRIND, if set, is a command line to run each runner under.
set -uo pipefail
b=$1; shift
mkdir -p "$b/test-logs"
failed=()
for t in "$@"; do
    echo "== $b/$t"
    timeout --kill-after=10 900 ${VALGRIND:-} "$b/$t" 2>&1 | tee "$b/test-logs/$t.log"
    status=${PIPESTATUS[0]}
    ((status == 0)) || failed+=("$t (exit $status)")
done
if ((${#failed[@]} > 0)); then
    echo "failed suites in $b: ${failed[*]}" >&2
    exit 1
fi
