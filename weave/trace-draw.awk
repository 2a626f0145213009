# trace-draw.awk: draws a record of weave/trace-record.sh as a graphviz figure.
#   awk -v figure=sequence -f weave/trace-draw.awk RECORD    one wait of task T1, poll to poll
#   awk -v figure=frames -f weave/trace-draw.awk RECORD      the state after each step
# The sequence diagram has a column per part (executor, T1's future, reactor, kernel, the
# writer) and a row per event, from T1's first poll to its next one and what that returned;
# other tasks' events are left out. Each frame shows the ready queue, the registrations and
# the thread after one of the chapter's steps: poll, register and pending, epoll_wait, wake.
function fail(msg) { print "trace-draw.awk: " FILENAME ": " msg > "/dev/stderr"; exit 1 }
BEGIN {
    if (figure != "sequence" && figure != "frames") fail("figure must be sequence or frames")
    font = "fontname=\"DejaVu Sans\""; qhead = qtail = maxfd = 0
}

# ---- the sequence diagram ----
function message(from, to, text, style) {
    msg_from[++rows] = from; msg_to[rows] = to; msg_text[rows] = text; msg_style[rows] = style
}
figure == "sequence" && $1 == "poll" && $2 == "T1" { polls++ }
figure == "sequence" && polls >= 1 && !finished {
    if ($1 == "poll" && $2 == "T1") message("ex", "task", "poll(T1's waker)")
    else if ($1 == "register" && $2 == "T1") {
        message("task", "reactor", "register(fd " $3 ")" ($4 ? ": no syscall" : ""))
        if ($4 == 0) message("reactor", "kernel", "epoll_ctl(ADD, fd " $3 ")")
    }
    else if ($1 == "pending" && $2 == "T1") {
        message("task", "ex", "pending", "dashed")
        if (polls == 2) finished = 1
    }
    else if ($1 == "ready" && $2 == "T1") { message("task", "ex", "ready", "dashed"); finished = 1 }
    else if ($1 == "deregister" && fd_of_t1[$2]) message("reactor", "kernel", "epoll_ctl(DEL, fd " $2 ")")
    else if ($1 == "wait") message("reactor", "kernel", "epoll_wait(): sleeps")
    else if ($1 == "write") message("echo", "kernel", $3 " chars to " $2)
    else if ($1 == "returned") message("kernel", "reactor", $2 " event" ($2 == 1 ? "" : "s"), "dashed")
    else if ($1 == "wake" && $2 == "T1")
        message("reactor", "ex", "wake(T1): " ($3 ? "queued already" : "queued"))
}
figure == "sequence" && $1 == "register" && $2 == "T1" { fd_of_t1[$3] = 1 }

# ---- the frames ----
function queue_text(   s, i) {
    for (i = qhead; i < qtail; i++) s = s (s == "" ? "" : "  ") queue[i]
    return s == "" ? "empty" : s
}
function registrations(   s, fd) {
    for (fd = 0; fd <= maxfd; fd++)
        if (fd in reg) s = s (s == "" ? "" : "<BR ALIGN=\"LEFT\"/>") "fd " fd ": " (reg[fd] == "" ? "no waker" : "waker of " reg[fd])
    return s == "" ? "none" : s
}
function frame(caption) {
    frames_text[++frames] = caption; frames_queue[frames] = queue_text()
    frames_reg[frames] = registrations(); frames_thread[frames] = thread
}
figure == "frames" && NR == 1 { thread = "running" }
figure == "frames" {
    if ($1 == "spawn") spawned = spawned (spawned == "" ? "" : ", ") $2
    else if ($1 == "wake" && !$3) queue[qtail++] = $2
    if ($1 == "poll" && spawned != "") { frame("spawn " spawned); spawned = "" }
    if ($1 == "poll") { qhead++; frame("poll " $2) }
    else if ($1 == "register") { reg[$3] = $2; if ($3 > maxfd) maxfd = $3 }
    else if ($1 == "pending") frame("register, pending " $2)
    else if ($1 == "wait") thread = "asleep in epoll_wait"
    else if ($1 == "returned") thread = "running"
    else if ($1 == "event") { reg[$2] = ""; ready_fd = $2 }
    else if ($1 == "wake" && spawned == "") frame("fd " ready_fd ": wake " $2 ($3 ? ", queued already" : ""))
    else if ($1 == "deregister") delete reg[$2]
    else if ($1 == "ready") frame("ready " $2)
    else if ($1 == "freed") frame("freed " $2)
    if ($1 == "wait") frame("epoll_wait")
}

