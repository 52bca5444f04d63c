#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_small.sh - small-request readers through a dgenfs mount against a
# 1 MiB stream of the same mount, for each -o cache mode.
#
#   bench/bench_small.sh [MODE...]        (as root; default: auto never always)
#
# Each round mounts one fresh filesystem per cache MODE (the order reversed
# every other round, so the machine's other load hits all alike; fresh, so
# nothing is in the page cache from a round before) with the source tree's
# etc/dgenfs.conf (or $CONFIG), and measures on it, in MB/s:
#   dd1M   dd bs=1M of a 1 GiB magic file (the yardstick)
#   dd4K   dd bs=4K of 256 MiB of another 1 GiB file
#   tar    tar cf - FILE | cat, a third 1 GiB file (GNU tar: 10 KiB records)
#   fio    fio --rw=randread --bs=4k, 256 MiB of a fourth 1 GiB file
#   tree   tar cf - small | cat, the `small` dataset (10,000 files, 1.7 GiB)
# every file a name not read before.  Prints each round, the medians and
# each reader over dd1M of the same mount (target >= 0.40).  Not a test:
# nothing here passes or fails.  ROUNDS (default 5); MOUNT_OPTS adds dgenfs
# options; SPEC the names' suffix after the size (default -d2-c3); DGENFS
# the program (default: the build tree's).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
CONFIG=${CONFIG:-$here/etc/dgenfs.conf}
. "$here/bench/bench_lib.sh"
MODES=${*:-auto never always}
ROUNDS=${ROUNDS:-5}
SPEC=${SPEC--d2-c3}
opts=threads=$(nproc)${MOUNT_OPTS:+,$MOUNT_OPTS}
FILE_BYTES=1073741824
PART_BYTES=268435456
READERS="dd1M dd4K tar fio tree"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
reversed() { printf '%s\n' $1 | tac | tr '\n' ' '; }
timed() {	# BYTES COMMAND...: MB/s
	bytes=$1
	shift
	start=$(now)
	"$@"
	rate "$bytes" "$start" "$(now)"
}
tar_to_pipe() { tar -C "$1" -cf - "$2" | cat >/dev/null; }
fio_randread() {	# FILE: MB/s, from fio's terse line (field 7: KiB/s)
	fio --name=randread --filename="$1" --readonly --rw=randread --bs=4k \
	    --size=1G --io_size=256M --ioengine=psync --minimal |
		awk -F';' '{ printf "%.0f", $7 * 1024 / 1e6 }'
}

# measure MOUNTPOINT SEED: "dd1M dd4K tar fio tree" MB/s, each file unread.
measure() {
	f=1GiB$SPEC-s$2
	dd1m=$(timed $FILE_BYTES dd if="$1/${f}1" of=/dev/null bs=1M status=none)
	dd4k=$(timed $PART_BYTES dd if="$1/${f}2" of=/dev/null bs=4K count=65536 status=none)
	tar=$(timed $FILE_BYTES tar_to_pipe "$1" "${f}3")
	fio=$(fio_randread "$1/${f}4")
	tree=$(timed "$TREE_BYTES" tar_to_pipe "$1" small)
	echo "$dd1m $dd4k $tar $fio $tree"
}

mkdir "$MNT/probe"
"$DGENFS" -c "$CONFIG" -o "$opts" "$MNT/probe"
TREE_BYTES=$(sed -n 's/^dataset small .* bytes \([0-9]*\) .*/\1/p' "$MNT/probe/.dgenfs/stats")
echo "bench_small: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $ROUNDS rounds, MB/s; 1 GiB files 1GiB$SPEC-sN, tree small ($TREE_BYTES bytes), $(sed -n 's/^simd //p' "$MNT/probe/.dgenfs/stats"), -o $opts,cache=MODE"
fusermount3 -u "$MNT/probe"

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
		mkdir "$MNT/$m"
		"$DGENFS" -c "$CONFIG" -o "$opts,cache=$m" "$MNT/$m"
		set -- $(measure "$MNT/$m" "$round")
		fusermount3 -u "$MNT/$m"
		rmdir "$MNT/$m"
		line="$line $m"
		for r in $READERS; do
			eval "${m}_$r=\"\$${m}_$r $1\""
			line="$line $r $1"
			shift
		done
		line="$line;"
	done
	echo "$line"
done
for m in $MODES; do
	line="median cache=$m:"
	for r in $READERS; do
		eval "v=\$(median \$${m}_$r)"
		eval "med_$r=$v"
		line="$line $r $v"
	done
	echo "$line"
	echo "  over dd1M, cache=$m: dd4K $(ratio "$med_dd4K" "$med_dd1M"), tar $(ratio "$med_tar" "$med_dd1M"), fio $(ratio "$med_fio" "$med_dd1M"), tree $(ratio "$med_tree" "$med_dd1M")   (target >= 0.40)"
done
