#!/usr/bin/env bash
# where.sh book/NN-module.nw:LINE: from a chapter line, as the compiler, a sanitizer, valgrind
# or gdb names it, to the page. Prints the chunk that holds the line, with its label and name
# as the book prints them, and the chunk's address in the HTML book (and in the site, when
# $B/site/ has been built).
#
#   $ weave/where.sh book/00-preface.nw:190
#   book/00-preface.nw:190 is line 2 of 0d ⟨poll the countdown once and report⟩
#   build/book.html#chunk-poll-the-countdown-once-and-report
#
# The argument may be a whole message ("book/07-future.nw:212:5: error: ..."): the first
# FILE.nw:LINE in it is used. B is the build directory (default: build). Labels and anchors are
# computed as weave/nw2md.awk computes them, from noweb's own parser; tests/book-lines.sh checks
# that the two agree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
at=$(grep -oE '[^ :"(]+\.nw:[0-9]+' <<<"$*" | head -n 1) || true
if [[ -z $at ]]; then
    echo "where.sh: give a chapter line as a compiler or gdb prints it, as in: weave/where.sh" \
         "book/07-future.nw:212 (or: make -f build.mk where AT=book/07-future.nw:212)" >&2
    exit 2
fi
nw=${at%:*}; line=${at##*:}
[[ -f $nw ]] || nw=$top/${nw#./}
[[ -f $nw ]] || nw=$top/book/${nw##*/}       # valgrind names the file alone: 07-future.nw:212
[[ -f $nw ]] || { echo "where.sh: ${at%:*}: no such chapter (run it from the repository root)" >&2; exit 1; }

# markup emits one @nl per source line, so line numbers are counted from them.
found=$(/usr/lib/noweb/markup "$nw" | awk -v want="$line" -v file="$(basename "$nw")" '
    function slug(s) { s = tolower(s); gsub(/[^a-z0-9]+/, "-", s); gsub(/^-+|-+$/, "", s); return s }
    function letters(n,    s) {   # 1 -> a, 26 -> z, 27 -> aa
        s = ""
        while (n > 0) { n--; s = substr("abcdefghijklmnopqrstuvwxyz", n % 26 + 1, 1) s; n = int(n / 26) }
        return s
    }
    BEGIN { at = 1; chapter = file; sub(/-.*/, "", chapter); chapter += 0 }
    $1 == "@begin" && $2 == "code" { k++; start = at }
    $1 == "@defn" { name = substr($0, 7); rank = ++defs[name] }
    $1 == "@end" && $2 == "code" && want >= start && want < at && !done {
        printf "%s\t%s\t%d\tchunk-%s%s\n", chapter letters(k), name, want - start, slug(name), \
               (rank > 1 ? "-" rank : "")
        done = 1                # read on: markup must not die of a closed pipe
    }
    $1 == "@nl" { at++ }')
if [[ -z $found ]]; then
    echo "where.sh: $at is prose, not code: no chunk holds that line" >&2
    exit 1
fi
IFS=$'\t' read -r label name offset anchor <<<"$found"
if ((offset == 0)); then echo "$at is the title of $label ⟨$name⟩"
else echo "$at is line $offset of $label ⟨$name⟩"; fi
echo "$B/book.html#$anchor"
if [[ -d $B/site ]]; then
    page=$(grep -lF "id=\"$anchor\"" "$B"/site/*.html 2>/dev/null | head -n 1) || true
    [[ -n $page ]] && echo "$page#$anchor"
fi
exit 0
