#!/usr/bin/env bash
# check-overfull.sh LATEX_LOG: fail when a line of code runs past the PDF's margin. header.tex
# sets each code line in a box as wide as the text, so a longer line is reported by TeX as
# "Overfull \hbox (Xpt too wide) detected at line N", followed by the box's text. Prose
# reports "in paragraph" instead, and other boxes (the table of contents) are set in another
# font: a box whose text starts in the mono font is code. Each line is named once.
set -euo pipefail
awk '
    /^Overfull \\hbox \(.* too wide\) detected at line [0-9]+$/ {
        width = $3; sub(/^\(/, "", width); at = $NF; getline text
        if (text ~ /^ ?(\[\])*\\TU\/[A-Za-z]*Mono/ && !(at in seen)) {
            seen[at] = 1
            for (i = 0; i < 3 && (getline more) > 0 && more !~ /^$|^(Over|Under)full/; i++) text = text more
            gsub(/\\TU\/[^ ]* |\[\]/, "", text); report[++n] = width " too wide: " substr(text, 1, 90)
        }
    }
    END {
        if (n == 0) { print "pdf: no code line runs past the margin"; exit 0 }
        print "pdf: " n " code line(s) run past the margin of the PDF; shorten them to 100 columns:"
        for (i = 1; i <= n; i++) print "    " report[i]
        exit 1
    }' "$1"
