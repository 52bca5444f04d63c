set terminal pngcairo size 1300,600 font ",10" noenhanced
set output "scaling-vm-20261207T173741Z.png"
set datafile separator ","
set key below height 1
set bmargin 7
set xlabel offset 0,0.5
set grid xtics ytics
set logscale x 2
set ytics nomirror
set y2tics
set y2label "load average (1 min) as each point began"
set y2range [0:7.436]
set multiplot layout 1,2 title "dgenfs scaling: Intel(R) Xeon(R) Processor, 2 CPUs, 1 NUMA node(s); load average 5.27 4.33 2.73 before, 5.45 4.50 2.85 after\nlines: median of 5 rounds; error bars: min to max; dots: every round; dashed grey: the load (right axis)"
set title "parallel dd bs=1M readers, 512M each"
set xlabel "readers"
set ylabel "GB/s"
set yrange [0:*]
set xrange [0.7:11.2]
plot "scaling-vm-20261207T173741Z-readers.csv" every ::1 using 1:2:5:6 with yerrorlines lw 2 pt 7 lc rgb "#4e79a7" title "generated", \
     "" every ::1 using 1:3:7:8 with yerrorlines lw 2 pt 5 lc rgb "#e15759" title "-o null_data", \
     "scaling-vm-20261207T173741Z-rounds.csv" every ::1 using (strcol(1) eq "generated" ? $2 : NaN):4 with points pt 6 lc rgb "#4e79a7" notitle, \
     "" every ::1 using (strcol(1) eq "null" ? $2 : NaN):4 with points pt 4 lc rgb "#e15759" notitle, \
     "scaling-vm-20261207T173741Z-readers.csv" every ::1 using 1:10 axes x1y2 with linespoints dt 2 pt 2 lc rgb "#909090" title "load"
set title "content function alone (dgen-bench, 256K buffers), log-log"
set xlabel "threads"
set logscale y 2
set yrange [*:*]
set xrange [0.7:2.8]
plot "scaling-vm-20261207T173741Z-content.csv" every ::1 using 1:2:5:6 with yerrorlines lw 2 pt 7 lc rgb "#59a14f" title "measured", \
     "scaling-vm-20261207T173741Z-rounds.csv" every ::1 using (strcol(1) eq "content" ? $2 : NaN):4 with points pt 6 lc rgb "#59a14f" notitle, \
     x * 31.32 with lines dt 3 lw 2 lc rgb "#202020" title "linear: N x 31.32 GB/s", \
     "scaling-vm-20261207T173741Z-content.csv" every ::1 using 1:8 axes x1y2 with linespoints dt 2 pt 2 lc rgb "#909090" title "load"
unset multiplot
