# measuring-echo.gp: the echo servers, each server's time for a setting as a ratio to the bare
# epoll server's (median of the paired runs; the whiskers span the extremes), at the four
# settings, with the target of 1.05 as a dashed line. Drawn by build.mk from the committed
# data/sockets.tsv, named below (build.mk's data variable names data/bench.tsv, the other
# plots' file); terminal and output are set on the command line.
set datafile separator "\t"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set logscale y                  # libevent's stream is many times the others
set yrange [0.5:*]
set ylabel "time / bare epoll server (log)"
set arrow from graph 0, first 1.05 to graph 1, first 1.05 nohead dashtype 2 lc rgb "#c03030"
set label "target: 1.05" at graph 0.01, first 1.15 textcolor rgb "#c03030"
set ytics ("0.5" 0.5, "1" 1, "2" 2, "5" 5, "10" 10, "20" 20, "50" 50)
set key outside bottom center horizontal
set grid ytics
sockets = "data/sockets.tsv"
pick(s) = sprintf("< awk -F'\t' '$1 == \"echo\" && $2 ~ /^%s /' %s", s, sockets)
plot pick("C=1 S=64") using 5:6:7:xtic(3) title "1 connection" lc rgb "#4a7ab5", \
     pick("C=100 S=64") using 5:6:7 title "100" lc rgb "#e0a040", \
     pick("C=1000 S=64") using 5:6:7 title "1,000" lc rgb "#6aa84f", \
     pick("C=1 S=1048576") using 5:6:7 title "1 stream, 1 MiB messages" lc rgb "#a05080"
