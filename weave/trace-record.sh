#!/usr/bin/env bash
# trace-record.sh CHAPTER PROGRAM STEPS [POINTS]: runs PROGRAM (the future chapter's demo, or
# any program built on its runtime that takes two named pipes as arguments) under gdb, with
# PROGRAM's output to a file, and prints the record of what its runtime did, one event a line.
#
# Nothing is compiled into the runtime for this. gdb puts a dprintf breakpoint on each line of
# CHAPTER named in POINTS (default weave/trace-points), found by chunk name and text: the build
# compiles with #line directives, so gdb knows the program's lines as the chapter's lines.
# A program run without gdb has no breakpoint and does exactly what it did before.
#
# The writer is scripted and the record deterministic: gdb stops the program each time it is
# about to call epoll_wait, runs the next step of STEPS there ("write PIPE TEXT" lines; a line
# "wait" ends a step), and only then lets it call epoll_wait. Each step's writes are all in
# the pipes before the runtime looks, so no timing decides what one epoll_wait returns.
set -euo pipefail
(($# >= 3)) || { echo "usage: trace-record.sh CHAPTER PROGRAM STEPS [POINTS]" >&2; exit 2; }
chapter=$1 program=$2 steps=$(realpath "$3") points=${4:-weave/trace-points}
for f in "$chapter" "$steps" "$points"; do
    [[ -r $f ]] || { echo "trace-record.sh: $f: cannot read it" >&2; exit 1; }
done
[[ -x $program ]] || { echo "trace-record.sh: $program is not built; run: make -f build.mk $program" >&2; exit 1; }
command -v gdb >/dev/null || { echo "trace-record.sh: gdb is missing; run: make -f build.mk deps" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/pipe1" "$dir/pipe2"

# line_of CHUNK TEXT: the chapter line inside a definition of CHUNK that holds TEXT (exactly one)
line_of() {
    awk -v chunk="<<$1>>=" -v text="$2" '
        $0 == chunk { inside = 1; next }
        /^@( |$)/ || /^<<.*>>=$/ { inside = 0 }
        inside && index($0, text) { print NR }' "$chapter"
}
{
    echo "set pagination off"
    echo "set confirm off"
    awk -F ' *:: *' -v OFS='\t' '!/^#/ && NF >= 5 { sub(/^ +/, ""); print $1, $2, $3, $4, $5, $6 "" }' \
        "$points" > "$dir/points"
    while IFS=$'\t' read -r event chunk text format args cond; do
        lines=$(line_of "$chunk" "$text")
        if [[ $(wc -w <<<"$lines") != 1 ]]; then
            echo "trace-record.sh: $points: $event: \"$text\" is on ${lines:-no} line(s) of" \
                 "<<$chunk>> in $chapter; make it name exactly one" >&2
            exit 1
        fi
        echo "dprintf $chapter:$lines,\"$event $format\\n\",$args"
        if [[ -n $cond ]]; then echo "condition \$bpnum $cond"; fi
    done < "$dir/points"
    # the scripted writer: before each epoll_wait, the next step
    echo "break epoll_wait"
    echo "commands"
    echo "silent"
    echo "printf \"wait\\n\""
    echo "shell bash $dir/step"
    echo "continue"
    echo "end"
    echo "run $dir/pipe1 $dir/pipe2 > $dir/output"
} > "$dir/trace.gdb"

# step: prints and writes the next step of STEPS, one echo (one open, write, close) a line
cat > "$dir/step" <<STEP
n=\$(cat "$dir/count" 2>/dev/null || echo 0); echo \$((n + 1)) > "$dir/count"
awk -v n="\$n" '\$1 == "wait" { step++; next } step == n && \$1 == "write"' "$steps" |
while read -r _ pipe text; do
    echo "write \$pipe \$((\${#text} + 1))"
    echo "\$text" > "$dir/\$pipe"
done
STEP

# gdb prints its own lines too; the record is the lines that start with an event's name.
# Tasks are named in the order they are spawned.
if ! timeout 60 gdb -q -batch -nx -x "$dir/trace.gdb" "$program" > "$dir/gdb.out" 2>&1; then
    echo "trace-record.sh: $program did not finish under gdb (a step too few in $steps?):" >&2
    tail -5 "$dir/gdb.out" >&2
    exit 1
fi
events=$(cut -f1 "$dir/points" | tr '\n' ' ')
awk -v events="spawn wait write $events" '
    BEGIN { split(events, e, " "); for (i in e) known[e[i]] = 1 }
    !($1 in known) { next }
    $1 == "spawn" { task[$2] = "T" (++tasks) }
    { for (i = 2; i <= NF; i++) if ($i in task) $i = task[$i]; print }' "$dir/gdb.out"
