#!/usr/bin/env bash
# tangle-lines.sh OUTDIR CHAPTER.nw...: write the chapters' C files again, into
# OUTDIR/<module>/, with #line directives (notangle -L), for the build to compile.
#
# generated-src/ stays free of #line, for reading and for the drift check; the compiler reads
# this copy instead, so its errors and warnings, the sanitizers' stack traces, valgrind and gdb
# name the chapter's line: book/07-future.nw:212. The paths in the directives are relative to
# the directory this runs in, where the compiler runs too (the build runs both from the
# repository root). A file is written only when its content changes
# (a line added to a chapter's prose changes the directives, not generated-src/), so make
# recompiles only what moved. tangle.sh checks the chapters; this script only writes.
set -euo pipefail
(($# >= 1)) || { echo "usage: tangle-lines.sh OUTDIR CHAPTER.nw..." >&2; exit 2; }
out=$(realpath -m "$1"); shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for nw in "$@"; do
    [[ -f $nw ]] || { echo "tangle-lines.sh: $nw: no such chapter" >&2; exit 1; }
    nw=$(realpath -m --relative-to=. "$nw")       # book/NN-module.nw, as messages show it
    base=$(basename "$nw" .nw); module=${base#*-}
    noroots "$nw" | sed -n "s|^<<generated-src/$module/\([^/ ]*\.[ch]\)>>\$|\1|p" |
        LC_ALL=C sort > "$work/files"
    if [[ ! -s $work/files ]]; then rm -rf "${out:?}/$module"; continue; fi     # prose only
    mkdir -p "$out/$module"
    while IFS= read -r file; do
        if ! notangle -L -R"generated-src/$module/$file" "$nw" > "$work/f" 2>"$work/err" ||
                [[ -s $work/err ]]; then
            echo "tangle-lines.sh: $nw: cannot tangle generated-src/$module/$file (run ./tangle.sh):" >&2
            sed 's/^/    /' "$work/err" >&2; exit 1
        fi
        cmp -s "$work/f" "$out/$module/$file" || cp "$work/f" "$out/$module/$file"
    done < "$work/files"
    # a file the chapter no longer defines must not be compiled or included any more
    for f in "$out/$module"/*; do
        if [[ -e $f ]] && ! grep -qxF "$(basename "$f")" "$work/files"; then rm -f "$f"; fi
    done
done
exit 0
