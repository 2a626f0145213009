# measuring-tasks.gp: the executor workload, time per task as a ratio to the bare loop
# (median; whiskers span the extremes) and bytes per task. Drawn by build.mk from the
# committed data.
set datafile separator "\t"
set style data histograms
set style fill solid 0.6 border -1
set yrange [0:*]
set key off
set grid ytics
# five names under each half of the 720-pixel SVG run together at its 12-point font
if (GPVAL_TERM eq "svg") set xtics font ",10"
rows = sprintf("< awk -F'\t' '$1 == \"tasks\"' %s", data)
set multiplot layout 1, 2
set style histogram errorbars gap 1 lw 1
set ylabel "time per task / bare loop"
plot rows using 5:6:7:xtic(3) lc rgb "#4a7ab5"
set style histogram clustered gap 1
set ylabel "bytes per task"
plot rows using 11:xtic(3) lc rgb "#e0a040"
unset multiplot
