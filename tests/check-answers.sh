#!/usr/bin/env bash
# check-answers.sh BOOK_DIR: every exercise N in every chapter BOOK_DIR/NN-MODULE.nw begins
# with the line
#     []{#exercise-MODULE-N}*Difficulty D · needs [Section](#section-id) · [answer](#answer-MODULE-N)*\
# (D from 1 to 3, one or more sections), and BOOK_DIR/95-answers.nw holds a heading with the id
# answer-MODULE-N. Every answer there belongs to an exercise. Fails naming file and line.
set -euo pipefail

# Chapters (modules) whose exercises have no answers yet: their exercises are not checked.
# Take a chapter off this list when its answers are in book/95-answers.nw. (The toolchain
# test sets the variable in the environment to try the rule on a scratch book.)
NOT_ANSWERED_YET=${NOT_ANSWERED_YET-""}

dir=${1:?usage: check-answers.sh BOOK_DIR}
answers=$dir/95-answers.nw
[[ -f $answers ]] || { echo "answers: $answers is missing; the answers appendix lives there" >&2; exit 1; }
chapters=()
for nw in "$dir"/[0-8]*.nw; do
    module=$(basename "$nw" .nw); module=${module#*-}
    [[ " $NOT_ANSWERED_YET " == *" $module "* ]] || chapters+=("$nw")
done

awk -v answers="$answers" -v skipped="$NOT_ANSWERED_YET" '
function module_of(path,   m) { m = path; sub(/.*\//, "", m); sub(/\.nw$/, "", m); sub(/^[0-9]+-/, "", m); return m }
function problem(where, what) { print where ": " what > "/dev/stderr"; bad++ }
# Checks the exercise collected so far (its first line, number and place).
function close_item() {
    if (item == "") return
    id = "answer-" module "-" number
    line = "[]{#exercise-" module "-" number "}*Difficulty D · needs [Section](#section-id) · [answer](#" id ")*\\"
    if (first !~ /^\[\]\{#exercise-[a-z_]+-[0-9]+\}\*Difficulty [1-3] · needs \[[^]]+\]\(#[^)]+\).* · \[answer\]\(#answer-[a-z_]+-[0-9]+\)\*\\$/)
        problem(where, "exercise " number " must begin with the line " line " (D from 1 to 3, then its text on the next line)")
    else if (index(first, "(#" id ")") == 0 || index(first, "{#exercise-" module "-" number "}") != 3)
        problem(where, "exercise " number " has the wrong anchor or answer link; its line is " line)
    else if (!(id in defined))
        problem(where, "exercise " number " has no answer: add a heading ### ... {#" id " .unnumbered} with its answer to " answers)
    else { exercises[id] = 1; good++ }
    checked++; item = ""
}
FNR == 1 && FILENAME == answers { reading_answers = 1 }
FNR == 1 && FILENAME != answers { close_item(); reading_answers = 0; in_ex = 0; module = module_of(FILENAME) }
reading_answers {
    while (match($0, /\{#answer-[a-z_]+-[0-9]+[ }]/)) {
        a = substr($0, RSTART + 2, RLENGTH - 3); defined[a] = 1; answer_line[a] = FILENAME ":" FNR
        $0 = substr($0, RSTART + RLENGTH)
    }
    next
}
/^##? / { close_item(); in_ex = ($0 ~ /^## Exercises/) ; next }
in_ex && /^[0-9]+\. / { close_item(); item = $0; number = $0; sub(/\..*/, "", number)
                        first = substr($0, index($0, " ") + 1); where = FILENAME ":" FNR; next }
END {
    close_item()
    for (a in defined) {
        m = a; sub(/^answer-/, "", m); sub(/-[0-9]+$/, "", m)
        if (!(a in exercises) && index(" " skipped " ", " " m " ") == 0)
            problem(answer_line[a], "answer " a " answers no exercise (renumbered or removed?)")
    }
    if (checked == 0) problem(answers, "no exercise found: is the book directory right?")
    printf "answers: %d passed, %d failed\n", good, bad
    exit bad > 0
}' "$answers" "${chapters[@]}"
