#!/usr/bin/env bash
# measuring-tables.sh: prints the measuring chapter's tables of the three workloads from the
# committed data (data/bench.tsv), or of the echo servers (data/sockets.tsv), one Markdown
# table for each workload and setting; with
# --check, fails naming each line that the chapter does not contain word for word, and fails
# unless the tables stand in the chapter as one block, in the data's order, with nothing added
# between them (a stale row left beside a new one), so the text cannot drift from the data.
#
#   tests/measuring-tables.sh [DATA]                   # print the tables
#   tests/measuring-tables.sh --check CHAPTER [DATA]   # every line must be in CHAPTER
set -euo pipefail
check=
if [[ ${1:-} == --check ]]; then check=$2; shift 2; fi
data=${1:-data/bench.tsv}
[[ -r $data ]] || { echo "measuring-tables.sh: cannot read $data; run make -f build.mk bench" >&2; exit 2; }
tables() {
    awk -F'\t' '
        function close_table() { if (table) printf "\nTable: %s.\n\n", caption }
        /^#/ || $1 == "workload" { next }
        $1 "\t" $2 != table {
            close_table()
            table = $1 "\t" $2
            name = $1 == "pingpong" ? "Ping-pong" : $1 == "fanin" ? "Fan-in" : \
                   $1 == "echo" ? "Echo" : "Executor"
            caption = name ", " $2 ($1 == "fanin" ? ", counts per prefilled reader" : "")
            memory = $1 == "pingpong" ? "" : " bytes per op |"
            # the dashes set the relative widths of the columns in the PDF (pandoc pipe tables)
            if ($1 == "echo") {
                print "| server | time ratio (range) | MB/s | p50 µs | p99 µs | server CPU ns per msg" \
                      " | client CPU % | instructions per msg | system calls per msg | by name |"
                print "|:----|------:|----:|----:|----:|-----:|----:|--------:|-----:|:------------|"
            } else {
                print "| program | ns per op | ratio (range) | instructions per op | system calls per op" \
                      " | by name |" memory
                print "|:----|----:|------:|-----:|-----:|:--------------|" (memory ? "----:|" : "")
            }
        }
        $1 == "echo" {
            printf "| %s | %s (%s to %s) | %s | %s | %s | %s | %s | %s | %s | %s |\n", $3, $5, $6, $7,
                   $8, $9, $10, $11, $12, $13, $14, $15
            next
        }
        { printf "| %s | %s | %s (%s to %s) | %s | %s | %s |%s\n", $3, $4, $5, $6, $7, $8, $9,
                  $10, memory ? " " $11 " |" : "" }
        END { close_table() }' "$data"
}
if [[ -z $check ]]; then tables; exit; fi
missing=0
while IFS= read -r line; do
    [[ -z $line ]] && continue
    grep -qxF -- "$line" "$check" || { echo "not in $check: $line" >&2; missing=1; }
done < <(tables)
want=$(tables)
if [[ $(<"$check") != *"$want"* ]]; then     # the lines are there, but not as one block
    start=$(grep -nxF -- "$(sed -n 3p <<<"$want")" "$check" | head -1 | cut -d: -f1)
    echo "$check: the tables are not one block in the data's order; first difference:" >&2
    awk -v from=$((${start:-3} - 2)) 'NR == FNR { want[FNR] = $0; n = FNR; next }
        FNR >= from && FNR - from < n && $0 != want[FNR - from + 1] {
            printf "line %d: %s\nthe data: %s\n", FNR, $0, want[FNR - from + 1]; exit }' \
        <(printf '%s\n' "$want") "$check" >&2
    missing=1
fi
exit $missing
