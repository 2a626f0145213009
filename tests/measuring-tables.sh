#!/usr/bin/env bash
# measuring-tables.sh: prints the measuring chapter's table of the three workloads from the
# committed data (data/bench.tsv), as Markdown rows; with --check, fails naming each row
# that the chapter does not contain word for word, so the text cannot drift from the data.
#
#   tests/measuring-tables.sh [DATA]                   # print the table
#   tests/measuring-tables.sh --check CHAPTER [DATA]   # every row must be in CHAPTER
set -euo pipefail
check=
if [[ ${1:-} == --check ]]; then check=$2; shift 2; fi
data=${1:-data/bench.tsv}
[[ -r $data ]] || { echo "measuring-tables.sh: cannot read $data; run make -f build.mk bench" >&2; exit 2; }
table() {
    echo "| workload | setting | program | ns per op | ratio to epoll | range | instructions per op | system calls per op | by name | bytes per op |"
    echo "|:--|:--|:--|--:|--:|--:|--:|--:|:--|--:|"
    awk -F'\t' '/^#/ || $1 == "workload" { next }
        { printf "| %s | %s | %s | %s | %s | %s to %s | %s | %s | %s | %s |\n",
                 $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$data"
}
if [[ -z $check ]]; then table; exit; fi
missing=0
while IFS= read -r row; do
    grep -qxF -- "$row" "$check" || { echo "not in $check: $row" >&2; missing=1; }
done < <(table | tail -n +3)
exit $missing
