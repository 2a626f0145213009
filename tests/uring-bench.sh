#!/usr/bin/env bash
# uring-bench.sh: the io_uring chapter's table. Two of the measuring chapter's workloads, the
# ring of pipes and the ping-pong (one pair, then a thousand), each run three ways on the same
# futures and executor: on the epoll reactor (measuring-future, measuring-pingpong-runtime), on
# io_uring in readiness mode (uring-ring-poll, uring-pingpong-poll: the same sources with the
# io_uring reactor, IORING_OP_POLL_ADD) and in completion mode (uring-ring-read,
# uring-pingpong-read: IORING_OP_READ). Not part of check (timings are not tests); run by
# make -f build.mk bench. From the repository root:
#
#   tests/uring-bench.sh                        # RUNS=7, the chapter's sizes (about 3 minutes)
#   RUNS=3 SMALL=1 tests/uring-bench.sh         # a short run: small sizes, a few seconds
#
# The measuring chapter's method (tests/measuring-workloads.sh): time as paired ratios (RUNS
# rounds, in each of which the three programs of a workload run once, in turn; each time is
# divided by the epoll program's in the same round; the median ratio and its range, and the
# median time per operation); user instructions (callgrind) and system calls (strace -c, in
# total and by name) per operation, each the difference between a run of 2n operations and
# one of n, divided by n, which cancels start-up and tear-down.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7} B=build/bench
if [[ -n ${SMALL:-} ]]; then
    SETTINGS=("ring|100 1000|100 20" "pingpong|1 10000 1|1 200 1" "pingpong|1000 20 64|1000 2 64")
else    # WORKLOAD|ARGS OF THE TIMED RUNS|ARGS OF THE n COUNT RUN
    SETTINGS=("ring|100 10000|100 200" "pingpong|1 100000 1|1 2000 1"
              "pingpong|1000 200 64|1000 2 64")
fi
programs_of() {
    case $1 in
    ring) echo "measuring-future uring-ring-poll uring-ring-read" ;;
    pingpong) echo "measuring-pingpong-runtime uring-pingpong-poll uring-pingpong-read" ;;
    esac
}
mode_of() {
    case $1 in
    measuring-*) echo epoll ;; *-poll) echo "io_uring readiness" ;; *-read) echo "io_uring completion" ;;
    esac
}
make -f build.mk --no-print-directory ONLY="measuring uring" B=$B \
    CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2" \
    $(for w in ring pingpong; do for p in $(programs_of $w); do echo "$B/$p"; done; done) >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

doubled() {     # the args of the 2n count run: ROUNDS or TRIPS doubled
    local w=$1; set -- $2
    case $w in ring) echo "$1 $(($2 * 2))" ;; pingpong) echo "$1 $(($2 * 2)) $3" ;; esac
}
ops_of() { set -- $1; echo $(($1 * $2)); }     # hops or round trips of a count run
caption() {      # the table's caption, as the chapter prints it
    set -- $1 $2
    case $1 in
    ring) echo "Table: The ring, $2 pipes, per hop." ;;
    pingpong) echo "Table: Ping-pong, $2 pair$( (($2 > 1)) && echo s), per round trip." ;;
    esac
}
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
syscalls() {    # "NAME CALLS" lines and "total CALLS"
    strace -c -o "$work/strace" "$@" >/dev/null
    awk '/^-/ || /% time/ { next } { print $NF, $4 }' "$work/strace"
}

echo "$(date -u +%F), $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "RUNS=$RUNS${SMALL:+ SMALL=1 (a short run)}"
for s in "${SETTINGS[@]}"; do
    IFS='|' read -r w args cargs <<<"$s"
    progs=$(programs_of $w) base=${progs%% *} tag=$w-${args// /_}
    for ((run = 1; run <= RUNS; run++)); do
        for p in $progs; do
            $B/$p $args | sed -n 's/.*: \([0-9]*\) ns per .*/\1/p' >>"$work/$tag-$p.ns"
        done
    done
    n=$(ops_of "$cargs") cargs2=$(doubled $w "$cargs")
    echo
    echo "| reactor | ns per op | ratio (range) | instructions per op | system calls per op" \
         "| by name |"
    echo "|:-------------|----:|-----------:|-----:|-----:|:---------------|"
    for p in $progs; do
        read -r median lo hi < <(paste "$work/$tag-$p.ns" "$work/$tag-$base.ns" |
            awk '{ print $1 / $2 }' | tests/measuring-bench.sh --spread-ratio)
        ns=$(tests/measuring-bench.sh --spread <"$work/$tag-$p.ns" | cut -d' ' -f1)
        i1=$(instructions $B/$p $cargs) i2=$(instructions $B/$p $cargs2)
        syscalls $B/$p $cargs >"$work/s1"
        syscalls $B/$p $cargs2 >"$work/s2"
        total=$(awk -v n="$n" 'NR == FNR { a[$1] = $2; next }
            $1 == "total" { printf "%.2f\n", ($2 - a[$1]) / n }' "$work/s1" "$work/s2")
        by_name=$(awk -v n="$n" 'NR == FNR { a[$1] = $2; next } { d = ($2 - a[$1]) / n }
            $1 != "total" && (d >= 0.005 || d <= -0.005) { printf "%s=%.2g\n", $1, d }' \
            "$work/s1" "$work/s2" | sort -t= -k2,2gr -k1,1 | paste -sd' ')
        printf '| %s | %s | %s (%s to %s) | %s | %s | %s |\n' "$(mode_of $p)" "$ns" \
            "$median" "$lo" "$hi" "$(tests/measuring-bench.sh --per-hop "$i1" "$i2" "$n")" \
            "$total" "${by_name:-none}"
    done
    echo
    caption $w "$args"
done
