#!/usr/bin/env bash
# trace.sh BUILD_DIR: the future chapter's traced figures follow the code. It records scripted
# runs with weave/trace-record.sh (gdb, dprintf on chapter lines; see the preface) and checks
# each record against the chapter's numbered steps, "One wait, from poll to poll":
#   - the main demo, under the figures' own writer (figures/future-trace.steps): every poll
#     answers pending after registering, or ready; the thread sleeps in epoll_wait only with
#     the ready queue empty; each epoll_wait reports the pipes written before it and wakes
#     their tasks, which are then polled; each pipe enters epoll once; both tasks are freed;
#     and the figures drawn from it are the figures the build draws;
#   - tests/trace_join.c, one task joining two pipes, both written before one epoll_wait: the
#     task is woken twice, queued once, polled once, and freed.
set -uo pipefail
b=$1 cc=${CC:-gcc}
mkdir -p "$b/test-logs"
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
ok()  { echo "trace: ok: $1"; passed=$((passed + 1)); }
bad() { echo "trace: FAILED: $1"; failed=$((failed + 1)); }
record() { weave/trace-record.sh book/07-future.nw "$@"; }

# steps RECORD: the rules of the numbered steps; prints the first broken one, if any
steps() {
    awk '
    BEGIN { head = tail = 0 }
    function broken(msg) { print "line " NR " (" $0 "): " msg; bad = 1; exit 1 }
    $1 == "spawn" { live[$2] = 1 }
    $1 == "wake" { if (!$3) queue[tail++] = $2; else if (!(queued[$2])) broken("already queued?") ; queued[$2] = 1 }
    $1 == "poll" {
        if (head == tail || queue[head] != $2) broken("polled a task that is not first in the queue")
        head++; queued[$2] = 0; polled = $2; registered = 0
    }
    $1 == "register" { if ($2 != polled) broken("registered outside its poll"); registered = 1
                       if (!$4) { if (fd[$3]++) broken("fd " $3 " added to epoll twice") } }
    $1 == "pending" { if ($2 != polled || !registered) broken("pending without registering first") }
    $1 == "ready" { if ($2 != polled) broken("ready outside its poll"); done[$2] = 1 }
    $1 == "wait" { if (head != tail) broken("epoll_wait with tasks in the ready queue"); writes = 0 }
    $1 == "write" { writes++ }
    $1 == "returned" { if ($2 != writes) broken($2 " events for " writes " pipes written"); events = $2 }
    $1 == "event" { events-- }
    $1 == "freed" { if (!done[$2]) broken("freed before it was ready"); delete live[$2] }
    END {
        if (bad) exit 1
        for (t in live) { print "task " t " never freed"; exit 1 }
        if (head != tail) { print "tasks left in the ready queue"; exit 1 }
    }' "$1"
}

# ---- the main demo, as the figures draw it ----
if ! record "$b/future" figures/future-trace.steps > "$scratch/demo" 2> "$scratch/err"; then
    bad "the main demo could not be recorded:"; sed 's/^/    /' "$scratch/err"
else
    if why=$(steps "$scratch/demo"); then ok "the main demo's record follows the chapter's steps"
    else bad "the main demo's record breaks the chapter's steps: $why"; fi
    # the first wait, as the chapter numbers it: poll, register, pending, epoll_wait, wake, poll
    first=$(grep -E '^(poll|register|pending|wake) T1|^wait' "$scratch/demo" |
            sed -n '/^poll/,$p' | head -n 6 | cut -d' ' -f1 | tr '\n' ' ')
    if [[ $first == "poll register pending wait wake poll " ]]; then
        ok "T1's first wait is poll, register, pending, epoll_wait, wake, poll"
    else bad "T1's first wait is: $first"; fi
    if [[ $(grep -c '^freed' "$scratch/demo") == 2 ]]; then ok "both of the demo's tasks are freed"
    else bad "the demo's record frees $(grep -c '^freed' "$scratch/demo") tasks, not 2"; fi
    # the preface shows the first lines of this record
    shown=$(sed -n '/^\$ weave\/trace-record.sh /,/^\.\.\.$/{p;/^\.\.\.$/q}' book/00-preface.nw | sed '1d;$d')
    if [[ -n $shown && $shown == "$(head -n "$(wc -l <<<"$shown")" "$scratch/demo")" ]]; then
        ok "the preface shows the record's first lines as they are"
    else bad "the preface's example record is out of date; the record begins:"
        head -n 8 "$scratch/demo" | sed 's/^/    /'; fi
    if grep -qx 'returned 2' "$scratch/demo"; then ok "one epoll_wait reports both pipes"
    else bad "no epoll_wait reported both pipes written in one step"; fi
    for figure in sequence frames; do
        awk -v figure=$figure -f weave/trace-draw.awk "$scratch/demo" > "$scratch/$figure.dot"
        drawn=$b/figures/future-trace-$figure.dot
        if [[ ! -e $drawn ]]; then echo "trace: skipped: $drawn is not built (no book)"
        elif cmp -s "$scratch/$figure.dot" "$drawn"; then ok "a second run draws the same $figure figure"
        else bad "the $figure figure differs from a second run: the record is not deterministic"; fi
    done
fi

# ---- one task woken twice, queued once ----
join=$scratch/trace_join
libs=$(for m in future waker poll; do echo "$b/lib/$m.a"; done)
# shellcheck disable=SC2086
if ! $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -g -O1 -I"$b/src" -Igenerated-src \
        tests/trace_join.c $libs -pthread -o "$join" 2> "$scratch/err"; then
    bad "tests/trace_join.c does not build:"; sed 's/^/    /' "$scratch/err"
else
    printf 'write pipe1 1234567\nwrite pipe2 abcdefg\n' > "$scratch/join.steps"
    if ! record "$join" "$scratch/join.steps" > "$scratch/join" 2> "$scratch/err"; then
        bad "trace_join could not be recorded:"; sed 's/^/    /' "$scratch/err"
    else
        if why=$(steps "$scratch/join"); then ok "the join's record follows the chapter's steps"
        else bad "the join's record breaks the chapter's steps: $why"; fi
        woken=$(sed -n '/^returned 2$/,/^poll/p' "$scratch/join" | grep -E '^(wake|poll)' | tr '\n' ' ')
        if [[ $woken == "wake T1 0 wake T1 1 poll T1 " ]]; then
            ok "a task woken twice by one epoll_wait is queued once and polled once"
        else bad "after one epoll_wait with two events: $woken"; fi
        if [[ $(tail -n 2 "$scratch/join" | tr '\n' ' ') == "ready T1 freed T1 " ]]; then
            ok "the joined task is ready, then freed"
        else bad "the join's record ends: $(tail -n 2 "$scratch/join" | tr '\n' ' ')"; fi
    fi
fi

echo "trace: $passed passed, $failed failed" | tee "$b/test-logs/trace.log"
((failed == 0))
