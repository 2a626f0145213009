#!/usr/bin/env bash
# measuring-workloads.sh: measures the measuring chapter's three workloads (ping-pong, fan-in,
# executor) and writes data/bench.tsv, which the chapter's tables and plots are drawn from.
# Not part of check (timings are not tests); run by make -f build.mk bench. From the
# repository root:
#
#   tests/measuring-workloads.sh                    # RUNS=7, the chapter's settings
#   RUNS=1 SMALL=1 OUT=/tmp/b.tsv tests/measuring-workloads.sh   # a quick try, small sizes
#
# Times: RUNS rounds, in each of which every program of a setting runs once, in turn; the
# ratio of each program's time to the bare level-triggered loop's in the same round, then the
# median and the extremes of those ratios. Instructions (callgrind) and system calls (strace
# -c, also by name) per operation: (count(2n) - count(n)) / n. Memory per reader or task:
# (VmHWM(big) - VmHWM(small)) / (big - small), each VmHWM the median of RUNS runs as the
# program reports it.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7} OUT=${OUT:-data/bench.tsv} B=build/bench
if [[ -n ${SMALL:-} ]]; then
    SETTINGS=("pingpong|1 2000 1|1 200 1" "pingpong|100 20 64|100 2 64" "fanin|1000|500|10"
              "tasks|100000|2000|1000")
else    # WORKLOAD|ARGS OF THE TIMED RUNS|ARGS OF THE n COUNT RUN|SIZE OF THE SMALL MEMORY RUN
    SETTINGS=("pingpong|1 100000 1|1 2000 1" "pingpong|1000 200 64|1000 2 64"
              "fanin|10000|1000|10" "tasks|1000000|10000|1000")
fi
programs_of() {
    case $1 in
    pingpong | fanin) echo "epoll epollet libuv libevent runtime $tokio" ;;
    tasks) echo "bare libuv libevent runtime $tokio" ;;
    esac
}
tokio=
all=$(for w in pingpong fanin tasks; do for p in $(programs_of $w); do echo "$B/measuring-$w-$p"; done; done)
make -f build.mk --no-print-directory ONLY="poll waker future measuring" B=$B \
    CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2" $all >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Tokio, the stretch peer, left out (tests/measuring-tokio.sh says why) when it cannot be built.
if tests/measuring-tokio.sh $B; then tokio=tokio; fi

# The args of a count run of n operations: ping-pong's n are round trips (TRIPS doubled), the
# others' the readers (prefilled, so the counts do not depend on the writer's timing) or tasks.
count_args() {  # WORKLOAD BASEARGS FACTOR
    local w=$1 f=$3; set -- $2
    case $w in
    pingpong) echo "$1 $(($2 * f)) $3" ;;
    fanin) echo "$(($1 * f)) prefilled" ;;
    tasks) echo "$(($1 * f))" ;;
    esac
}
ops_of() {      # operations in a count run of factor 1
    local w=$1; set -- $2
    case $w in pingpong) echo $(($1 * $2)) ;; *) echo "$1" ;; esac
}
label() {       # the setting as the chapter writes it
    case $1 in pingpong) echo "P=$2 N=$3 S=$4" ;; fanin) echo "K=$2" ;; tasks) echo "T=$2" ;; esac
}
ns_of() { sed -n 's/.*: \([0-9]*\) ns per .*/\1/p'; }
peak_of() { sed -n 's/.*peak \([0-9]*\) kB/\1/p'; }
instructions() {  # the program's own count, not its forked writer's: the first pid valgrind names
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk -F'==' '!pid { pid = $2 } $2 == pid && /Collected :/ { sub(/.*: /, "", $3); print $3 }'
}
syscalls() {    # prints "NAME CALLS" lines and "total CALLS"
    strace -c -o "$work/strace" "$@" >/dev/null
    awk '/^-/ || /% time/ { next } { print $NF, $4 }' "$work/strace"
}

{
echo "# data/bench.tsv: written by tests/measuring-workloads.sh (make -f build.mk bench); do not edit"
echo "# cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs"
echo "# kernel: $(uname -sr)"
echo "# compiler: $(gcc --version | head -1), -O2 -g"
echo "# libuv: $(pkg-config --modversion libuv), libevent: $(pkg-config --modversion libevent)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# runs: $RUNS"
printf 'workload\tsetting\tprogram\tns_per_op\tratio\tratio_lo\tratio_hi\tinstr_per_op\tsyscalls_per_op\tsyscalls_by_name\tbytes_per_op\n'
} >"$work/head"

for s in "${SETTINGS[@]}"; do
    IFS='|' read -r w args cargs small <<<"$s"
    progs=$(programs_of $w) base=${progs%% *} tag=$w-${args// /_}
    for ((run = 1; run <= RUNS; run++)); do
        for p in $progs; do
            $B/measuring-$w-$p $args >"$work/out"
            ns_of <"$work/out" >>"$work/$tag-$p.ns"
            peak_of <"$work/out" >>"$work/$tag-$p.kb"
        done
    done
    n=$(ops_of $w "$cargs")
    for p in $progs; do
        prog=$B/measuring-$w-$p
        read -r median lo hi < <(paste "$work/$tag-$p.ns" "$work/$tag-$base.ns" |
            awk '{ print $1 / $2 }' | tests/measuring-bench.sh --spread-ratio)
        ns=$(tests/measuring-bench.sh --spread <"$work/$tag-$p.ns" | cut -d' ' -f1)
        i1=$(instructions $prog $(count_args $w "$cargs" 1))
        i2=$(instructions $prog $(count_args $w "$cargs" 2))
        syscalls $prog $(count_args $w "$cargs" 1) >"$work/s1"
        syscalls $prog $(count_args $w "$cargs" 2) >"$work/s2"
        by_name=$(awk -v n="$n" 'NR == FNR { a[$1] = $2; next } { d = ($2 - a[$1]) / n }
            $1 != "total" && (d >= 0.05 || d <= -0.05) { printf "%s=%.2g\n", $1, d }' \
            "$work/s1" "$work/s2" | sort -t= -k2,2gr -k1,1 | paste -sd' ')
        by_name=${by_name:-none}
        total=$(awk -v n="$n" 'NR == FNR { a[$1] = $2; next } $1 == "total" { printf "%.2f", ($2 - a[$1]) / n }' \
            "$work/s1" "$work/s2")
        bytes=-
        if [[ $w != pingpong ]]; then
            # VmHWM moves by tens of kB between runs of one program: medians of RUNS each
            for ((run = 1; run <= RUNS; run++)); do $prog "$small" | peak_of; done >"$work/small.kb"
            a=$(tests/measuring-bench.sh --spread <"$work/small.kb" | cut -d' ' -f1)
            b=$(tests/measuring-bench.sh --spread <"$work/$tag-$p.kb" | cut -d' ' -f1)
            bytes=$(awk -v a="$a" -v b="$b" -v n="$args" -v m="$small" \
                'BEGIN { printf "%.0f", (b - a) * 1024 / (n - m) }')
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$(label $w $args)" "$p" "$ns" "$median" \
            "$lo" "$hi" "$(tests/measuring-bench.sh --per-hop "$i1" "$i2" "$n")" "$total" \
            "$by_name" "$bytes" >>"$work/rows"
    done
done
cat "$work/head" "$work/rows" >"$OUT"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
tests/measuring-tables.sh "$OUT"
echo "wrote $OUT"
