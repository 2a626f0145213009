#!/usr/bin/env bash
# book-lines.sh BUILD_DIR COMPILER...: the build's messages point into the book. In scratch
# trees holding copies of build.mk, the tangling scripts and a chapter, it checks that
#   - a type error in a chunk, or in a header's chunk, fails the build naming the chapter's
#     file and the line of the error, with every COMPILER;
#   - AddressSanitizer reports a use after free with chapter lines in all three of its stacks
#     (clang's symbolizer puts the build's directory in front: /path/to/repo/book/NN-x.nw:LINE);
#   - gdb stops at a breakpoint given as a chapter line, and `list` shows the chapter;
#   - weave/where.sh turns a chapter line into the label and the anchor the weaver prints, and
#     prints what the preface shows it printing.
set -uo pipefail
b=$(realpath -m "$1"); shift
compilers=("$@")
top=$(pwd)
mkdir -p "$b/test-logs"
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
ok()  { echo "book-lines: ok: $1"; passed=$((passed + 1)); }
bad() { echo "book-lines: FAILED: $1"; failed=$((failed + 1)); }

# tree NAME: a scratch tree $scratch/NAME with the build's own tools and no chapter yet
tree() {
    local t=$scratch/$1
    mkdir -p "$t/book" "$t/weave"
    cp "$top/build.mk" "$top/tangle.sh" "$top/tangle-lines.sh" "$t/"
    cp "$top/weave/where.sh" "$top/weave/nw2md.awk" "$t/weave/"
    echo "$t"
}
# line_of FILE FIXED-STRING: the number of the first line of FILE that contains the string
line_of() { grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1; }
# build TREE CC MODULE [make arguments]: tangle and compile the tree's chapter, quietly
build() {
    (cd "$1" && ./tangle.sh >/dev/null && make -s -f build.mk B=build CC="$2" ONLY="$3" "${@:4}" code 2>&1)
}

# ---- 1. A type error, in a chunk of a .c file and in a header's chunk, names the chapter ----
# The scratch chapter is a copy of the preface with one wrong line added after a given line.
type_error() {   # DESCRIPTION AFTER-LINE WRONG-LINE
    local cc t at out
    for cc in "${compilers[@]}"; do
        t=$(tree "type-$cc-${1// /-}")
        cp "$top/book/00-preface.nw" "$t/book/"
        at=$(line_of "$t/book/00-preface.nw" "$2")
        sed -i "${at}a\\$3" "$t/book/00-preface.nw"
        if out=$(build "$t" "$cc" preface); then
            bad "$1, $cc: the build succeeded"
        elif grep -Eq "^book/00-preface\.nw:$((at + 1)):[0-9]+: error:" <<<"$out"; then
            ok "$1, $cc: book/00-preface.nw:$((at + 1)) is named"
        else
            bad "$1, $cc: book/00-preface.nw:$((at + 1)) is not named:"; sed 's/^/    /' <<<"$out"
        fi
    done
}
type_error "type error in a chunk" '<<poll the countdown once and report>>=' \
    'struct countdown wrong = round;'
type_error "type error in a header" 'enum countdown_status countdown_poll(struct countdown *c);' \
    'static inline int countdown_left(struct countdown c) { return c; }'

# ---- 2. AddressSanitizer names chapter lines, in a .c chunk and in a header's inline function ----
uaf_chapter='# Use after free
A helper reads an int; the program frees the int first.
<<generated-src/uaf/uaf.h>>=
static inline int uaf_peek(const int *p)
{
    return *p;
}
@ The program.
<<generated-src/uaf/main.c>>=
#include <stdlib.h>
#include "uaf/uaf.h"
<<uaf steps>>
/* through a volatile pointer, so that gcc cannot see the free and the sanitizer must */
static void (*volatile uaf_free)(void *) = free;
int main(void)
{
    int *p = uaf_new();
    uaf_free(p);
    return uaf_peek(p);
}
@ It allocates the int in a chunk of its own.
<<uaf steps>>=
static int *uaf_new(void)
{
    int *p = malloc(sizeof *p);
    if (p == NULL) exit(1);
@ and continues it here.
<<uaf steps>>=
    *p = 7;
    return p;
}
@'
t=$(tree asan)
printf '%s\n' "$uaf_chapter" > "$t/book/01-uaf.nw"
nw=$t/book/01-uaf.nw
read_at=$(line_of "$nw" 'return *p;'); free_at=$(line_of "$nw" 'uaf_free(p);')
alloc_at=$(line_of "$nw" 'malloc(sizeof *p)')
# built as check's sanitizer build is, with its compiler and flags
asan_cc=${compilers[0]}; [[ " ${compilers[*]} " == *" clang "* ]] && asan_cc=clang
if out=$(build "$t" "$asan_cc" uaf B=build/asan SAN_FLAGS='$(SAN_FLAGS_asan)'); then
    report=$(ASAN_OPTIONS=detect_leaks=0 "$t/build/asan/uaf" 2>&1)
    if grep -q 'heap-use-after-free' <<<"$report" &&
            grep -Eq " in uaf_peek ($t/)?book/01-uaf\.nw:$read_at(:|\$)" <<<"$report" &&
            grep -Eq " in main ($t/)?book/01-uaf\.nw:$free_at(:|\$)" <<<"$report" &&
            grep -Eq " in uaf_new ($t/)?book/01-uaf\.nw:$alloc_at(:|\$)" <<<"$report"; then
        ok "ASan names book/01-uaf.nw:$read_at (read), :$free_at (free), :$alloc_at (malloc)"
    else
        bad "ASan's report does not name the chapter's lines:"; sed 's/^/    /' <<<"$report"
    fi
