#!/usr/bin/env bash
# sockets-bench.sh: measures the echo servers of the measuring chapter (the sockets chapter's
# build/sockets on our runtime, and the peers on a bare epoll loop, libuv, libevent and Tokio),
# all driven by build/sockets-client, and writes data/sockets.tsv, which the chapter's echo
# tables and plot are drawn from. Run by make -f build.mk bench; its quick mode is run by the
# test suite, so that the script itself is tested. From the repository root:
#
#   tests/sockets-bench.sh                              # RUNS=7, the chapter's settings
#   SMALL=1 RUNS=3 tests/sockets-bench.sh               # a tenth of the sizes
#   QUICK=1 B=build OUT=/tmp/s.tsv tests/sockets-bench.sh   # tiny, one run, no Tokio, no build
#
# Without B it builds every program with -O2 in build/bench (and Tokio's, which is left out,
# saying why, when it cannot be built); with B it uses the programs already in B.
#
# Each setting is CLIENTS connections, each sending BYTES in messages of CHUNK bytes, one in
# flight per connection. Times: RUNS rounds; in each, every server is started on port 0, driven
# once by the client and stopped, in turn; each server's time is divided by the bare epoll
# server's in the same round, and the median and the extremes of those ratios are reported,
# with the medians of the client's MB/s and latency percentiles, of the server's CPU time per
# message (utime + stime from /proc/PID/stat, proc(5)) and of the client's share of the CPU
# time of both. Counts, on the server alone: instructions (callgrind) and system calls (also
# by name) per message, (count(2n) - count(n)) / n, where the two runs differ only in the bytes
# each client sends, so accepting and closing cancel; of COUNTS (3) such pairs, the median.
# (Our runtime's server reads again before it waits, so how often it finds the next message
# already there, and with it its counts, changes from run to run; the peers' counts do not.)
# The system calls are counted in the kernel by perf stat on the syscall tracepoints, so that
# the server runs at its own speed (strace stops it twice for every call, ptrace(2), and a
# server that reads before it waits, as ours does, then finds the next message already there
# more often); without a working perf, strace -c -f counts them, and the data says which did.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7} COUNTS=${COUNTS:-3} OUT=${OUT:-data/sockets.tsv}
# CLIENTS BYTES CHUNK (the timed runs) | BYTES of the count run of n messages (2n: twice that)
if [[ -n ${QUICK:-} ]]; then
    sizes=quick RUNS=1 COUNTS=1 SETTINGS=("1 12800 64|6400" "10 1280 64|640" "1 2097152 1048576|1048576")
elif [[ -n ${SMALL:-} ]]; then
    sizes="small (a tenth)" SETTINGS=("1 640000 64|64000" "100 12800 64|1280" "1000 1280 64|640"
                                      "1 10485760 1048576|4194304")
else
    sizes=full SETTINGS=("1 6400000 64|64000" "100 128000 64|1280" "1000 12800 64|640"
                         "1 104857600 1048576|4194304")
fi
SERVERS="epoll runtime libuv libevent"
path_of() { if [[ $1 == runtime ]]; then echo "$B/sockets"; else echo "$B/measuring-echo-$1"; fi; }
if [[ -z ${B:-} ]]; then
    B=build/bench
    make -f build.mk --no-print-directory ONLY="sockets measuring" B=$B \
        CFLAGS="-std=c11 -Wall -Wextra -Wpedantic -Werror -g -O2" $B/sockets-client \
        $(for s in $SERVERS; do path_of "$s"; done) >/dev/null
    if tests/measuring-tokio.sh $B; then SERVERS="$SERVERS tokio"; fi
