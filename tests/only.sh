#!/usr/bin/env bash
# only.sh BUILD_DIR: `make -f build.mk ONLY=<module>` must build, link and test a module that
# uses earlier chapters: future (which links with waker, poll, ...) and reactor_executor (with
# poll). Each runs in a scratch build directory, so nothing already built can hide a missing
# archive. Writes the result line to BUILD_DIR/test-logs/only.log.
set -uo pipefail
b=$(realpath -m "$1")
mkdir -p "$b/test-logs"
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
for m in future reactor_executor; do
    if env -u MAKEFLAGS -u MFLAGS make -f build.mk --no-print-directory B="$scratch/$m" ONLY="$m" code run-tests \
            >"$scratch/$m.log" 2>&1; then
        echo "only: ok: ONLY=$m builds, links and passes its suite"; ((passed++))
    else
        echo "only: FAILED: ONLY=$m (last lines of its build):"; tail -5 "$scratch/$m.log"
        ((failed++))
    fi
done
echo "only: $passed passed, $failed failed" | tee "$b/test-logs/only.log"
((failed == 0))
