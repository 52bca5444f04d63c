#!/bin/bash
# SPDX-License-Identifier: MIT
# bench_small.sh - small-request readers through a dgenfs mount against a
# 1 MiB stream of the same mount, for each -o cache mode, and the page
# cache each mode holds.
#
#   bench/bench_small.sh [MODE...]        (as root; default: window auto)
#
# MODE is a -o cache mode: auto, window, always or never.
#
# Each round mounts one fresh filesystem per cache MODE (the order reversed
# every other round, so the machine's other load hits all alike; fresh, so
# nothing is in the page cache from a round before) with the source tree's
# etc/dgenfs.conf (or $CONFIG), and measures on it, in MB/s:
#   dd1M    dd bs=1M of a 4 GiB magic file (the yardstick), with the
#           daemon's CPU seconds per GB served (cpu1M) and dd's (ddcpu1M)
#   dd128K  dd bs=128K of another file of SMALL_BYTES (default 4 GiB)
#   dd4K    dd bs=4K of another one
#   cat     cat FILE >/dev/null of another one
#   tar     tar cf - FILE | cat of another one (GNU tar: 10 KiB records)
#   fio     fio --rw=randread --bs=4k, 256 MiB of a 1 GiB file
#   tree    tar cf - small | cat, the `small` dataset (10,000 files, 1.7 GiB)
# every file a name not read before.  Prints each round, the medians and
# each reader over dd1M of the same mount (target >= 0.5), and for each
# other MODE its dd1M over the last MODE's (give auto or never last: the
# direct_io path of files above 64 MiB; target >= 0.95) and its fio over
# the last MODE's dd4K (target >= 1.5).  Then, per MODE, one 8 GiB dd
# bs=4K with the page cache sampled every 0.2 s: the most the file held
# (fincore) and the most Cached in /proc/meminfo grew during the read, and
# both after it (target <= 256 MiB); not for auto and never, which serve
# such a file with direct_io.  Not a test: nothing here
# passes or fails.  ROUNDS (default 5); MOUNT_OPTS adds dgenfs options;
# SPEC the names' suffix after the size (default -d2-c3); SMALL_BYTES;
# DGENFS the program (default: the build tree's).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
CONFIG=${CONFIG:-$here/etc/dgenfs.conf}
. "$here/bench/bench_lib.sh"
MODES=${*:-window auto}
ROUNDS=${ROUNDS:-5}
SPEC=${SPEC--d2-c3}
SMALL_BYTES=${SMALL_BYTES:-4294967296}
opts=threads=$(nproc)${MOUNT_OPTS:+,$MOUNT_OPTS}
STREAM_BYTES=4294967296
FIO_BYTES=268435456
HELD_BYTES=8589934592
READERS="dd1M cpu1M ddcpu1M dd128K dd4K cat tar fio tree"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
reversed() { printf '%s\n' $1 | tac | tr '\n' ' '; }
timed() {	# BYTES COMMAND...: MB/s
	bytes=$1
	shift
	start=$(now)
	"$@"
	rate "$bytes" "$start" "$(now)"
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }	# utime + stime
tar_to_pipe() { tar -C "$1" -cf - "$2" | cat >/dev/null; }
cat_null() { cat "$1" >/dev/null; }
fio_randread() {	# FILE: MB/s, from fio's terse line (field 7: KiB/s)
	fio --name=randread --filename="$1" --readonly --rw=randread --bs=4k \
	    --size=1G --io_size=$FIO_BYTES --ioengine=psync --minimal |
		awk -F';' '{ printf "%.0f", $7 * 1024 / 1e6 }'
}

# mount_mode MODE: mount $MNT/MODE in the foreground of a background job;
# its pid in daemon.  MODE probe: the default mode.
mount_mode() {
	mkdir "$MNT/$1"
	o=$opts,cache=$1
	[ "$1" != probe ] || o=$opts
	"$DGENFS" -f -c "$CONFIG" -o "$o" "$MNT/$1" &
	daemon=$!
	until mountpoint -q "$MNT/$1"; do
		kill -0 "$daemon" || { echo "dgenfs did not mount $MNT/$1" >&2; exit 1; }
		sleep 0.1
	done
}
unmount_mode() {
	fusermount3 -u "$MNT/$1"
	wait "$daemon"
	rmdir "$MNT/$1"
}

# measure MOUNTPOINT SEED DAEMON: $READERS, each file unread.
measure() {
	f=$1/4GiB$SPEC-s$2
	s=$1/$SMALL_BYTES$SPEC-s$2
	t0=$(ticks "$3")
	start=$(now)
	dd_cpu=$( { /usr/bin/time -f '%S %U' dd if="${f}1" of=/dev/null bs=1M status=none; } 2>&1 )
	dd1m=$(rate $STREAM_BYTES "$start" "$(now)")
	cpu1m=$(awk -v t="$(( $(ticks "$3") - t0 ))" -v hz="$(getconf CLK_TCK)" -v b=$STREAM_BYTES \
		'BEGIN { printf "%.3f", t / hz / (b / 1e9) }')
	ddcpu1m=$(echo "$dd_cpu" | awk -v b=$STREAM_BYTES '{ printf "%.3f", ($1 + $2) / (b / 1e9) }')
	dd128k=$(timed "$SMALL_BYTES" dd if="${s}2" of=/dev/null bs=128K status=none)
	dd4k=$(timed "$SMALL_BYTES" dd if="${s}3" of=/dev/null bs=4K status=none)
	cat=$(timed "$SMALL_BYTES" cat_null "${s}4")
	tar=$(timed "$SMALL_BYTES" tar_to_pipe "$1" "$(basename "${s}5")")
	fio=$(fio_randread "$1/1GiB$SPEC-s${2}6")
	tree=$(timed "$TREE_BYTES" tar_to_pipe "$1" small)
	echo "$dd1m $cpu1m $ddcpu1m $dd128k $dd4k $cat $tar $fio $tree"
}

