# measuring-pingpong.gp: ping-pong, each program's time per round trip as a ratio to the bare
# level-triggered loop (median of the paired runs; the bars' whiskers span the extremes), at
# both settings. Drawn by build.mk from the committed data; terminal, output and data are set
# on the command line.
set datafile separator "\t"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set ylabel "time per round trip / bare epoll (LT)"
set key outside bottom center horizontal
set grid ytics
pick(s) = sprintf("< awk -F'\t' '$1 == \"pingpong\" && $2 ~ /^%s /' %s", s, data)
plot pick("P=1") using 5:6:7:xtic(3) title "P=1, S=1" lc rgb "#4a7ab5", \
     pick("P=1000") using 5:6:7 title "P=1000, S=64" lc rgb "#e0a040"
