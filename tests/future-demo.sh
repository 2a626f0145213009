#!/usr/bin/env bash
# future-demo.sh [DEMO]: runs the future chapter's main demo (default build/future) with a
# scripted writer. It makes two named pipes in a fresh temporary directory, starts the demo on
# them and feeds them with separate `echo` commands, each its own process that opens the pipe,
# writes one line and closes it, the way a person types them in another terminal. It prints
# what the demo prints. It never sleeps: it waits for the demo's own output instead.
set -euo pipefail
demo=${1:-build/future}
if [[ ! -x $demo ]]; then
    echo "future-demo.sh: $demo is not built; run: make -f build.mk $demo" >&2
    exit 1
fi
dir=$(mktemp -d)
demo_pid=
# On a failure below, stop the demo too: its read-write pipes would keep it waiting forever.
trap '[[ -n $demo_pid ]] && kill "$demo_pid" 2>/dev/null; rm -rf "$dir"' EXIT
mkfifo "$dir/pipe1" "$dir/pipe2" "$dir/out"
"$demo" "$dir/pipe1" "$dir/pipe2" >"$dir/out" &
demo_pid=$!
exec 3<"$dir/out"

# Nothing here waits forever: each step gives up after 10 seconds, times Check's multiplier
# (the valgrind runs set CK_TIMEOUT_MULTIPLIER=10), and says which step it was.
deadline=$(awk -v m="${CK_TIMEOUT_MULTIPLIER:-1}" 'BEGIN { print 10 * m }')

# say PIPE TEXT: one writer, one line. Opening a pipe for writing waits for its reader, so a
# demo that failed to start would leave us waiting.
say() {
    if ! timeout "$deadline" bash -c 'echo "$2" > "$1"' say "$dir/$1" "$2"; then
        echo "future-demo.sh: could not write to $1 within $deadline s (did the demo start?)" >&2
        exit 1
    fi
}

# echo_line: copies the demo's next line to our output; fails at the end of its output.
echo_line() {
    local line status=0
    IFS= read -r -t "$deadline" line <&3 || status=$?
    if ((status > 128)); then
        echo "future-demo.sh: the demo printed nothing for $deadline s (stuck waiting?)" >&2
        exit 1
    fi
    if ((status == 0)); then printf '%s\n' "$line"; else printf '%s' "$line"; fi
    return "$status"
}

first=("Hello from the first terminal." "Every echo opens the pipe, writes a line and closes it.")
second=("Meanwhile, the second pipe gets a few lines of its own."
        "Nothing blocks: both futures wait on one thread,"
        "and this line pushes pipe2 past 100 characters.")
rest=("Only now does pipe1 reach its 100 characters.")

for line in "${first[@]}"; do say pipe1 "$line"; done
for line in "${second[@]}"; do say pipe2 "$line"; done

# Future2 has its 100 characters now. Wait until it has printed them (a line for each newline
# among them, plus one) before pipe1 gets the rest, so that the order of the output is fixed.
newlines=$(printf '%s\n' "${second[@]}" | head -c 100 | tr -cd '\n' | wc -c)
for ((i = 0; i <= newlines; i++)); do
    echo_line || { echo "future-demo.sh: the demo ended before Future2 printed" >&2; exit 1; }
done

for line in "${rest[@]}"; do say pipe1 "$line"; done
while echo_line; do :; done
status=0
wait "$demo_pid" || status=$?
demo_pid=
exit "$status"