# held MOUNTPOINT: "during_file during_cached after_file after_cached" MiB
# of the page cache while and after dd bs=4K reads an 8 GiB file.
held() {
	f=$1/8GiB$SPEC-s99
	base=$(awk '/^Cached:/ { print $2 }' /proc/meminfo)
	dd if="$f" of=/dev/null bs=4K status=none &
	reader=$!
	max_file=0
	max_cached=0
	while kill -0 "$reader" 2>/dev/null; do
		file=$(fincore -nb -o RES "$f" 2>/dev/null || echo 0)
		cached=$(awk -v b="$base" '/^Cached:/ { printf "%.0f\n", ($2 - b) * 1024 }' /proc/meminfo)
		[ "$file" -le "$max_file" ] || max_file=$file
		[ "$cached" -le "$max_cached" ] || max_cached=$cached
		sleep 0.2
	done
	wait "$reader"
	sleep 1
	file=$(fincore -nb -o RES "$f")
	cached=$(awk -v b="$base" '/^Cached:/ { printf "%.0f\n", ($2 - b) * 1024 }' /proc/meminfo)
	echo "$max_file $max_cached $file $cached" |
		awk '{ printf "%.0f %.0f %.0f %.0f", $1 / 1048576, $2 / 1048576, $3 / 1048576, $4 / 1048576 }'
}

mount_mode probe
TREE_BYTES=$(sed -n 's/^dataset small .* bytes \([0-9]*\) .*/\1/p' "$MNT/probe/.dgenfs/stats")
echo "bench_small: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), avx512f $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $ROUNDS rounds, MB/s (cpu: s per GB); 4 GiB stream 4GiB$SPEC-sN, small readers $SMALL_BYTES$SPEC-sN, fio 1GiB$SPEC-sN, tree small ($TREE_BYTES bytes), $(sed -n 's/^simd //p' "$MNT/probe/.dgenfs/stats"), -o $opts,cache=MODE"
unmount_mode probe

for m in $MODES; do
	for r in $READERS; do
		eval "${m}_$r="
	done
done
for round in $(seq "$ROUNDS"); do
	order=$MODES
	[ $((round % 2)) = 1 ] || order=$(reversed "$MODES")
	line="round $round:"
	for m in $order; do
		mount_mode "$m"
		set -- $(measure "$MNT/$m" "$round" "$daemon")
		unmount_mode "$m"
		line="$line $m"
		for r in $READERS; do
			eval "${m}_$r=\"\$${m}_$r $1\""
			line="$line $r $1"
			shift
		done
		line="$line;"
	done
	echo "$line (load $(cut -d' ' -f1 /proc/loadavg))"
done
for m in $MODES; do
	line="median cache=$m:"
	for r in $READERS; do
		eval "v=\$(median \$${m}_$r)"
		eval "med_$r=$v"
		eval "${m}_med_$r=$v"
		line="$line $r $v"
	done
	echo "$line"
	echo "  over dd1M, cache=$m: dd128K $(ratio "$med_dd128K" "$med_dd1M"), dd4K $(ratio "$med_dd4K" "$med_dd1M"), cat $(ratio "$med_cat" "$med_dd1M"), tar $(ratio "$med_tar" "$med_dd1M"), fio $(ratio "$med_fio" "$med_dd1M"), tree $(ratio "$med_tree" "$med_dd1M")   (target >= 0.5)"
done
last=$m
for m in $MODES; do
	[ "$m" = "$last" ] && continue
	eval "a=\$${m}_med_dd1M b=\$${last}_med_dd1M c=\$${m}_med_fio d=\$${last}_med_dd4K"
	echo "  cache=$m over cache=$last: dd1M $(ratio "$a" "$b") (target >= 0.95); fio of $m over dd4K of $last $(ratio "$c" "$d") (target >= 1.5)"
done
for m in $MODES; do
	# direct_io caches nothing, and 8 GiB in 4 KiB requests takes minutes
	[ "$m" != never ] && [ "$m" != auto ] || continue
	mount_mode "$m"
	set -- $(held "$MNT/$m")
	unmount_mode "$m"
	echo "page cache, cache=$m, dd bs=4K of 8 GiB: during: file $1 MiB, Cached +$2 MiB; after: file $3 MiB, Cached +$4 MiB (target <= 256; Cached counts the whole machine)"
done
