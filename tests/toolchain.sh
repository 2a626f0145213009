#!/usr/bin/env bash
# toolchain.sh BUILD_DIR: tests of tangle.sh and the weaver on small chapters made here, in a
# scratch copy of the tools, so the real book is never touched.
set -uo pipefail
b=$(realpath -m "$1"); top=$(pwd)
mkdir -p "$b/test-logs"
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
ok()  { echo "toolchain: ok: $1"; ((passed++)); }
bad() { echo "toolchain: FAILED: $1"; ((failed++)); }

setup() {   # a fresh scratch tree holding one chapter, book/01-demo.nw, read from stdin
    rm -rf "$scratch/t"; mkdir -p "$scratch/t/book"
    cp "$top/tangle.sh" "$scratch/t/"; cat > "$scratch/t/book/01-demo.nw"
}
# expect_failure DESCRIPTION REGEX [ARG...]: tangle.sh must exit non-zero, say REGEX and leave
# the scratch generated-src/ as it was
expect_failure() {
    local out before
    before=$(snapshot)
    if out=$("$scratch/t/tangle.sh" "${@:3}" 2>&1); then bad "$1: tangle.sh succeeded"
    elif ! grep -Eq -- "$2" <<<"$out"; then bad "$1: message was: $out"
    elif [[ $(snapshot) != "$before" ]]; then bad "$1: generated-src/ changed"
    else ok "$1"; fi
}
snapshot() { (cd "$scratch/t" && find generated-src -type f -exec md5sum {} + 2>/dev/null | sort); }

good_chapter='# Demo
<<generated-src/demo/a.c>>=
int demo(void) { <<the answer>> }
@ Prose.
<<the answer>>=
return 42;
@'

setup <<<"$good_chapter"
if out=$("$scratch/t/tangle.sh" 2>&1) && grep -q 'return 42;' "$scratch/t/generated-src/demo/a.c"; then
    ok "a good chapter tangles"
else bad "a good chapter tangles: $out"; fi
out=$("$scratch/t/tangle.sh" 2>&1)
[[ -z $out ]] && ok "tangling again writes nothing" || bad "tangling again wrote: $out"
"$scratch/t/tangle.sh" --check >/dev/null 2>&1 && ok "--check passes when in sync" || bad "--check failed when in sync"
echo '/* edited by hand */' >> "$scratch/t/generated-src/demo/a.c"
expect_failure "--check names a hand-edited file" 'generated-src/demo/a.c' --check
echo 'int stray;' > "$scratch/t/generated-src/demo/stray.c"
expect_failure "--check names a file no chapter defines" 'stray.c' --check

# Bad chapters are named by file and line (the good chapter's lines: 2 the root, 3 the use,
# 4 prose, 5 the inner chunk, 6 its code).
setup <<<"${good_chapter/return 42;/<<the missing part>>}"
expect_failure "an undefined chunk is named by its use's line" \
    'book/01-demo.nw:6: undefined chunk <<the missing part>> is used here'
[[ ! -e $scratch/t/generated-src/demo/a.c ]] && ok "an undefined chunk writes no file" || bad "an undefined chunk wrote a file"

setup <<<"$good_chapter
<<the unused part>>=
int unused;
@"
expect_failure "an unused chunk is named by its definition's line" \
    'book/01-demo.nw:8: chunk <<the unused part>> is defined but never used'

setup <<<"${good_chapter/generated-src\/demo\/a.c/generated-src/dmeo/a.c}"
expect_failure "a misspelt root is named by its line" \
    'book/01-demo.nw:2: root <<generated-src/dmeo/a.c>> is not a file under generated-src/demo/'

setup <<<"${good_chapter/Prose./Prose with a << in it.}"
expect_failure "a noweb syntax error is reported with its line" 'book/01-demo.nw:4:.*unescaped <<'

setup <<<"${good_chapter/return 42;/return 42;$'\r'}"
expect_failure "a CRLF line ending is refused with its line" "book/01-demo.nw:6: CRLF.*sed -i"

setup <<<"${good_chapter/Prose./Prose $'\xe9't$'\xe9'.}"
expect_failure "a byte that is not UTF-8, in prose, is refused with its line" \
    'book/01-demo.nw:4: a byte that is not UTF-8'
setup <<<"${good_chapter/return 42;/return 42; \/* $'\xff' *\/}"
expect_failure "a byte that is not UTF-8, in code, is refused with its line" \
    'book/01-demo.nw:6: a byte that is not UTF-8'

setup <<<"${good_chapter/Prose./Prose about [[demo(),
which]] returns 42.}"
expect_failure "a [[quote]] running past its line is refused" \
    'book/01-demo.nw:4: \[\[ is not closed on its line'
setup <<<"${good_chapter/Prose./Prose about [[demo().}"
expect_failure "a [[quote]] never closed is refused" "book/01-demo.nw:4: open quote .\[\[' never closed"

