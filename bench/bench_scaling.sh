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
# Writes under bench/results/ (or $RESULTS): STEM-readers.csv,
# STEM-content.csv, STEM.png (GB/s against readers, generated and null side
# by side; content function against threads) and STEM.txt (the machine and
# the command), STEM being scaling-HOST-DATE.  Prints the tables.
#
# Runs from a built tree (no install, no network): the binaries are taken
# from $top_builddir (default: the directory above this script).  Needs root
# (or user_allow_other-free FUSE mounts) and /dev/fuse.  Not a test: nothing
# here passes or fails on a figure.
#
# Environment:
#   READERS="1 2 4 8 16"  reader counts
#   SIZE=1G               bytes each reader reads
#   REPEAT=3              runs per reader count (generated and null
#                         alternate); the tables give the median
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

# median VALUE...
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "# readers: $SIZE each, bs=1M; generated vs -o null_data; median of $REPEAT"
echo "readers,generated_GBps,null_GBps,generated_over_null" | tee "$stem-readers.csv"
for n in $READERS; do
	gs="" zs=""
	for ((r = 0; r < REPEAT; r++)); do	# alternate, so drift hits both
		gs="$gs $(readers "$gen" "$n" "$r")"
		zs="$zs $(readers "$null" "$n" "$r")"
	done
	g=$(median $gs)
	z=$(median $zs)
	awk -v n="$n" -v g="$g" -v z="$z" \
		'BEGIN { printf "%d,%s,%s,%.3f\n", n, g, z, (z > 0 ? g / z : 0) }'
done | tee -a "$stem-readers.csv"

echo "# content function alone: dgen-bench --buffer $BUFFER, ${BENCH_SECONDS}s per point"
echo "threads,GBps,per_thread_GBps,fraction_of_linear" | tee "$stem-content.csv"
one=""
for t in $THREADS; do
	r=$("$DGEN_BENCH" --threads "$t" --seconds "$BENCH_SECONDS" \
		--buffer "$BUFFER" "1T$NAME_OPTS" | awk '!/^#/ && $2 ~ /^[0-9.]+$/ { print $2; exit }')
	[ -n "$r" ] || die "dgen-bench printed no figure"
	one=${one:-$r}
	awk -v t="$t" -v r="$r" -v one="$one" \
		'BEGIN { printf "%d,%s,%.3f,%.3f\n", t, r, r / t, r / (one * t) }'
done | tee -a "$stem-content.csv"

{
	echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "cpus: $cpus allowed; $(lscpu | sed -n 's/^Core(s) per socket: */cores per socket: /p' | head -1);" \
	     "$(lscpu | sed -n 's/^Socket(s): */sockets: /p' | head -1);" \
	     "$(lscpu | sed -n 's/^NUMA node(s): */NUMA nodes: /p' | head -1)"
	lscpu | sed -n 's/^\(NUMA node[0-9]* CPU(s)\): */\1: /p'
	echo "kernel: $(uname -r)"
	echo "load average before the run: $load"
	echo "simd: $("$DGEN_BENCH" --threads 1 --seconds 0.01 --buffer 4K 1M | sed -n 's/^# simd=\([^ ]*\).*/\1/p')"
	echo "revision: $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "command: READERS=\"$READERS\" SIZE=$SIZE REPEAT=$REPEAT THREADS=\"$THREADS\" BENCH_SECONDS=$BENCH_SECONDS BUFFER=$BUFFER NAME_OPTS=\"$NAME_OPTS\" MOUNT_OPTS=\"$MOUNT_OPTS\" $0"
	echo "stats of the generating mount after the run:"
	sed 's/^/  /' "$gen/.dgenfs/stats"
} > "$stem.txt"

model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
# The plot's script is kept beside the CSV files and names them relative to
# itself, so a machine without gnuplot can be plotted elsewhere
# (cd bench/results && gnuplot NAME.gp).
cat > "$stem.gp" <<EOF
set terminal pngcairo size 1200,500 font ",10" noenhanced
set output "$name.png"
set datafile separator ","
set key autotitle columnhead	# the CSV header is not a data row
set key top left
set grid ytics
set multiplot layout 1,2 title "dgenfs scaling: $model, $cpus CPUs, $(lscpu | sed -n 's/^NUMA node(s): *//p') NUMA node(s)"
set title "parallel dd bs=1M readers, $SIZE each"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xlabel "readers"
set ylabel "GB/s"
set yrange [0:*]
plot "$name-readers.csv" using 2:xtic(1) title "generated", \
     "" using 3 title "-o null_data"
set title "content function alone (dgen-bench, $BUFFER buffers)"
set style data linespoints
set xlabel "threads"
set logscale x 2
set xrange [*:*]
plot "$name-content.csv" using 1:2 title "measured" pt 7, \
     "" using 1:(\$1 * $(head -2 "$stem-content.csv" | tail -1 | cut -d, -f2)) title "linear" dt 2
unset multiplot
EOF
if command -v gnuplot >/dev/null; then
	(cd "$work" && gnuplot "$name.gp")
else
	echo "# gnuplot is missing (apt-get install gnuplot-nox): plot later with" \
	     "cd $RESULTS && gnuplot $name.gp"
fi
for f in "$stem"-readers.csv "$stem"-content.csv "$stem".png "$stem".txt "$stem".gp; do
	[ -e "$f" ] && cp "$f" "$RESULTS/"
done
echo "# written: $(cd "$RESULTS" && ls -d "$name"*)"
