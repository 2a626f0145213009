#!/usr/bin/env bash
# summary.sh BUILD_DIR: add up the results under BUILD_DIR into one closing line: every Check
# runner's (normal, sanitizer and valgrind builds) and every "<name>: N passed, M failed" line
# (compile-fail, toolchain, ONLY, the static checks, the valgrind runs).
set -euo pipefail
b=$1
awk '
    /Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
        line = $0; sub(/.*Checks: /, "", line); split(line, n, /[^0-9]+/)
        checks += n[1]; bad += n[2] + n[3]; runs++
    }
    /^[a-z-]+: [0-9]+ passed, [0-9]+ failed$/ { checks += $2 + $4; bad += $4 }
    END {
        printf "summary: %d Check runs (normal, ASan+UBSan, TSan, valgrind); compile-fail, toolchain, " \
               "ONLY, static-check and valgrind results\n", runs
        printf "check: %d passed, %d failed\n", checks - bad, bad
        exit (bad > 0)
    }' $(find "$b" -path '*test-logs/*.log' | sort)
