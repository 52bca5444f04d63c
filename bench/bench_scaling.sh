#!/bin/bash
# SPDX-License-Identifier: MIT
# bench_scaling.sh - how dgenfs scales with cores.
#
#   1. 1, 2, 4, 8, 16 parallel `dd bs=1M` readers of distinct magic files,
#      once on a mount that generates (the default) and once on a mount with
#      -o null_data (same FUSE path, no generation): generated / null shows
#      what generation costs at each reader count (target >= 0.90);
#   2. the content function alone (bench/dgen-bench) with 1..N threads in
#      cache-sized buffers: GB/s against N x the one-thread figure (target
#      >= 0.8 x linear).
#
# Writes under bench/results/ (or $RESULTS): STEM-readers.csv and
# STEM-content.csv (per point: the median of the rounds, their min and max,
# and the 1-minute load average as the point began), STEM-rounds.csv (every
# round), STEM.png and STEM.gp (its gnuplot script), and STEM.txt (the
# machine and the command), STEM being scaling-HOST-DATE.  The picture
# shows, against readers and threads on log2 axes, the medians with min-max
# error bars, each round as a dot, the load on the right axis, and the
# content function's linear reference (N x the one-thread median) as a
# straight line on its log-log axes.  Prints the tables.
#
# Runs from a built tree (no install, no network): the binaries are taken
# from $top_builddir (default: the directory above this script).  Needs root
# (or user_allow_other-free FUSE mounts) and /dev/fuse.  Not a test: nothing
# here passes or fails on a figure.
#
# Environment:
#   READERS="1 2 4 8 16"  reader counts
#   SIZE=1G               bytes each reader reads
#   REPEAT=3              rounds per reader count (generated and null
#                         alternate) and per thread count; the tables give
#                         the median, min and max
#   THREADS="1 2 4 .. N"  content function thread counts (default: powers of
#                         two up to the allowed CPUs, and that count)
#   BENCH_SECONDS=3       seconds per content function point
#   BUFFER=256K           content function buffer (cache-sized)
#   NAME_OPTS=""          options for every file name, e.g. "-d2-c2"
#   MOUNT_OPTS=""         extra -o options for both mounts, e.g. "numa=off"
#   RESULTS=bench/results
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
top_builddir=$(cd "${top_builddir:-$here/..}" && pwd)
DGENFS=$top_builddir/dgenfs
DGEN=$top_builddir/dgen
DGEN_BENCH=$top_builddir/bench/dgen-bench
RESULTS=${RESULTS:-$here/results}
READERS=${READERS:-"1 2 4 8 16"}
SIZE=${SIZE:-1G}
REPEAT=${REPEAT:-3}
BENCH_SECONDS=${BENCH_SECONDS:-3}
BUFFER=${BUFFER:-256K}
NAME_OPTS=${NAME_OPTS:-}
MOUNT_OPTS=${MOUNT_OPTS:-}

