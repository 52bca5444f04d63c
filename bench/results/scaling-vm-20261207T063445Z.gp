set terminal pngcairo size 1200,500 font ",10" noenhanced
set output "scaling-vm-20261207T063445Z.png"
set datafile separator ","
set key autotitle columnhead	# the CSV header is not a data row
set key top left
set grid ytics
set multiplot layout 1,2 title "dgenfs scaling: AMD EPYC, 2 CPUs, 1 NUMA node(s)"
set title "parallel dd bs=1M readers, 1G each"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xlabel "readers"
set ylabel "GB/s"
set yrange [0:*]
plot "scaling-vm-20261207T063445Z-readers.csv" using 2:xtic(1) title "generated",      "" using 3 title "-o null_data"
set title "content function alone (dgen-bench, 256K buffers)"
set style data linespoints
set xlabel "threads"
set logscale x 2
set xrange [*:*]
plot "scaling-vm-20261207T063445Z-content.csv" using 1:2 title "measured" pt 7,      "" using 1:($1 * 5.54) title "linear" dt 2
unset multiplot
