# nw2md.awk: noweb's pipeline format (from `markup`) -> pandoc Markdown for the whole book.
#
# Input: `markup book/00-x.nw book/01-y.nw ...` (one @file per chapter). Output: one Markdown
# document. Prose passes through; [[quoted code]] becomes inline code; each code chunk becomes
#   [⟨name 3b⟩≡]{#chunk-name}   (+≡ for a continuation), then where it lives: the chapter file
#   and line of its <<name>>= (markup keeps one @nl per source line) and the file it tangles to
#   a fenced, highlighted code block, uses shown as ⟨name 3c⟩
#   a line of links: continues, continued in, uses, used in, tangled to generated-src/...
# The book ends with two indexes: identifiers {#identifier-index} and chunks {#chunk-index}.
# In the PDF every chunk reference also gives the page it points to.
# Chunk labels are the chapter number (the file's NN- prefix) and a letter per chunk (a..z, aa, ab, ...). Anchors
# depend only on the chunk's name and the definition's rank, so they are stable across edits.
# Chunk names are per chapter (each chapter is tangled on its own); a name defined in two
# chapters is an error, so that every anchor is unique in the book.

function fail(msg) { print "nw2md: " msg > "/dev/stderr"; failed = 1 }

function slug(s,    t) {
    t = tolower(s); gsub(/[^a-z0-9]+/, "-", t); gsub(/^-+|-+$/, "", t); return t
}

function letters(n,    s) {   # 1 -> a, 26 -> z, 27 -> aa
    s = ""
    while (n > 0) { n--; s = substr("abcdefghijklmnopqrstuvwxyz", n % 26 + 1, 1) s; n = int(n / 26) }
    return s
}

