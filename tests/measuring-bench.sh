#!/usr/bin/env bash
# measuring-bench.sh: reruns the measuring chapter's measurements and prints its table.
# Not part of check (timings are not tests). From the repository root:
#
#   tests/measuring-bench.sh                 # PIPES=100 ROUNDS=10000 RUNS=7
#   PIPES=1000 RUNS=11 tests/measuring-bench.sh
#
# It builds the programs with -O2 (as Debian builds libuv and libevent) in build/bench, then
# for each program: the time per hop of RUNS runs (median, fastest, slowest; the programs
# take turns, so a burst of load from elsewhere hits all of them alike), the instructions per
# hop counted by callgrind, and the system calls per hop counted by strace. The last two are
# differences between a run of 2*R and one of R rounds (R = CG_ROUNDS, by default enough for
# 20,000 hops), which cancels what start-up and tear-down cost.
#
# Its arithmetic can be run on its own, without building or measuring anything (the test
# suite checks it this way):
#
#   tests/measuring-bench.sh --per-hop A B HOPS   # (B - A) / HOPS, rounded to one decimal
#   tests/measuring-bench.sh --spread <FILE       # median, fastest and slowest of the numbers
#   tests/measuring-bench.sh --spread-ratio <FILE # the same for ratios, to two decimals
#   tests/measuring-bench.sh --median D <FILE     # the median alone, to D decimals
set -euo pipefail

per_hop_of() {  # rounds (printf), where bc's scale=1 would truncate 112.99 to 112.9
    awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f\n", (b - a) / n }'
}
# spread_as FORMAT: the median (of an even count, the mean of the two middle values), the
# smallest and the largest number, printed with FORMAT.
spread_as() {
    sort -g | awk -v f="$1" '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf f, m, v[1], v[NR] }'
}
spread() { spread_as '%.0f %s %s\n'; }
spread_ratio() { spread_as '%.2f %.2f %.2f\n'; }   # the same for ratios, to two decimals
case ${1:-} in
--per-hop) per_hop_of "$2" "$3" "$4"; exit ;;
--spread) spread; exit ;;
--spread-ratio) spread_ratio; exit ;;
--median) spread_as "%.${2}f\n"; exit ;;
esac

cd "$(dirname "$0")/.."
PIPES=${PIPES:-100} ROUNDS=${ROUNDS:-10000} RUNS=${RUNS:-7}
CG_ROUNDS=${CG_ROUNDS:-$(( (20000 + PIPES - 1) / PIPES ))}     # about 20,000 hops under callgrind
PROGRAMS=${PROGRAMS:-"epoll oneshot libuv libevent relay future"}
B=build/bench
make -f build.mk --no-print-directory ONLY="poll waker future measuring" B=$B \
    CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2" \
    $(for p in $PROGRAMS; do echo "$B/measuring-$p"; done) >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Time per hop: RUNS rounds of runs, the programs in turn.
for ((run = 1; run <= RUNS; run++)); do
    for p in $PROGRAMS; do
        $B/measuring-$p "$PIPES" "$ROUNDS" | sed 's/.*: \([0-9]*\) ns per hop/\1/' >>"$work/$p.ns"
    done
done

# instructions (callgrind) or system calls (strace) of one run of PIPES x r
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B/measuring-$1" "$PIPES" "$2" \
        2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
syscalls() {
    strace -c -o "$work/strace" "$B/measuring-$1" "$PIPES" "$2" >/dev/null
    # "% time seconds usecs/call calls errors syscall"; errors is blank when none failed
    awk '$NF == "total" { print $4 }' "$work/strace"
}
per_hop() {    # per_hop COUNTER PROGRAM: the count's growth per hop from R to 2R rounds
    local a b
    a=$("$1" "$2" "$CG_ROUNDS") b=$("$1" "$2" $((2 * CG_ROUNDS)))
    per_hop_of "$a" "$b" $((PIPES * CG_ROUNDS))
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$PIPES pipes x $ROUNDS rounds, $RUNS runs each; $(nproc) CPUs, load $load"
printf '%-10s %10s %8s %8s %14s %12s\n' program "ns/hop" fastest slowest "instr/hop" "syscalls/hop"
for p in $PROGRAMS; do
    read -r median fastest slowest < <(spread <"$work/$p.ns")
    printf '%-10s %10s %8s %8s %14s %12s\n' "$p" "$median" "$fastest" "$slowest" \
        "$(per_hop instructions "$p")" "$(per_hop syscalls "$p")"
done
