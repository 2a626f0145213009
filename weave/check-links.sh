#!/usr/bin/env bash
# check-links.sh BOOK.html: every in-page link (href="#x") must name an id that exists.
set -euo pipefail
html=$1
ids=$(grep -o ' id="[^"]*"' "$html" | sed 's/^ id="//; s/"$//' | sort -u)
hrefs=$(grep -o 'href="#[^"]*"' "$html" | sed 's/^href="#//; s/"$//' | sort -u)
dupes=$(grep -o ' id="[^"]*"' "$html" | sort | uniq -d)
broken=$(comm -13 <(echo "$ids") <(echo "$hrefs"))
if [[ -n $broken || -n $dupes ]]; then
    [[ -z $broken ]] || { echo "links: $html links to anchors that do not exist:"; echo "$broken" | sed 's/^/    #/'; }
    [[ -z $dupes ]] || { echo "links: $html defines an id twice:"; echo "$dupes" | sed 's/^/    /'; }
    exit 1
fi
echo "links: all $(echo "$hrefs" | grep -c .) in-page link targets exist in $html"