fi
for s in $SERVERS; do
    [[ -x $(path_of "$s") ]] || { echo "sockets-bench: no $(path_of "$s"); build it first" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/listening"
tick=$(getconf CLK_TCK)

# serve SERVER [WRAPPER...]: starts the server on 127.0.0.1:0 (under strace or valgrind, if
# given) with its output on a FIFO, reads the port from its first line, and sets port, spid
# (the process started) and pid (the server's own: the child of strace or perf under them).
serve() {
    local server=$1 line; shift
    "$@" "$(path_of "$server")" 127.0.0.1:0 >"$work/listening" 2>"$work/server.err" &
    spid=$!
    exec {listening}<"$work/listening"
    if ! read -r -t 120 line <&$listening || [[ $line != "listening on 127.0.0.1:"* ]]; then
        echo "sockets-bench: $server did not say it was listening: ${line:-}" >&2
        cat "$work/server.err" >&2
        exit 1
    fi
    port=${line##*:} pid=$spid
    if [[ ${1:-} == strace || ${1:-} == perf ]]; then pid=$(pgrep -P "$spid"); fi
}
# stop: SIGTERM to the server, which must exit with status 0; its other output is read first.
stop() {
    kill -TERM "$pid"
    cat <&$listening >/dev/null
    exec {listening}<&-
    wait "$spid" || { echo "sockets-bench: the server failed" >&2; cat "$work/server.err" >&2; exit 1; }
}
cpu_seconds() { awk -v t="$tick" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
# drive CLIENTS BYTES CHUNK: runs the client against the server; prints "CLIENT-CPU-SECONDS"
# and leaves the client's line in $work/client.
drive() {
    local TIMEFORMAT='%U %S'
    { time "$B/sockets-client" "127.0.0.1:$port" "$@" >"$work/client" 2>"$work/client.err"; } \
        2>"$work/client.time" || { echo "sockets-bench: the client failed:" >&2
                                    cat "$work/client.err" >&2; exit 1; }
    awk '{ print $1 + $2 }' "$work/client.time"
}
field() { awk -v f="$1" '{ for (i = 1; i < NF; i += 2) if ($i == f) print $(i + 1) }' "$work/client"; }
median() { tests/measuring-bench.sh --median "$1"; }     # median DECIMALS <NUMBERS

# The system calls counted by name (any other is counted as "other"), and the events that
# count them: raw_syscalls:sys_enter counts every call.
CALLS="accept4 brk close epoll_ctl epoll_pwait epoll_wait futex ioctl mmap munmap read readv
       recvfrom recvmsg sendmsg sendto write writev"
events=raw_syscalls:sys_enter$(printf ',syscalls:sys_enter_%s' $CALLS)
if perf stat -x, -o /dev/null -e "$events" true 2>/dev/null; then counter=perf; else counter=strace; fi
# counts SERVER CLIENTS BYTES CHUNK: the server's system calls ("NAME CALLS" lines, sorted,
# with "total") into $work/calls.BYTES, and its instructions into $work/instr.BYTES.
counts() {
    local server=$1 clients=$2 bytes=$3 chunk=$4
    if [[ $counter == perf ]]; then
        serve "$server" perf stat -x, -o "$work/calls" -e "$events" --
    else
        serve "$server" strace -f -c -o "$work/calls"
    fi
    drive "$clients" "$bytes" "$chunk" >/dev/null
    stop
    if [[ $counter == perf ]]; then     # "COUNT,,raw_syscalls:sys_enter,..." and the like
        awk -F, '/^[0-9]/ { name = $3; sub(/.*sys_enter_?/, "", name); print name ? name : "total", $1 }' \
            "$work/calls"
    else                                # "% time seconds usecs/call calls [errors] syscall"
        awk 'NR > 2 && $1 !~ /^-/ { print $NF, $4 }' "$work/calls"
    fi | sort >"$work/calls.$bytes"
    serve "$server" valgrind --tool=callgrind --callgrind-out-file=/dev/null
    drive "$clients" "$bytes" "$chunk" >/dev/null
    stop
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/server.err" >"$work/instr.$bytes"
}

{
echo "# data/sockets.tsv: written by tests/sockets-bench.sh (make -f build.mk bench); do not edit"
echo "# sizes: $sizes"
echo "# cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs"
echo "# kernel: $(uname -sr)"
echo "# compiler: $(gcc --version | head -1), -O2 -g"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# runs: $RUNS, count pairs: $COUNTS"
echo "# system calls counted by: $counter"
printf 'workload\tsetting\tprogram\tseconds\tratio\tratio_lo\tratio_hi\tmb_per_s\tp50_us\tp99_us'
printf '\tserver_cpu_ns_per_msg\tclient_cpu_percent\tinstr_per_msg\tsyscalls_per_msg\tsyscalls_by_name\n'
} >"$work/head"

for s in "${SETTINGS[@]}"; do
    IFS='|' read -r args cbytes <<<"$s"
    read -r clients bytes chunk <<<"$args"
    tag=$clients-$bytes-$chunk
    for ((run = 1; run <= RUNS; run++)); do
        for server in $SERVERS; do
            serve "$server"
            client_cpu=$(drive $args)
            server_cpu=$(cpu_seconds "$pid")
            stop
            read -r seconds mbs p50 p99 messages < <(for f in seconds MB/s p50_us p99_us messages; do
                field $f; done | paste -sd' ')
            echo "$seconds" >>"$work/$tag-$server.seconds"
            echo "$mbs $p50 $p99" >>"$work/$tag-$server.client"
            awk -v s="$server_cpu" -v c="$client_cpu" -v m="$messages" \
                'BEGIN { printf "%.0f %.0f\n", s * 1e9 / m, (s + c > 0 ? 100 * c / (s + c) : 0) }' \
                >>"$work/$tag-$server.cpu"
        done
    done
    n=$((clients * cbytes / chunk))             # the messages that the 2n run adds
    for server in $SERVERS; do
        read -r ratio lo hi < <(paste "$work/$tag-$server.seconds" "$work/$tag-epoll.seconds" |
            awk '{ print $1 / $2 }' | tests/measuring-bench.sh --spread-ratio)
        seconds=$(median 3 <"$work/$tag-$server.seconds")
        mbs=$(cut -d' ' -f1 "$work/$tag-$server.client" | median 1)
        p50=$(cut -d' ' -f2 "$work/$tag-$server.client" | median 0)
        p99=$(cut -d' ' -f3 "$work/$tag-$server.client" | median 0)
        server_ns=$(cut -d' ' -f1 "$work/$tag-$server.cpu" | median 0)
        client_share=$(cut -d' ' -f2 "$work/$tag-$server.cpu" | median 0)
        # COUNTS pairs of count runs; the median pair by instructions, and by system calls
        rm -f "$work/instr.pairs" "$work/calls.pairs"
        for ((pair = 1; pair <= COUNTS; pair++)); do
            counts "$server" "$clients" "$cbytes" "$chunk"
            counts "$server" "$clients" $((2 * cbytes)) "$chunk"
            tests/measuring-bench.sh --per-hop "$(<"$work/instr.$cbytes")" \
                "$(<"$work/instr.$((2 * cbytes))")" "$n" >>"$work/instr.pairs"
            join -a 2 -e 0 -o 0,1.2,2.2 "$work/calls.$cbytes" "$work/calls.$((2 * cbytes))" |
                awk -v n="$n" -v counter=$counter '{ d = ($3 - $2) / n }
                    $1 == "total" { total = d; other += d; next } { other -= d; show($1, d) }
                    function show(name, d) {        # 0.67, 1, 64, 520
                        if (d >= 0.05 || d <= -0.05)
                            printf "%s=" (d >= 10 || d <= -10 ? "%.0f\n" : "%.2g\n"), name, d
                    }
                    END { if (counter == "perf") show("other", other); printf "total=%.2f\n", total }' |
                sort -t= -k2,2gr -k1,1 | awk -F= '$1 == "total" { t = $2; next } { s = s " " $0 }
                    END { print t "\t" (s ? substr(s, 2) : "none") }' >>"$work/calls.pairs"
        done
        middle=$(((COUNTS + 1) / 2))
        instr=$(sort -g "$work/instr.pairs" | sed -n "${middle}p")
        IFS=$'\t' read -r total by_name < <(sort -g "$work/calls.pairs" | sed -n "${middle}p")
        printf 'echo\tC=%s S=%s B=%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
            "$clients" "$chunk" "$bytes" "$server" "$seconds" "$ratio" "$lo" "$hi" "$mbs" "$p50" \
            "$p99" "$server_ns" "$client_share" "$instr" "$total" "$by_name" >>"$work/rows"
    done
done
cat "$work/head" "$work/rows" >"$OUT"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
tests/measuring-tables.sh "$OUT"
echo "wrote $OUT"
