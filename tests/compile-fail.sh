#!/usr/bin/env bash
# compile-fail.sh BUILD_DIR COMPILER... -- FILE...: every FILE must fail to compile, with
# every compiler, and the compiler's message must match the extended regex on FILE's first
# line: /* expect-error: REGEX */. This is how the book proves that some code is rejected.
set -uo pipefail
b=$1; shift
compilers=()
while (($# > 0)) && [[ $1 != -- ]]; do compilers+=("$1"); shift; done
shift
mkdir -p "$b/test-logs"
passed=0 failed=0
for f in "$@"; do
    regex=$(sed -n '1s|^/\* expect-error: \(.*\) \*/$|\1|p' "$f")
    for cc in "${compilers[@]}"; do
        if [[ -z $regex ]]; then
            echo "compile-fail: $f: first line must be /* expect-error: REGEX */"; ((failed++)); continue
        fi
        if out=$("$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -Igenerated-src -fsyntax-only "$f" 2>&1); then
            echo "compile-fail: $f compiled with $cc, but it must not"; ((failed++))
        elif ! grep -Eq -- "$regex" <<<"$out"; then
            echo "compile-fail: $f failed with $cc, but not with /$regex/:"; sed 's/^/    /' <<<"$out"; ((failed++))
        else
            echo "compile-fail: $f rejected by $cc as expected"; ((passed++))
        fi
    done
done
echo "compile-fail: $passed passed, $failed failed" | tee "$b/test-logs/compile-fail.log"
((failed == 0))
