#!/usr/bin/env bash
# uring-bench.sh: the io_uring chapter's counts. The measuring chapter's ring of pipes on the
# future runtime over epoll (measuring-future), and the same ring on io_uring in readiness mode
# (uring-ring-poll: the unchanged ReadNChars, IORING_OP_POLL_ADD) and in completion mode
# (uring-ring-read: IORING_OP_READ). For each: user instructions per hop (callgrind) and system
# calls per hop (strace -c), in total and by call. Both are differences between a run of 2*R
# and one of R rounds divided by the extra hops, the measuring chapter's method, which cancels
# start-up and tear-down. Exact counts only: no timings (they belong in `make bench`).
#
#   tests/uring-bench.sh                 # PIPES=100, about 20,000 hops per run
set -euo pipefail
cd "$(dirname "$0")/.."
PIPES=${PIPES:-100}
R=${R:-$(( (20000 + PIPES - 1) / PIPES ))}
PROGRAMS=${PROGRAMS:-"measuring-future uring-ring-poll uring-ring-read"}
B=build/bench
make -f build.mk --no-print-directory ONLY="preface poll waker future measuring uring" B=$B \
    CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2" \
    $(for p in $PROGRAMS; do echo "$B/$p"; done) >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
per_hop() { tests/measuring-bench.sh --per-hop "$1" "$2" $((PIPES * R)); }

# instructions PROGRAM ROUNDS; syscalls PROGRAM ROUNDS writes $work/PROGRAM.ROUNDS (by call)
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B/$1" "$PIPES" "$2" \
        2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
syscalls() {
    strace -c -o "$work/strace" "$B/$1" "$PIPES" "$2" >/dev/null
    # "% time seconds usecs/call calls [errors] syscall": calls is the 4th field
    awk 'NR > 2 && $1 !~ /^-/ { print $NF, $4 }' "$work/strace" | sort >"$work/$1.$2"
}

echo "$PIPES pipes, $R and $((2 * R)) rounds; counts per hop"
printf '%-17s %10s %9s   %s\n' program "instr/hop" "calls/hop" "calls/hop by system call"
for p in $PROGRAMS; do
    syscalls "$p" "$R"
    syscalls "$p" $((2 * R))
    by_call=$(join -a 2 -e 0 -o 0,1.2,2.2 "$work/$p.$R" "$work/$p.$((2 * R))" |
        while read -r name a b; do
            [[ $name == total ]] && continue
            n=$(per_hop "$a" "$b")
            [[ $n == 0.0 ]] || printf '%s %s, ' "$name" "$n"
        done)
    total=$(join "$work/$p.$R" "$work/$p.$((2 * R))" | awk '$1 == "total" { print $2, $3 }')
    printf '%-17s %10s %9s   %s\n' "$p" \
        "$(per_hop "$(instructions "$p" "$R")" "$(instructions "$p" $((2 * R)))")" \
        "$(per_hop $total)" "${by_call%, }"
done