function md_escape(s) {       # make any text literal in pandoc Markdown
    gsub(/[][\\`*_{}<>#+!|~^$@"-]/, "\\\\&", s); return s
}

function code_span(s,    ticks) {
    ticks = (index(s, "`") ? "``" : "`")
    return ticks (substr(s, 1, 1) == "`" ? " " : "") s (substr(s, length(s), 1) == "`" ? " " : "") ticks
}

function page_ref(k) { return "`\\,{\\scriptsize p.\\pageref{" anchor[k] "}}`{=latex}" }

function ref(k) { return "[" labels[k] "](#" anchor[k] ")" page_ref(k) }

function named_ref(k) { return "[⟨" md_escape(name[k]) "\\ " labels[k] "⟩](#" anchor[k] ")" page_ref(k) }

# Roots reached from chunk name n by following "used in" upwards (the files it lands in).
function find_roots(n, depth,    i, p, r) {
    if (depth > 50) return ""
    if (!(n in users) || users[n] == "") return n
    r = ""
    for (i = 1; i <= nusers[n]; i++) {
        p = name[userdef[n, i]]
        r = r " " find_roots(p, depth + 1)
    }
    return r
}

BEGIN {
    chapter = -1; nchunks = 0; nout = 0; failed = 0
    # LaTeX: what follows goes to the right margin, on the title's line or, if too long, the next
    right_flush = "\\unskip\\nobreak\\hfil\\penalty50\\hskip1em\\hbox{}\\nobreak\\hfil"
}

# Every chapter file opens with a level-1 heading, `# Title {#ch-name}`: the website makes a page
# of each such heading, named after its id, so text before it would land on the previous page.
function check_opening() {
    if (file != "" && !opened)
        fail(file ": a chapter must open with its title, a level-1 heading such as # Title {#ch-name}")
}

$1 == "@file" {
    check_opening(); opening_seen = 0; opened = 0
    file = $2; base = file; sub(/.*\//, "", base)
    # the chapter number is the file's NN prefix (book/03-waker.nw is chapter 3)
    chapter = base; sub(/-.*/, "", chapter); chapter = (chapter ~ /^[0-9]+$/) ? chapter + 0 : ++unnumbered
    chunk_in_chapter = 0; line = 1
    out[++nout] = "\n\n"          # a chapter never runs into the one before it
    next
}
$1 == "@begin" && $2 == "docs" { mode = "docs"; next }
$1 == "@begin" && $2 == "code" {
    opening_seen = 1
    mode = "code"; k = ++nchunks; chunk_in_chapter++
    labels[k] = chapter letters(chunk_in_chapter); chap[k] = chapter; src[k] = file; defline[k] = line
    code[k] = ""; nuses[k] = 0
    out[++nout] = "\001" k          # placeholder: the chunk is rendered at the end
    next
}
$1 == "@end" { mode = ""; next }
$1 == "@defn" {
    n = substr($0, 7); name[k] = n
    if ((n in deffile) && deffile[n] != file)
        fail(file ": chunk <<" n ">> is also defined in " deffile[n] "; chunk names must be unique in the book")
    deffile[n] = file
    rank[k] = ++ndefs[n]; defs[n, rank[k]] = k
    anchor[k] = "chunk-" slug(n) (rank[k] > 1 ? "-" rank[k] : "")
    next
}
$1 == "@nl" {
    line++
    if (mode == "code") { if (seen_defn_nl[k]++) code[k] = code[k] "\n" }
    else out[++nout] = "\n"
    next
}
$1 == "@text" {
    t = substr($0, 7)
    if (!opening_seen && mode == "docs" && t ~ /[^ \t]/) { opening_seen = 1; opened = (t ~ /^ *# /) }
    if (mode == "code") code[k] = code[k] t
    else if (quoting) quote_text = quote_text t
    else out[++nout] = t
    next
}
$1 == "@quote" { quoting = 1; quote_text = ""; next }
$1 == "@endquote" { quoting = 0; out[++nout] = code_span(quote_text); next }
$1 == "@use" {
    u = substr($0, 6)
    if (mode == "code") {
        code[k] = code[k] "\002" u "\003"
        uses[k, ++nuses[k]] = u
        if (!((u, k) in usedby)) { usedby[u, k] = 1; userdef[u, ++nusers[u]] = k; users[u] = users[u] " " k }
    } else if (quoting) quote_text = quote_text "⟨" u "⟩"
    else out[++nout] = "⟨" md_escape(u) "⟩"
    next
}
{ next }   # @index, @xref, @language and the like carry nothing we print

function render(k,    n, c, s, i, j, u, lang, roots, nr, rl, seen, nseen, parts, rl_out, where) {
    n = name[k]
    roots = find_roots(n, 0); nr = split(roots, rl, " ")
    # where it lives: book/NN-x.nw:LINE and the file(s) it tangles to
    split("", seen); where = src[k] ":" defline[k]
    nseen = 0
    for (i = 1; i <= nr; i++) if (rl[i] != "" && !(rl[i] in seen)) { seen[rl[i]] = 1; where = where (nseen++ ? ", " : " → ") rl[i] }
    # in the PDF, a title never ends a page: it moves to the next one with its code
    s = "\n::: {.chunk}\n```{=latex}\n\\needspace{6\\baselineskip}\n```\n\n[**⟨" md_escape(n) "\\ " labels[k] "⟩" \
        (rank[k] > 1 ? "+≡" : "≡") "**]{#" anchor[k] " .chunk-title}`\\label{" anchor[k] "}" right_flush "{\\scriptsize `{=latex}" \
        " [" md_escape(where) "]{.chunk-where}`}{\\parfillskip=0pt\\par}`{=latex}\n\n"
    # the code, with each use shown as ⟨name label⟩
    c = code[k]
    while ((i = index(c, "\002")) > 0) {
        j = index(c, "\003"); u = substr(c, i + 1, j - i - 1)
        c = substr(c, 1, i - 1) "⟨" u " " ((u, 1) in defs ? labels[defs[u, 1]] : "??") "⟩" substr(c, j + 1)
    }
    sub(/\n+$/, "", c)
    lang = "c"
    for (i = 1; i <= nr; i++) {
        if (rl[i] ~ /\.(sh|bash)$/) lang = "bash"
        else if (rl[i] ~ /(Makefile|\.mk)$/) lang = "makefile"
        else if (rl[i] ~ /\.rs$/) lang = "rust"
        else if (rl[i] ~ /\.toml$/) lang = "toml"
    }
    s = s "~~~~~~~~~~ {." lang "}\n" c "\n~~~~~~~~~~\n\n"
    # the cross-reference line
    parts = ""
    if (rank[k] > 1) parts = parts " Continues " ref(defs[n, rank[k] - 1]) "."
    if (rank[k] < ndefs[n]) {
        parts = parts " Continued in"
        for (i = rank[k] + 1; i <= ndefs[n]; i++) parts = parts (i > rank[k] + 1 ? "," : "") " " ref(defs[n, i])
        parts = parts "."
    }
    if (nuses[k] > 0) {
        parts = parts " Uses"; split("", seen); nseen = 0
        for (i = 1; i <= nuses[k]; i++) {
            u = uses[k, i]; if (u in seen) continue; seen[u] = 1; nseen++
            if ((u, 1) in defs) parts = parts (nseen > 1 ? "," : "") " " named_ref(defs[u, 1])
            else fail(src[k] ": chunk <<" u ">> is used in <<" n ">> but never defined")
        }
        parts = parts "."
    }
    if (rank[k] == 1 && nusers[n] > 0) {
        parts = parts " Used in"
        for (i = 1; i <= nusers[n]; i++) parts = parts (i > 1 ? "," : "") " " named_ref(userdef[n, i])
        parts = parts "."
    }
    split("", seen); rl_out = ""
    for (i = 1; i <= nr; i++) {
        if (rl[i] == "" || rl[i] in seen) continue; seen[rl[i]] = 1
        if (rl[i] == n && nusers[n] == 0) continue     # a root does not point at itself
        rl_out = rl_out (rl_out == "" ? "" : ",") " [" md_escape(rl[i]) "](#" anchor[defs[rl[i], 1]] ")" page_ref(defs[rl[i], 1])
    }
    if (rl_out != "") parts = parts " Tangled to" rl_out "."
    else if (nusers[n] == 0 && n ~ /^generated-src\//) parts = parts " Root: tangled to " code_span(n) "."
    if (parts != "")     # small print: a CSS class in HTML, \footnotesize in LaTeX
        s = s "::: {.chunk-xref}\n```{=latex}\n\\begin{flushleft}\\footnotesize\n```\n\n" substr(parts, 2) \
              "\n\n```{=latex}\n\\end{flushleft}\n```\n:::\n"
    return s ":::\n\n"
}

# ---- the index of identifiers: where each C name is defined (bold) and used ----
# A definition is found by the shape of a line at column 0: #define NAME, struct/union/enum
# NAME {, typedef ... NAME;, or a function header NAME(...) that does not end in ";".
function note_definitions(k,    nl, lines, i, l, id) {
    nl = split(code[k], lines, "\n")
    for (i = 1; i <= nl; i++) {
        l = lines[i]; id = ""
        if (l ~ /^#[ \t]*define[ \t]+[A-Za-z_]/) { sub(/^#[ \t]*define[ \t]+/, "", l); id = l; sub(/[^A-Za-z0-9_].*/, "", id) }
        else if (l ~ /^(typedef[ \t]+)?(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{/) {
            sub(/^(typedef[ \t]+)?(struct|union|enum)[ \t]+/, "", l); id = l; sub(/[^A-Za-z0-9_].*/, "", id)
        }
        else if (l ~ /^typedef .*[A-Za-z_][A-Za-z0-9_]*;[ \t]*$/ && l !~ /\(/) { id = l; sub(/;[ \t]*$/, "", id); sub(/.*[^A-Za-z0-9_]/, "", id) }
        else if (l ~ /^[A-Za-z_][^;]*\($/ || l ~ /^[A-Za-z_][^;]*\)[ \t]*(\{[ \t]*)?$/) {
            if (l ~ /^(if|for|while|switch|return|else|do|case|default)[^A-Za-z0-9_]/) continue
            id = substr(l, 1, index(l, "(") - 1); sub(/[ \t*]+$/, "", id); sub(/.*[^A-Za-z0-9_]/, "", id)
        }
        if (id == "" || id == "main" || id ~ /_H$/ || (id, k) in defined_in) continue  # _H: include guards
        defined_in[id, k] = 1; idx_defs[id] = idx_defs[id] " " k
    }
}

function note_uses(k,    c, w) {
    c = code[k]; gsub(/\002[^\003]*\003/, " ", c)
    while (match(c, /[A-Za-z_][A-Za-z0-9_]*/)) {
        w = substr(c, RSTART, RLENGTH); c = substr(c, RSTART + RLENGTH)
        if ((w in idx_defs) && !((w, k) in defined_in) && !((w, k) in used_in)) {
            used_in[w, k] = 1; idx_uses[w] = idx_uses[w] " " k
        }
    }
}

function print_index(    k, id, n, list, i, line, cmd) {
    for (k = 1; k <= nchunks; k++) note_definitions(k)
    for (k = 1; k <= nchunks; k++) note_uses(k)
    printf "\n# Index of identifiers {#identifier-index .unnumbered}\n\n[]{#index}"   # #index: older links
    printf "Every C name the book defines, with the chunk that defines it in bold and the chunks"
    printf " that use it after.\n\n"
    fflush()
    cmd = "LC_ALL=C sort -f -s -k1,1 | cut -d' ' -f2-"    # by the name alone: chan before chan_close
    for (id in idx_defs) {
        line = code_span(id) ": "
        n = split(idx_defs[id], list, " ")
        for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") "**" ref(list[i]) "**"
        n = split(idx_uses[id], list, " ")
        for (i = 1; i <= n; i++) line = line ", " ref(list[i])
        print id " | " line | cmd
    }
    close(cmd)
}

# ---- the index of chunks: every chunk name, its definitions (bold) and the chunks using it ----
function print_chunk_index(    k, n, i, line, cmd) {
    printf "\n# Index of chunks {#chunk-index .unnumbered}\n\n"
    printf "Every chunk of the book by name, with the chunks that define it in bold (the first one"
    printf " tells where it lives) and the chunks that use it after. A name that is a path is a"
    printf " file the book tangles.\n\n"
    fflush()
    cmd = "LC_ALL=C sort -f"
    for (k = 1; k <= nchunks; k++) {
        n = name[k]
        if (rank[k] > 1) continue
        line = "[⟨" md_escape(n) "⟩](#" anchor[k] "): "
        for (i = 1; i <= ndefs[n]; i++) line = line (i > 1 ? ", " : "") "**" ref(defs[n, i]) "**"
        line = line " (" md_escape(src[k] ":" defline[k]) ")"
        for (i = 1; i <= nusers[n]; i++) line = line (i > 1 ? ", " : "; used in ") ref(userdef[n, i])
        print "| " line | cmd
    }
    close(cmd)
}

END {
    check_opening()
    for (i = 1; i <= nout; i++) {
        if (substr(out[i], 1, 1) == "\001") printf "%s", render(substr(out[i], 2) + 0)
        else printf "%s", out[i]
    }
    if (nchunks > 0) { print_index(); print_chunk_index() }
    exit failed
}
