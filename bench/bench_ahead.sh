#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_ahead.sh - one sequential reader with and without -o ahead, paired.
#
#   bench/bench_ahead.sh [NAME [PAIRS]]     (as root; defaults 1GiB-d2-c3 10)
#
# Three mounts side by side: ahead=1, ahead=0 and null_data (the ceiling);
# PAIRS rounds of one `dd bs=1M` of NAME from each, alternating which goes
# first, so a noisy machine's load hits all three alike.  Prints each round,
# the medians, how many rounds ahead=1 won and the ahead counters.  Where
# bench_fuse.sh gives the overall figures, this one isolates -o ahead on
# one stream.  DGEN_SIMD (libdgen's) makes generation slower for a look at
# machines where it costs more.  MOUNT_OPTS adds options to every mount.
# Not a test: nothing here passes or fails.
set -eu

NAME=${1:-1GiB-d2-c3}
PAIRS=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
. "$here/bench/bench_lib.sh"
opts=threads=$(nproc)${MOUNT_OPTS:+,$MOUNT_OPTS}

mkdir "$MNT/ahead" "$MNT/inline" "$MNT/null"
"$DGENFS" -o "$opts,ahead=1" "$MNT/ahead"
"$DGENFS" -o "$opts,ahead=0" "$MNT/inline"
"$DGENFS" -o "$opts,null_data" "$MNT/null"
BYTES=$(stat -c %s "$MNT/ahead/$NAME")


echo "bench_ahead: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file $NAME, $PAIRS rounds, MB/s, $(sed -n 's/^simd //p' "$MNT/ahead/.dgenfs/stats"), options -o $opts"
as= is= ns= wins=0
for round in $(seq "$PAIRS"); do
	if [ $((round % 2)) = 1 ]; then
		a=$(one_stream ahead); i=$(one_stream inline); n=$(one_stream null)
	else
		n=$(one_stream null); i=$(one_stream inline); a=$(one_stream ahead)
	fi
	as="$as $a" is="$is $i" ns="$ns $n"
	[ "$a" -le "$i" ] || wins=$((wins + 1))
	echo "round $round: ahead=1 $a, ahead=0 $i, null_data $n"
done
a=$(median $as) i=$(median $is) n=$(median $ns)
echo "median: ahead=1 $a, ahead=0 $i, null_data $n; ahead=1 won $wins of $PAIRS"
awk -v a="$a" -v i="$i" -v n="$n" 'BEGIN { printf "ahead=1/ahead=0 %.3f, ahead=1/null %.3f, ahead=0/null %.3f\n", a / i, a / n, i / n }'
grep '^ahead_' "$MNT/ahead/.dgenfs/stats" | tr '\n' ' '
echo
