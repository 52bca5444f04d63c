# SPDX-License-Identifier: MIT
# generations.gp - docs/GENERATIONS.md's worked example as a chart
# (docs/generations.png): the cumulative dedup after each day of a daily
# schedule backed up by borg, predicted by dgen info and measured, with
# fixed-block 4 KiB's prediction.  Reads docs/generations.dat, which
# bench/bench_generations.sh days writes; measures nothing.  From the
# source tree: gnuplot docs/generations.gp
set terminal pngcairo size 900,480 font ",10" noenhanced
set output "docs/generations.png"
set title "1GiB-d2-c3 at 2 % a day: cumulative dedup after each daily backup\n(logical bytes of days 0..n over the repository; compression aside)"
set xlabel "day (generation)"
set ylabel "cumulative dedup"
set grid
set key top left
set xrange [-0.5:*]
set yrange [0:*]
plot "docs/generations.dat" using 1:6 with lines lw 2 dt 2 title "fixed-block 4 KiB, predicted (exact)", \
     "docs/generations.dat" using 1:4 with lines lw 2 title "borg, predicted (dgen info)", \
     "docs/generations.dat" using 1:5 with points pt 7 ps 1.2 title "borg, measured"