setup <<<"${good_chapter/return 42;/$'\t'return 42;}"
expect_failure "a tab in a code chunk is refused with its line" 'book/01-demo.nw:6: a tab in a code chunk'
setup <<<"${good_chapter/Prose./Prose$'\t'with a tab.}"
"$scratch/t/tangle.sh" >/dev/null 2>&1 && ok "a tab in prose is accepted" || bad "a tab in prose is refused"

setup <<<"$good_chapter"
sed 's/demo/other/g; s/the answer/the other answer/g' "$scratch/t/book/01-demo.nw" > "$scratch/t/book/01-other.nw"
expect_failure "two chapters with one number are refused" \
    'book/01-demo.nw:1: chapter number 01 is also book/01-other.nw.s.*renumber'

# The weaver: titles, anchors and links, and a chunk name defined in two chapters.
setup <<<"$good_chapter"
md=$(/usr/lib/noweb/markup "$scratch/t/book/01-demo.nw" | awk -f "$top/weave/nw2md.awk")
grep -qF '[**⟨the answer\ 1b⟩≡**]{#chunk-the-answer .chunk-title}' <<<"$md" && ok "weave: title and anchor" || bad "weave: title and anchor: $md"
grep -q 'Used in \[⟨generated\\-src/demo/a.c\\ 1a⟩\](#chunk-generated-src-demo-a-c)' <<<"$md" && ok "weave: used-in link" || bad "weave: used-in link"
grep -q 'return 42;' <<<"$md" && ok "weave: the code is shown" || bad "weave: the code is shown"
grep -qF '01\-demo.nw:5 → generated\-src/demo/a.c]{.chunk-where}' <<<"$md" \
    && ok "weave: a chunk title names its chapter line and tangled file" || bad "weave: chunk's line and file: $md"
grep -qF '| [⟨the answer⟩](#chunk-the-answer): **[1b](#chunk-the-answer)' <<<"$md" \
    && ok "weave: the chunk index lists a chunk" || bad "weave: the chunk index: $md"
printf 'Prose before the title.\n\n# Late {#ch-late}\n' > "$scratch/t/book/03-late.nw"
if out=$(/usr/lib/noweb/markup "$scratch/t/book/03-late.nw" | awk -f "$top/weave/nw2md.awk" 2>&1 >/dev/null); then
    bad "weave: a chapter that does not open with its title is accepted"
else
    grep -q 'must open with its title' <<<"$out" && ok "weave: a chapter must open with its title" || bad "weave: $out"
fi
cp "$scratch/t/book/01-demo.nw" "$scratch/t/book/02-again.nw"
if out=$(/usr/lib/noweb/markup "$scratch"/t/book/0[12]-*.nw | awk -f "$top/weave/nw2md.awk" 2>&1 >/dev/null); then
    bad "weave: a chunk defined in two chapters is accepted"
else
    grep -q 'also defined in' <<<"$out" && ok "weave: a chunk defined in two chapters is refused" || bad "weave: $out"
fi

# The static checks: a planted read past an array's end fails them, and so does a suppression without a
# reason; the same suppression with its reason passes.
static_tree() {   # a scratch tree holding tests/static.sh, .clang-tidy and one file, from stdin
    rm -rf "$scratch/s"; mkdir -p "$scratch/s/tests" "$scratch/s/generated-src/demo"
    cp "$top/tests/static.sh" "$scratch/s/tests/"; cp "$top/.clang-tidy" "$scratch/s/"
    cat > "$scratch/s/generated-src/demo/a.c"
}
planted='int demo_past_the_end(int n) {
    const int a[4] = {n, n, n, n};
    return a[4];
}'
static_tree <<<"$planted"
out=$("$scratch/s/tests/static.sh" "$scratch/sb" 2>&1) && bad "static: a read past the end passes" ||
    { grep -q 'clang-tidy: 0 passed, 1 failed' <<<"$out" && grep -q 'cppcheck: 0 passed, 1 failed' <<<"$out" &&
      ok "static: a read past the end fails clang-tidy and cppcheck" || bad "static: $out"; }
static_tree <<<"${planted/    return a\[4\];/    /* cppcheck-suppress arrayIndexOutOfBounds */
    return a[4];   /* NOLINT */}"
out=$("$scratch/s/tests/static.sh" "$scratch/sb" 2>&1) && bad "static: suppressions without a reason pass" ||
    { grep -q 'suppressions: 0 passed, 2 failed' <<<"$out" && ok "static: a suppression without a reason fails" ||
      bad "static: $out"; }
static_tree <<<"${planted/    return a\[4\];/    /* cppcheck-suppress arrayIndexOutOfBounds ; planted for this test */
    /* NOLINTNEXTLINE(clang-diagnostic-array-bounds,clang-analyzer-core.uninitialized.UndefReturn): planted */
    return a[4];}"
out=$("$scratch/s/tests/static.sh" "$scratch/sb" 2>&1) && ok "static: a suppression with its reason passes" ||
    bad "static: $out"

