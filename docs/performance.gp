# SPDX-License-Identifier: MIT
# performance.gp - the ratios of README.md's performance table as a bar
# chart (docs/performance.png).  The figures are copied by hand from the
# bench outputs under bench/results/ that docs/PERFORMANCE.md names; this
# file measures nothing.  From the source tree: gnuplot docs/performance.gp
set terminal pngcairo size 900,460 font ",10" noenhanced
set output "docs/performance.png"
set title "dgenfs: each figure against a baseline in the same run\n(2-core AMD EPYC VM, AVX2 path, load 9-20, 2026-12-07)"
set style fill solid 0.8 border -1
set xrange [0:5.6]
set yrange [11.7:-0.7]
set xlabel "ratio (dashed: 1, the baseline)"
set grid xtics
set key off
set lmargin 44
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2 lw 1.5
$ratios << EOD
"content function vs fio's generator, d1c1" 4.93
"content function vs fio's generator, d2c3" 2.21
"content function vs fio's generator, d3c5" 1.54
"format 2 vs format 1, d1c1" 0.95
"format 2 vs format 1, d2c3" 0.76
"past the cache vs memset, d1c1" 1.08
"past the cache vs memset, d2c3" 0.90
"dd through the mount vs null_data, 1 stream" 0.60
"dd through the mount vs null_data, 2 streams" 0.63
"cat vs dd through the mount" 0.97
"dd bs=4K vs bs=1M, cache=always" 0.86
"dd bs=4K vs bs=1M, cache=auto" 0.08
EOD
plot $ratios using (0):0:(0):2:($0 - 0.35):($0 + 0.35):ytic(1) \
	with boxxyerror linecolor rgb "#5060c0", \
     '' using 2:0:(sprintf(" %.2f", $2)) with labels left
