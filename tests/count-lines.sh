#!/usr/bin/env bash
# count-lines.sh FILE...: counts the lines of C that hold code, the way the future chapter's
# "200 lines" is counted: a line counts unless it is blank or holds nothing but comments.
# Prints one line per file and a total, like wc -l. String and character literals are
# understood, so "/*" inside a string does not start a comment.
set -euo pipefail
if (($# == 0)); then
    echo "usage: tests/count-lines.sh FILE..." >&2
    exit 2
fi
for f in "$@"; do
    [[ -r $f ]] || { echo "count-lines.sh: $f: cannot read it" >&2; exit 1; }
done
total=0
for f in "$@"; do
    n=$(awk '
    {
        code = 0; i = 1; len = length($0); quote = ""
        while (i <= len) {
            c = substr($0, i, 1); two = substr($0, i, 2)
            if (incomment) {
                if (two == "*/") { incomment = 0; i += 2 } else i++
            } else if (quote != "") {
                if (c == "\\") i += 2
                else { if (c == quote) quote = ""; i++ }
            } else if (two == "/*") { incomment = 1; i += 2
            } else if (two == "//") { break
            } else {
                if (c == "\"" || c == "\047") quote = c
                if (c !~ /[ \t\r\f\v]/) code = 1
                i++
            }
        }
        if (code) count++
    }
    END { print count + 0 }
    ' "$f")
    printf '%5d %s\n' "$n" "$f"
    total=$((total + n))
done
printf '%5d total\n' "$total"
