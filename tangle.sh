#!/usr/bin/env bash
# tangle.sh: write the C sources the book defines into generated-src/.
#
#   ./tangle.sh [CHAPTER.nw ...]          tangle (default: every book/*.nw)
#   ./tangle.sh --check [CHAPTER.nw ...]  fail, naming files, if generated-src/ differs
#
# Each chapter is tangled on its own. Its roots must be named generated-src/<module>/<file>,
# where the chapter file is book/NN-<module>.nw. A file is written only when its content
# changes, so make rebuilds only what a change touched. The script fails, naming the chapter,
# the line and what to do, on: any error noweb reports; CRLF line endings; a byte that is not
# UTF-8; a tab in a code chunk; a [[quote]] that does not close on its own line; an undefined
# chunk; a chunk that is defined but never used and is not a root; a root outside the
# chapter's module directory; two chapters with the same number NN.
set -euo pipefail
cd "$(dirname "$0")"
NOWEB_LIB=${NOWEB_LIB:-/usr/lib/noweb}

check=false
if [[ ${1:-} == --check ]]; then check=true; shift; fi
chapters=("$@")
if ((${#chapters[@]} == 0)); then chapters=(book/*.nw); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "tangle.sh: $*" >&2; failed=1; }

# module_of book/03-waker.nw -> waker
module_of() { local b; b=$(basename "$1" .nw); echo "${b#*-}"; }

# check_bytes FILE: the chapter's bytes, before noweb reads them; returns 1 on error.
check_bytes() {
    local nw=$1 line ok=0
    line=$(grep -n -m1 $'\r' "$nw" | cut -d: -f1) || true
    if [[ -n $line ]]; then
        fail "$nw:$line: CRLF (Windows) line ending, which would put \\r into generated-src/;" \
             "convert the file with: sed -i 's/\\r\$//' $nw"
        ok=1
    fi
    line=$(LC_ALL=C.UTF-8 grep -naxv -m1 '.*' "$nw" | cut -d: -f1) || true
    if [[ -n $line ]]; then
        fail "$nw:$line: a byte that is not UTF-8; save the chapter as UTF-8" \
             "(for Latin-1 text: iconv -f LATIN1 -t UTF-8)"
        ok=1
    fi
    return $ok
}

# index_chapter MARKUP FILE: reads noweb's markup output (one @nl per source line) and the
# chapter itself; prints "defn LINE NAME" and "use LINE NAME" (tab-separated) for every chunk
# definition and use, and "error LINE MESSAGE" for a tab in code or a quote left open at a
# line's end.
index_chapter() {
    awk -F'\t' -v OFS='\t' '
        NR == FNR {
            if ($0 == "@nl") {
                if (quote && !told[quote]++) print "error", quote, "[[ is not closed on its line: " \
                    "end the quote with ]] on the same line, or write @[[ for a literal [["
                line++
            } else if ($0 ~ /^@begin code/) code = 1
            else if ($0 ~ /^@end code/) code = 0
            else if ($0 == "@quote") quote = line
            else if ($0 == "@endquote") quote = 0
            else if ($0 ~ /^@defn /) print "defn", line, substr($0, 7)
            else if ($0 ~ /^@use /) print "use", line, substr($0, 6)
            if (code && ($0 ~ /^@text / || $0 ~ /^@use /)) in_code[line] = 1
            next
        }
        in_code[FNR] && /\t/ { print "error", FNR, "a tab in a code chunk (noweb expands it to " \
                               "8 columns); indent with spaces" }
    ' line=1 "$1" "$2"
}

# tangle_chapter FILE OUTDIR: writes the chapter's roots below OUTDIR; returns 1 on error.
tangle_chapter() {
    local nw=$1 out=$2 module root errs status ok=0 kind line name
    local -A defined=() used=()
    module=$(module_of "$nw")
    check_bytes "$nw" || return 1
    errs=$("$NOWEB_LIB/markup" "$nw" 2>&1 >"$work/markup") || true
    if [[ -n $errs ]]; then
        fail "$nw: noweb cannot parse the chapter:"; echo "$errs" | sed 's/^/    /' >&2
        return 1
    fi
    while IFS=$'\t' read -r kind line name; do
        case $kind in
            defn) [[ -n ${defined[$name]:-} ]] || defined[$name]=$line ;;
            use) [[ -n ${used[$name]:-} ]] || used[$name]=$line ;;
            error) fail "$nw:$line: $name"; ok=1 ;;
        esac
    done < <(index_chapter "$work/markup" "$nw")
    for name in "${!used[@]}"; do
        [[ -n ${defined[$name]:-} ]] && continue
        fail "$nw:${used[$name]}: undefined chunk <<$name>> is used here; define it with" \
             "<<$name>>= or correct the name"
        ok=1
    done
    ((ok == 0)) || return 1
    while IFS= read -r root; do
        root=${root#<<}; root=${root%>>}
        line=${defined[$root]:-?}
        if [[ $root != generated-src/* ]]; then
            fail "$nw:$line: chunk <<$root>> is defined but never used (a typo in its name or in a use?)"
            ok=1; continue
        fi
        if [[ $root != generated-src/"$module"/* || $root == *' '* ]]; then
            fail "$nw:$line: root <<$root>> is not a file under generated-src/$module/;" \
                 "name it generated-src/$module/<file>"
            ok=1; continue
        fi
        mkdir -p "$out/$(dirname "$root")"
        status=0
        errs=$(notangle -R"$root" "$nw" 2>&1 >"$out/$root") || status=$?
        if ((status != 0)) || [[ -n $errs ]]; then
            fail "$nw:$line: while tangling <<$root>>: $errs"
            ok=1
        fi
    done < <(noroots "$nw" | LC_ALL=C sort)
    # A chapter may be prose only, but a chapter with code must put some of it in a file.
    if [[ ! -d $out/generated-src/$module ]] && grep -q '^<<.*>>=' "$nw"; then
        fail "$nw: the chapter defines no root under generated-src/$module/"; ok=1
    fi
    return $ok
}

# same_number FILE: fails when another chapter in FILE's directory has the same number NN.
same_number() {
    local nw=$1 nn other ok=0
    nn=$(basename "$nw"); nn=${nn%%-*}
    for other in "$(dirname "$nw")/$nn"-*.nw; do
        [[ $other -ef $nw || ! -e $other ]] && continue
        fail "$nw:1: chapter number $nn is also $other's; their chunk labels (${nn}a, ${nn}b, ...)" \
             "would collide: renumber one of them"
        ok=1
    done
    return $ok
}

for nw in "${chapters[@]}"; do
    [[ -f $nw ]] || { fail "$nw: no such chapter"; continue; }
    module=$(module_of "$nw")
    fresh="$work/$module"
    same_number "$nw" || continue
    tangle_chapter "$nw" "$fresh" || continue
    [[ -d $fresh/generated-src/$module || -d generated-src/$module ]] || continue   # prose only
    if $check; then
        if ! diff -rq "$fresh/generated-src/$module" "generated-src/$module" >"$work/diff" 2>&1; then
            fail "generated-src/$module differs from $nw (run ./tangle.sh, never edit generated-src/ by hand):"
            sed 's/^/    /' "$work/diff" >&2
        fi
        continue
    fi
    # Write changed files only; remove files the chapter no longer defines.
    (cd "$fresh" && find generated-src -type f) | while IFS= read -r f; do
        if ! cmp -s "$fresh/$f" "$f"; then
            mkdir -p "$(dirname "$f")"; cp "$fresh/$f" "$f"; echo "tangled $f"
        fi
    done
    find "generated-src/$module" -type f | while IFS= read -r f; do
        [[ -e $fresh/$f ]] || { rm -f "$f"; echo "removed $f (no longer in $nw)"; }
    done
done
# With every chapter given, a module directory that no chapter tangles is drift too.
if $check && (($# == 0)); then
    for d in generated-src/*/; do
        d=${d%/}; d=${d#generated-src/}
        compgen -G "book/*-$d.nw" >/dev/null || fail "generated-src/$d/ is tangled by no chapter (book/NN-$d.nw is missing)"
    done
fi
exit $failed
