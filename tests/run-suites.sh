#!/usr/bin/env bash
# run-suites.sh BUILD_DIR TEST...: run each Check runner from the repository root, keep its
# output in BUILD_DIR/test-logs/ (or LOG_DIR), print it when the runner ends, and fail if any
# runner fails. Each runner is bounded in time. Optional environment:
#   VALGRIND  a command line to run each runner under
#   JOBS      how many runners at a time (default 1)
#   RESULT    a name: also write "<name>: N passed, M failed" (runners that exited 0 and did
#             not) to LOG_DIR/<name>.log, for the summary
set -uo pipefail
b=$1; shift
logs=${LOG_DIR:-$b/test-logs}
mkdir -p "$logs"
run_one() {   # run_one TEST: runs it, keeps its exit status in LOG.status, prints its log
    local t=$1 status start=$SECONDS
    timeout --kill-after=10 900 ${VALGRIND:-} "$b/$t" >"$logs/$t.log" 2>&1
    status=$?
    echo "$status" >"$logs/$t.status"
    flock "$logs/.print" bash -c 'echo "== $1 ($2 s)"; cat "$3"' _ "$b/$t" $((SECONDS - start)) "$logs/$t.log"
}
for t in "$@"; do
    while (($(jobs -rp | wc -l) >= ${JOBS:-1})); do wait -n; done
    run_one "$t" &
done
wait
failed=()
for t in "$@"; do
    status=$(cat "$logs/$t.status"); rm -f "$logs/$t.status"
    ((status == 0)) || failed+=("$t (exit $status)")
done
rm -f "$logs/.print"
if [[ -n ${RESULT:-} ]]; then
    echo "$RESULT: $(($# - ${#failed[@]})) passed, ${#failed[@]} failed" | tee "$logs/$RESULT.log"
fi
if ((${#failed[@]} > 0)); then
    # Again at the end, where a log that shows only the last lines (CI's) still has them:
    # Check's failed and erred tests (FILE:LINE:F: or :E:) and sanitizer reports, per suite.
    for t in "${failed[@]}"; do
        echo "== ${t%% *}: what failed" >&2
        grep -E ':[0-9]+:[EF]:|^(==[0-9]+==|WARNING: |SUMMARY: )' "$logs/${t%% *}.log" | head -20 >&2
    done
    echo "failed suites in $b: ${failed[*]}" >&2
    exit 1
fi