die() {
	echo "bench_scaling: $*" >&2
	for log in "${work:-/nonexistent}"/*.log; do
		[ -s "$log" ] && sed "s|^|  $(basename "$log" .log) dgenfs: |" "$log" >&2
	done
	exit 1
}

for bin in "$DGENFS" "$DGEN" "$DGEN_BENCH"; do
	[ -x "$bin" ] || die "$bin is missing: build the tree first (make)"
done
[ -w /dev/fuse ] || die "/dev/fuse is not usable here"

cpus=$(nproc)
if [ -z "${THREADS:-}" ]; then
	THREADS=""
	for ((t = 1; t < cpus; t *= 2)); do THREADS="$THREADS $t"; done
	THREADS="$THREADS $cpus"
fi
size_bytes=$("$DGEN" info "$SIZE$NAME_OPTS" | awk '$1 == "size:" { print $2; exit }')
[ -n "$size_bytes" ] || die "SIZE=$SIZE: not a size dgen accepts"

load=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
work=$(mktemp -d /tmp/dgenfs-bench.XXXXXX)
# Written in $work and copied to $RESULTS at the end: a failed run leaves
# no partial results behind.
name=scaling-$(hostname -s)-$(date -u +%Y%m%dT%H%M%SZ)
stem=$work/$name
gen=$work/generated
null=$work/null
mkdir "$gen" "$null"

cleanup() {
	for m in "$gen" "$null"; do
		mountpoint -q "$m" && fusermount3 -u "$m"
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mount DIR [OPTION...]: a foreground dgenfs in the background (its stderr
# in DIR.log, shown if the run fails), ready when it answers.
mount_dgenfs() {
	local dir=$1 opts=${MOUNT_OPTS} pid
	shift
	for o in "$@"; do opts=${opts:+$opts,}$o; done
	"$DGENFS" -f ${opts:+-o "$opts"} "$dir" 2>"$dir.log" &
	pid=$!
	for _ in $(seq 100); do
		[ -e "$dir/.dgenfs/stats" ] && return 0
		kill -0 "$pid" 2>/dev/null || die "$dir: dgenfs exited"
		sleep 0.1
	done
	die "$dir: dgenfs did not come up"
}

mount_dgenfs "$gen"
mount_dgenfs "$null" null_data

# readers MOUNT N REPETITION: N parallel dd of distinct files, never read
# before on that mount (so -o cache in MOUNT_OPTS cannot help); GB/s.
readers() {
	local mnt=$1 n=$2 start end i pids=() total=0 got
	start=$(date +%s.%N)
	for ((i = 0; i < n; i++)); do
		dd if="$mnt/$SIZE$NAME_OPTS-s$3$((n * 1000 + i))" of=/dev/null bs=1M \
			2>"$work/dd.$i" &
		pids+=($!)
	done
	for ((i = 0; i < n; i++)); do
		wait "${pids[i]}" || die "dd reader $i of $n on $mnt failed: $(cat "$work/dd.$i")"
	done
	end=$(date +%s.%N)
	for ((i = 0; i < n; i++)); do
		got=$(awk '/bytes/ { print $1; exit }' "$work/dd.$i")
		[ "$got" = "$size_bytes" ] || die "reader $i read ${got:-nothing} of $size_bytes bytes"
		total=$((total + got))
	done
	awk -v b="$total" -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", b / (e - s) / 1e9 }'
}

# median VALUE...; smallest VALUE...; largest VALUE...
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
smallest() { printf '%s\n' "$@" | sort -g | head -1; }
largest() { printf '%s\n' "$@" | sort -g | tail -1; }
# load1: the 1-minute load average now
load1() { cut -d' ' -f1 /proc/loadavg; }

# Every round, for the plot's dots: part,count,round,GBps,load1
rounds=$stem-rounds.csv
echo "part,count,round,GBps,load1" >"$rounds"

echo "# readers: $SIZE each, bs=1M; generated vs -o null_data; median (min-max) of $REPEAT rounds"
echo "readers,generated_GBps,null_GBps,generated_over_null,generated_min,generated_max,null_min,null_max,rounds,load1" |
	tee "$stem-readers.csv"
for n in $READERS; do
	gs="" zs=""
	l=$(load1)
	for ((r = 0; r < REPEAT; r++)); do	# alternate, so drift hits both
		g=$(readers "$gen" "$n" "$r")
		echo "generated,$n,$r,$g,$(load1)" >>"$rounds"
		z=$(readers "$null" "$n" "$r")
		echo "null,$n,$r,$z,$(load1)" >>"$rounds"
		gs="$gs $g" zs="$zs $z"
	done
	g=$(median $gs)
	z=$(median $zs)
	awk -v n="$n" -v g="$g" -v z="$z" -v r="$REPEAT" -v l="$l" \
		-v gmin="$(smallest $gs)" -v gmax="$(largest $gs)" \
		-v zmin="$(smallest $zs)" -v zmax="$(largest $zs)" \
		'BEGIN { printf "%d,%s,%s,%.3f,%s,%s,%s,%s,%d,%s\n", n, g, z, (z > 0 ? g / z : 0),
			 gmin, gmax, zmin, zmax, r, l }'
done | tee -a "$stem-readers.csv"

echo "# content function alone: dgen-bench --buffer $BUFFER, ${BENCH_SECONDS}s per round, median (min-max) of $REPEAT rounds"
echo "threads,GBps,per_thread_GBps,fraction_of_linear,min_GBps,max_GBps,rounds,load1" |
	tee "$stem-content.csv"
one=""
for t in $THREADS; do
	rs=""
	l=$(load1)
	for ((r = 0; r < REPEAT; r++)); do
		g=$("$DGEN_BENCH" --threads "$t" --seconds "$BENCH_SECONDS" \
			--buffer "$BUFFER" "1T$NAME_OPTS" | awk '!/^#/ && $2 ~ /^[0-9.]+$/ { print $2; exit }')
		[ -n "$g" ] || die "dgen-bench printed no figure"
		echo "content,$t,$r,$g,$(load1)" >>"$rounds"
		rs="$rs $g"
	done
	g=$(median $rs)
	one=${one:-$g}
	awk -v t="$t" -v g="$g" -v one="$one" -v r="$REPEAT" -v l="$l" \
		-v min="$(smallest $rs)" -v max="$(largest $rs)" \
		'BEGIN { printf "%d,%s,%.3f,%.3f,%s,%s,%d,%s\n", t, g, g / t, g / (one * t), min, max, r, l }'
done | tee -a "$stem-content.csv"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "cpus: $cpus allowed; $(lscpu | sed -n 's/^Core(s) per socket: */cores per socket: /p' | head -1);" \
	     "$(lscpu | sed -n 's/^Socket(s): */sockets: /p' | head -1);" \
	     "$(lscpu | sed -n 's/^NUMA node(s): */NUMA nodes: /p' | head -1)"
	lscpu | sed -n 's/^\(NUMA node[0-9]* CPU(s)\): */\1: /p'
	echo "kernel: $(uname -r)"
	echo "load average before the run: $load; after: $load_after"
	echo "simd: $("$DGEN_BENCH" --threads 1 --seconds 0.01 --buffer 4K 1M | sed -n 's/^# simd=\([^ ]*\).*/\1/p')"
	echo "revision: $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "command: READERS=\"$READERS\" SIZE=$SIZE REPEAT=$REPEAT THREADS=\"$THREADS\" BENCH_SECONDS=$BENCH_SECONDS BUFFER=$BUFFER NAME_OPTS=\"$NAME_OPTS\" MOUNT_OPTS=\"$MOUNT_OPTS\" $0"
	echo "stats of the generating mount after the run:"
	sed 's/^/  /' "$gen/.dgenfs/stats"
} > "$stem.txt"