else
    bad "the use-after-free program did not build under ASan:"; sed 's/^/    /' <<<"$out"
fi

# ---- 3. gdb stops at a chapter line and lists the chapter ----
t=$(tree gdb)
cp "$top/book/00-preface.nw" "$t/book/"
stop_at=$(line_of "$t/book/00-preface.nw" 'printf("poll %d: pending')
if out=$(build "$t" "${compilers[0]}" preface); then
    session=$(cd "$t" && timeout 60 gdb -q -batch -ex "break book/00-preface.nw:$stop_at" \
        -ex run -ex list --args build/preface 2 2>&1 </dev/null)
    if grep -q "^Breakpoint 1, main .* at book/00-preface\.nw:$stop_at\$" <<<"$session" &&
            grep -q '<<poll the countdown once and report>>=' <<<"$session"; then
        ok "gdb stops at book/00-preface.nw:$stop_at and lists the chapter"
    else
        bad "gdb did not stop at book/00-preface.nw:$stop_at or list the chapter:"
        sed 's/^/    /' <<<"$session"
    fi
else
    bad "the preface did not build for gdb:"; sed 's/^/    /' <<<"$out"
fi

# ---- 4. where.sh: from a chapter line to the label and the anchor the weaver prints ----
t=$scratch/asan
md=$(cd "$t" && /usr/lib/noweb/markup book/01-uaf.nw | awk -f weave/nw2md.awk)
where() { (cd "$t" && B=build weave/where.sh "$@" 2>&1); }
out=$(where "book/01-uaf.nw:$((alloc_at + 4)):5: error: as a compiler says it")
anchor=$(sed -n 's|^build/book.html#||p' <<<"$out")
if grep -qx "book/01-uaf.nw:$((alloc_at + 4)) is line 1 of 1d ⟨uaf steps⟩" <<<"$out" &&
        [[ $anchor == chunk-uaf-steps-2 ]] &&
        grep -qF "[**⟨uaf steps\\ 1d⟩+≡**]{#$anchor .chunk-title}" <<<"$md"; then
    ok "where.sh names 1d ⟨uaf steps⟩, a continuation, with the weaver's label and anchor"
else
    bad "where.sh and the weaver disagree: $out"
fi
out=$(where "==1== by 0x10: main (01-uaf.nw:$((alloc_at + 4)))")
grep -q "is line 1 of 1d ⟨uaf steps⟩" <<<"$out" && ok "where.sh takes valgrind's file name alone" ||
    bad "where.sh, on a valgrind frame: $out"
mkdir -p "$t/build/site"; echo "<h1>x</h1><div id=\"$anchor\">" > "$t/build/site/uaf.html"
grep -qx "build/site/uaf.html#$anchor" <<<"$(where "book/01-uaf.nw:$((alloc_at + 4))")" &&
    ok "where.sh finds the site page that holds the anchor" || bad "where.sh misses the site page"
if out=$(where book/01-uaf.nw:1); then bad "where.sh accepts a prose line: $out"
elif grep -q 'book/01-uaf.nw:1 is prose, not code' <<<"$out"; then ok "where.sh refuses a prose line"
else bad "where.sh, on a prose line: $out"; fi
if out=$(where nothing); then bad "where.sh accepts no chapter line: $out"
elif grep -q 'give a chapter line' <<<"$out"; then ok "where.sh says what it wants"
else bad "where.sh, on no chapter line: $out"; fi
# the preface's example prints what where.sh prints (a stale line number fails here)
example=$(sed -n '/^\$ weave\/where.sh /,/^```$/p' "$top/book/00-preface.nw" | sed '$d')
at=$(head -n 1 <<<"$example" | sed 's/^\$ weave\/where.sh //')
if [[ -n $at ]] && [[ $(tail -n +2 <<<"$example") == "$(cd "$top" && B=build weave/where.sh "$at")" ]]; then
    ok "the preface's example of where.sh is what it prints"
else
    bad "the preface's example of where.sh ($at) is out of date; it prints:"
    (cd "$top" && B=build weave/where.sh "$at" 2>&1 | sed 's/^/    /')
fi

echo "book-lines: $passed passed, $failed failed" | tee "$b/test-logs/book-lines.log"
((failed == 0))
