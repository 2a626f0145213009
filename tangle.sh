#!/usr/bin/env bash
# tangle.sh: write the C sources the book defines into generated-src/.
#
#   ./tangle.sh [CHAPTER.nw ...]          tangle (default: every book/*.nw)
#   ./tangle.sh --check [CHAPTER.nw ...]  fail, naming files, if generated-src/ differs
#
# Each chapter is tangled on its own. Its roots must be named generated-src/<module>/<file>,
# where the chapter file is book/NN-<module>.nw. A file is written only when its content
# changes, so make rebuilds only what a change touched. The script fails, naming the chapter
# and the chunk, on: any error noweb reports, an undefined chunk, a chunk that is defined but
# never used and is not a root, a root outside the chapter's module directory.
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

# tangle_chapter FILE OUTDIR: writes the chapter's roots below OUTDIR; returns 1 on error.
tangle_chapter() {
    local nw=$1 out=$2 module root errs status ok=0
    module=$(module_of "$nw")
    errs=$("$NOWEB_LIB/markup" "$nw" 2>&1 >/dev/null) || true
    if [[ -n $errs ]]; then
        fail "$nw: noweb cannot parse the chapter:"; echo "$errs" | sed 's/^/    /' >&2
        return 1
    fi
    while IFS= read -r root; do
        root=${root#<<}; root=${root%>>}
        if [[ $root != generated-src/* ]]; then
            fail "$nw: chunk <<$root>> is defined but never used (a typo in its name or in a use?)"
            ok=1; continue
        fi
        if [[ $root != generated-src/"$module"/* || $root == *' '* ]]; then
            fail "$nw: root <<$root>> is not a file under generated-src/$module/"
            ok=1; continue
        fi
        mkdir -p "$out/$(dirname "$root")"
        status=0
        errs=$(notangle -R"$root" "$nw" 2>&1 >"$out/$root") || status=$?
        if ((status != 0)) || [[ -n $errs ]]; then
            errs=${errs//undefined chunk name: /undefined chunk }
            fail "$nw: while tangling <<$root>>: $errs"
            ok=1
        fi
    done < <(noroots "$nw" | LC_ALL=C sort)
    # A chapter may be prose only, but a chapter with code must put some of it in a file.
    if [[ ! -d $out/generated-src/$module ]] && grep -q '^<<.*>>=' "$nw"; then
        fail "$nw: the chapter defines no root under generated-src/$module/"; ok=1
    fi
    return $ok
}

for nw in "${chapters[@]}"; do
    [[ -f $nw ]] || { fail "$nw: no such chapter"; continue; }
    module=$(module_of "$nw")
    fresh="$work/$module"
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