model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
one=$(sed -n 2p "$stem-content.csv" | cut -d, -f2)
# x axis bounds: a margin each side of the counts, on a log2 axis
xmax() { awk -F, 'NR > 1 { m = $1 } END { print m * 1.4 }' "$1"; }
# the load axis: to the highest load seen or the CPUs, with room above
load_max=$(awk -F, -v m="$cpus" 'NR > 1 && $5 > m { m = $5 } END { print m * 1.3 }' "$rounds")
# The plot's script is kept beside the CSV files and names them relative to
# itself, so a machine without gnuplot can be plotted elsewhere
# (cd bench/results && gnuplot NAME.gp).  Both charts have log2 x axes
# (readers, threads); the content function's y axis is log2 too, so its
# linear reference, y = N x the one-thread median, is a straight line.
cat > "$stem.gp" <<EOF
set terminal pngcairo size 1300,600 font ",10" noenhanced
set output "$name.png"
set datafile separator ","
set key below height 1
set bmargin 7
set xlabel offset 0,0.5
set grid xtics ytics
set logscale x 2
set ytics nomirror
set y2tics
set y2label "load average (1 min) as each point began"
set y2range [0:$load_max]
set multiplot layout 1,2 title "dgenfs scaling: $model, $cpus CPUs, $(lscpu | sed -n 's/^NUMA node(s): *//p') NUMA node(s); load average $load before, $load_after after\\nlines: median of $REPEAT rounds; error bars: min to max; dots: every round; dashed grey: the load (right axis)"
set title "parallel dd bs=1M readers, $SIZE each"
set xlabel "readers"
set ylabel "GB/s"
set yrange [0:*]
set xrange [0.7:$(xmax "$stem-readers.csv")]
plot "$name-readers.csv" every ::1 using 1:2:5:6 with yerrorlines lw 2 pt 7 lc rgb "#4e79a7" title "generated", \\
     "" every ::1 using 1:3:7:8 with yerrorlines lw 2 pt 5 lc rgb "#e15759" title "-o null_data", \\
     "$name-rounds.csv" every ::1 using (strcol(1) eq "generated" ? \$2 : NaN):4 with points pt 6 lc rgb "#4e79a7" notitle, \\
     "" every ::1 using (strcol(1) eq "null" ? \$2 : NaN):4 with points pt 4 lc rgb "#e15759" notitle, \\
     "$name-readers.csv" every ::1 using 1:10 axes x1y2 with linespoints dt 2 pt 2 lc rgb "#909090" title "load"
set title "content function alone (dgen-bench, $BUFFER buffers), log-log"
set xlabel "threads"
set logscale y 2
set yrange [*:*]
set xrange [0.7:$(xmax "$stem-content.csv")]
plot "$name-content.csv" every ::1 using 1:2:5:6 with yerrorlines lw 2 pt 7 lc rgb "#59a14f" title "measured", \\
     "$name-rounds.csv" every ::1 using (strcol(1) eq "content" ? \$2 : NaN):4 with points pt 6 lc rgb "#59a14f" notitle, \\
     x * $one with lines dt 3 lw 2 lc rgb "#202020" title "linear: N x $one GB/s", \\
     "$name-content.csv" every ::1 using 1:8 axes x1y2 with linespoints dt 2 pt 2 lc rgb "#909090" title "load"
unset multiplot
EOF
if command -v gnuplot >/dev/null; then
	(cd "$work" && gnuplot "$name.gp")
else
	echo "# gnuplot is missing (apt-get install gnuplot-nox): plot later with" \
	     "cd $RESULTS && gnuplot $name.gp"
fi
for f in "$stem"-readers.csv "$stem"-content.csv "$stem"-rounds.csv "$stem".png "$stem".txt "$stem".gp; do
	[ -e "$f" ] && cp "$f" "$RESULTS/"
done
echo "# written: $(cd "$RESULTS" && ls -d "$name"*)"