END {
    if (figure == "sequence") draw_sequence(); else draw_frames()
}
function draw_sequence(   parts, names, x, p, i, n, y, x1, x2) {
    # Drawn with fixed positions (neato, pos "x,y!" in points): every lifeline stays straight.
    if (rows == 0) fail("no poll of T1 in the record")
    n = split("ex task reactor kernel echo", parts, " ")
    names["ex"] = "executor"; names["task"] = "task T1\n(its ReadNChars)"; names["reactor"] = "reactor"
    names["kernel"] = "kernel\n(epoll, pipes)"; names["echo"] = "echo\n(the writer)"
    for (p = 1; p <= n; p++) x[parts[p]] = (p - 1) * 140
    print "// Drawn by weave/trace-draw.awk from a recorded run: do not edit."
    print "digraph trace_sequence {"
    print "    layout=neato; inputscale=72; splines=false;"
    print "    node [shape=point, width=0.03, color=\"#888888\", label=\"\"];"
    print "    edge [arrowsize=0.7];"
    y = -(rows + 1) * 30
    for (p = 1; p <= n; p++) {
        printf "    h_%s [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fa\", color=\"#555555\", %s, fontsize=11, width=1.3, label=\"%s\", pos=\"%d,0!\"];\n", parts[p], font, names[parts[p]], x[parts[p]]
        printf "    end_%s [pos=\"%d,%d!\", style=invis];\n", parts[p], x[parts[p]], y
        printf "    h_%s -> end_%s [arrowhead=none, style=dashed, color=\"#aaaaaa\"];\n", parts[p], parts[p]
    }
    for (i = 1; i <= rows; i++) {
        y = -(i + 0.4) * 30; x1 = x[msg_from[i]]; x2 = x[msg_to[i]]
        printf "    a%d [pos=\"%d,%d!\"]; b%d [pos=\"%d,%d!\"];\n", i, x1, y, i, x2, y
        printf "    a%d -> b%d [color=\"#335588\"%s];\n", i, i, msg_style[i] == "" ? "" : ", style=" msg_style[i]
        printf "    t%d [shape=plaintext, %s, fontsize=11, label=\"%d. %s\", pos=\"%d,%d!\"];\n", i, font, i, msg_text[i], (x1 + x2) / 2, y + 9
    }
    print "}"
}
function draw_frames(   i, per_row) {
    per_row = 3
    print "// Drawn by weave/trace-draw.awk from a recorded run: do not edit."
    print "digraph trace_frames {"
    print "    rankdir=TB; nodesep=0.15; ranksep=0.15;"
    print "    node [shape=plain, " font ", fontsize=11];"
    for (i = 1; i <= frames; i++) {
        printf "    f%d [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" COLOR=\"#888888\" BGCOLOR=\"%s\">", i, frames_thread[i] ~ /asleep/ ? "#fff4d6" : "#f4f6fa"
        printf "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>%d. %s</B></TD></TR>", i, frames_text[i]
        printf "<TR><TD ALIGN=\"LEFT\" WIDTH=\"46\">queue</TD><TD ALIGN=\"LEFT\" WIDTH=\"124\">%s</TD></TR>", frames_queue[i]
        printf "<TR><TD ALIGN=\"LEFT\" VALIGN=\"TOP\">epoll</TD><TD ALIGN=\"LEFT\">%s<BR ALIGN=\"LEFT\"/></TD></TR>", frames_reg[i]
        printf "<TR><TD ALIGN=\"LEFT\">thread</TD><TD ALIGN=\"LEFT\">%s</TD></TR></TABLE>>];\n", frames_thread[i]
    }
    for (i = 1; i <= frames; i++) {
        if ((i - 1) % per_row == 0) printf "    { rank=same;"
        printf " f%d;", i
        if (i % per_row == 0 || i == frames) print " }"
    }
    for (i = 1; i <= frames; i++) {
        if (i > per_row) printf "    f%d -> f%d [style=invis];\n", i - per_row, i
        if (i % per_row != 1) printf "    f%d -> f%d [style=invis];\n", i - 1, i
    }
    print "}"
}
