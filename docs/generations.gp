# SPDX-License-Identifier: MIT
# generations.gp - docs/GENERATIONS.md's worked example as a chart
# (docs/generations.png): the cumulative dedup after each day of a daily
# schedule backed up by borg and by restic, predicted by dgen info and
# measured, with fixed-block 4 KiB's prediction.  Reads
# docs/generations-borg.dat and docs/generations-restic.dat, which
# bench/bench_generations.sh days writes; measures nothing.  From the
# source tree: gnuplot docs/generations.gp
set terminal pngcairo size 900,520 font ",10" noenhanced
set output "docs/generations.png"
set title "1GiB-d2-c3 at 2 % a day: cumulative dedup after each daily backup\n(logical bytes of days 0..n over what the store kept; compression aside)"
set xlabel "day (generation)"
set ylabel "cumulative dedup"
set grid
set key top left
set xrange [-0.5:*]
set yrange [0:*]
plot "docs/generations-borg.dat" using 1:6 with lines lw 2 dt 2 lc rgb "#7f7f7f" title "fixed-block 4 KiB, predicted (exact)", \
     "docs/generations-borg.dat" using 1:4 with lines lw 2 lc rgb "#1f77b4" title "borg 1.2.4, predicted", \
     "docs/generations-borg.dat" using 1:5 with points pt 7 ps 1.1 lc rgb "#1f77b4" title "borg 1.2.4, measured", \
     "docs/generations-restic.dat" using 1:4 with lines lw 2 lc rgb "#d62728" title "restic 0.14.0, predicted", \
     "docs/generations-restic.dat" using 1:5 with points pt 5 ps 1.0 lc rgb "#d62728" title "restic 0.14.0, measured"
