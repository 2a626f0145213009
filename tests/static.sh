#!/usr/bin/env bash
# static.sh BUILD_DIR: cppcheck and clang-tidy over every C file in generated-src/ (headers come
# in through the files that include them), two files at a time. Each tool writes one line,
# "<tool>: N passed, M failed" (files without and with a finding), to BUILD_DIR/test-logs/, and
# prints its findings. clang-tidy's configuration is .clang-tidy; cppcheck's is here. A finding
# may only be silenced on its line, with the reason: NOLINT(<check>): <reason>, or
# cppcheck-suppress <id> ; <reason>. A third line counts those, and fails one without a reason.
set -uo pipefail
b=$(realpath -m "$1")
cd "$(dirname "$0")/.."
mkdir -p "$b/test-logs"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# cppcheck: warnings, style, performance and portability. Turned off, and why:
# - redundantContinue: the book writes an empty loop body as `continue;` on purpose, so that it
#   cannot be mistaken for a stray semicolon after a while.
cppcheck_one() {
    cppcheck --quiet --std=c11 -Igenerated-src --enable=warning,style,performance,portability \
        --inline-suppr --suppress=redundantContinue --error-exitcode=1 \
        --template='{file}:{line}: {severity}: {message} [{id}]' "$1" 2>&1
}
clang_tidy_one() {
    clang-tidy --quiet "$1" -- -std=c11 -Wall -Wextra -Wpedantic -Igenerated-src 2>&1 |
        grep -v '^[0-9]* warnings\? generated\.$'
    return "${PIPESTATUS[0]}"
}
export -f cppcheck_one clang_tidy_one

# run_tool NAME FUNCTION: runs FUNCTION on every file, prints the findings and the count line.
run_tool() {
    local name=$1 fn=$2 passed=0 failed=0 f
    mkdir -p "$out/$name"
    find generated-src -name '*.c' | sort | xargs -P2 -I{} bash -c \
        "$fn {} > \"$out/$name/\$(echo {} | tr / _).log\" || echo {} >> \"$out/$name/failed\""
    for f in $(find generated-src -name '*.c' | sort); do
        if grep -qxF "$f" "$out/$name/failed" 2>/dev/null; then
            ((failed++)); cat "$out/$name/$(echo "$f" | tr / _).log"
        else ((passed++)); fi
    done
    echo "$name: $passed passed, $failed failed" | tee "$b/test-logs/$name.log"
    ((failed == 0))
}

# Every in-place suppression names what it silences and says why.
check_suppressions() {
    local passed=0 failed=0 hit
    while IFS= read -r hit; do
        if grep -Eq 'NOLINT(NEXTLINE)?\([A-Za-z0-9.,-]+\): [^ ]|cppcheck-suppress [A-Za-z]+ ; [^ ]' <<<"$hit"
        then ((passed++))
        else ((failed++)); echo "$hit: a suppression must name its check and give a reason"; fi
    done < <(grep -rnE 'NOLINT|cppcheck-suppress' generated-src)
    echo "suppressions: $passed passed, $failed failed" | tee "$b/test-logs/suppressions.log"
    ((failed == 0))
}

status=0
run_tool cppcheck cppcheck_one || status=1
run_tool clang-tidy clang_tidy_one || status=1
check_suppressions || status=1
exit $status