# The answers rule (tests/check-answers.sh) on a scratch book: every exercise has a difficulty
# line and an answer, every answer an exercise, and the chapters not answered yet are skipped.
answers_book() {   # answers_book ANSWERS: a scratch book with two exercises and those answers
    rm -rf "$scratch/a"; mkdir -p "$scratch/a"
    printf '%s\n' '# Demo {#ch-demo}' '' '## Exercises' '' \
        '1. []{#exercise-demo-1}*Difficulty 1 · needs [Demo](#ch-demo) · [answer](#answer-demo-1)*\' '   Do one thing.' \
        '2. []{#exercise-demo-2}*Difficulty 3 · needs [Demo](#ch-demo) · [answer](#answer-demo-2)*\' '   Do another.' \
        '' '## Further reading' > "$scratch/a/01-demo.nw"
    printf '%s\n' '# Answers {#ch-answers .unnumbered}' "$@" > "$scratch/a/95-answers.nw"
}
# expect_answers DESCRIPTION REGEX: check-answers.sh must fail on the scratch book, saying REGEX
expect_answers() {
    local out
    if out=$(NOT_ANSWERED_YET="${NOT_YET:-}" "$top/tests/check-answers.sh" "$scratch/a" 2>&1); then
        bad "$1: check-answers.sh passed"
    elif grep -Eq -- "$2" <<<"$out"; then ok "$1"
    else bad "$1: message was: $out"; fi
}
answers_book '### One {#answer-demo-1 .unnumbered}' '### Two {#answer-demo-2 .unnumbered}'
NOT_ANSWERED_YET="" tests/check-answers.sh "$scratch/a" >/dev/null 2>&1 \
    && ok "answers: a book with every answer passes" || bad "answers: a book with every answer fails"
answers_book '### One {#answer-demo-1 .unnumbered}'
expect_answers "answers: an exercise without an answer is named with file and line" \
    '/a/01-demo.nw:7: exercise 2 has no answer: add a heading ### \.\.\. \{#answer-demo-2'
sed -i 's/\*Difficulty 1 · /*/' "$scratch/a/01-demo.nw"
expect_answers "answers: an exercise without a difficulty is refused" \
    '01-demo.nw:5: exercise 1 must begin with the line \[\]\{#exercise-demo-1\}\*Difficulty D'
answers_book '### One {#answer-demo-1 .unnumbered}' '### Two {#answer-demo-2 .unnumbered}'
sed -i 's/{#exercise-demo-2}/{#exercise-demo-1}/' "$scratch/a/01-demo.nw"
expect_answers "answers: an exercise with another's anchor is refused" \
    '01-demo.nw:7: exercise 2 has the wrong anchor or answer link'
answers_book '### One {#answer-demo-1 .unnumbered}' '### Two {#answer-demo-2 .unnumbered}' \
    '### Three {#answer-demo-3 .unnumbered}'
expect_answers "answers: an answer without an exercise is refused" '95-answers.nw:4: answer answer-demo-3 answers no exercise'
answers_book
NOT_ANSWERED_YET="demo" tests/check-answers.sh "$scratch/a" >/dev/null 2>&1 \
    && bad "answers: a book with no exercise to check passes" || ok "answers: a book with no exercise to check fails"
answers_book '### One {#answer-demo-1 .unnumbered}' '### Two {#answer-demo-2 .unnumbered}'
printf '%s\n' '# Later {#ch-later}' '## Exercises' '1. Not answered yet.' > "$scratch/a/02-later.nw"
expect_answers "answers: a chapter not listed as not answered yet is checked" '02-later.nw:3: exercise 1'
NOT_ANSWERED_YET="later" tests/check-answers.sh "$scratch/a" >/dev/null 2>&1 \
    && ok "answers: a chapter listed as not answered yet is skipped" \
    || bad "answers: a chapter listed as not answered yet is checked"

# weave/answers.lua: an answer folds in HTML; a link to an answer gives its page in LaTeX.
md=$'See [answer](#answer-demo-1).\n\n### One {#answer-demo-1}\n\n::: {.answer}\nSecret.\n:::'
html=$(pandoc --from=markdown --to=html5 --lua-filter="$top/weave/answers.lua" <<<"$md")
grep -qzE '<details class="answer"><summary>Show the answer</summary>.*Secret.*</details>' <<<"$html" \
    && ok "weave: an answer is folded in HTML" || bad "weave: an answer is folded in HTML: $html"
tex=$(pandoc --from=markdown --to=latex --lua-filter="$top/weave/answers.lua" <<<"$md")
grep -qF '(p.~\pageref{answer-demo-1})' <<<"$tex" && grep -qF '\label{answer-demo-1}' <<<"$tex" \
    && ok "weave: a link to an answer gives its page in the PDF" || bad "weave: answer page: $tex"
tex=$(pandoc --from=markdown --to=latex --lua-filter="$top/weave/answers.lua" \
      <<<$'1. []{#exercise-demo-1}Do it.\n\n[Back to the exercise](#exercise-demo-1)')
grep -qF '\label{exercise-demo-1}' <<<"$tex" && grep -qF '(p.~\pageref{exercise-demo-1})' <<<"$tex" \
    && ok "weave: the way back to an exercise gives its page in the PDF" || bad "weave: exercise page: $tex"

echo "toolchain: $passed passed, $failed failed" | tee "$b/test-logs/toolchain.log"
((failed == 0))
