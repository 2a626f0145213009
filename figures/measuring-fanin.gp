# measuring-fanin.gp: fan-in, the memory one pending reader costs in each program,
# (VmHWM at K=10000 - VmHWM at K=10) / 9990. Drawn by build.mk from the committed data.
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.6 border -1
set yrange [0:*]
set ylabel "bytes per pending reader"
set key off
set grid ytics
plot sprintf("< awk -F'\t' '$1 == \"fanin\"' %s", data) using 11:xtic(3) lc rgb "#4a7ab5"
