#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_fuse.sh - throughput of a dgenfs mount against its own ceiling.
#
#   bench/bench_fuse.sh [SIZE [RSS_SIZE]]      (as root; defaults 16GiB 50GiB)
#
# In one run on one machine: dd bs=1M from a SIZE magic file, one stream and
# two in parallel, generated and with -o null_data (the same code path with
# the generation skipped: the ceiling); cat FILE >/dev/null against dd; and
# the daemon's RSS sampled every second across a RSS_SIZE stream.  Prints
# the ratios the targets are about: generated/null >= 0.90, cat/dd >= 0.85,
# RSS flat within 10 MiB.  Not a test: nothing here passes or fails.
# ROUNDS (default 5) sets how many times each figure is measured.
# MOUNT_OPTS adds dgenfs options to every mount (e.g. numa=off); with
# BASELINE_OPTS set (e.g. ahead=0), a third mount with MOUNT_OPTS plus those
# is measured in the same rounds and "generated/baseline" ratios follow.
# SPEC is the name's suffix after SIZE (default -d2-c3; empty: incompressible).
# DGENFS and DGEN name the programs (default: the build tree's).
set -eu

SIZE=${1:-16GiB}
RSS_SIZE=${2:-50GiB}
here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
DGEN=${DGEN:-$here/dgen}
. "$here/bench/bench_lib.sh"
SPEC=${SPEC--d2-c3}		# what a user would stream: dedup and compression
NAME=$SIZE$SPEC
OTHER=$SIZE$SPEC-s1		# a second file for the second stream

ROUNDS=${ROUNDS:-5}
MOUNT_OPTS=${MOUNT_OPTS:-}
BASELINE_OPTS=${BASELINE_OPTS:-}
MODES="gen null"
[ -z "$BASELINE_OPTS" ] || MODES="gen base null"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
daemon_pid() { sed -n 's/^pid //p' "$MNT/$1/.dgenfs/stats"; }

# Generated and null_data mounted side by side, measured in turn: the
# machine's other load hits both alike; the median of ROUNDS is kept.
opts=threads=$(nproc)${MOUNT_OPTS:+,$MOUNT_OPTS}
mkdir "$MNT/gen" "$MNT/null"
"$DGENFS" -o "$opts" "$MNT/gen"
"$DGENFS" -o "$opts",null_data "$MNT/null"
if [ -n "$BASELINE_OPTS" ]; then
	mkdir "$MNT/base"
	"$DGENFS" -o "$opts,$BASELINE_OPTS" "$MNT/base"
fi
BYTES=$(stat -c %s "$MNT/gen/$NAME")

two_streams() {
	start=$(now)
	dd if="$MNT/$1/$NAME" of=/dev/null bs=1M status=none &
	dd if="$MNT/$1/$OTHER" of=/dev/null bs=1M status=none
	wait
	rate $((2 * BYTES)) "$start" "$(now)"
}

cat_stream() {
	start=$(now)
	cat "$MNT/$1/$NAME" >/dev/null
	rate "$BYTES" "$start" "$(now)"
}

echo "dgenfs bench: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file $NAME, median of $ROUNDS rounds, MB/s = 10^6 bytes per second, $(sed -n 's/^simd //p' "$MNT/gen/.dgenfs/stats")"
[ -z "$MOUNT_OPTS$BASELINE_OPTS" ] ||
	echo "options: gen -o $opts; null -o $opts,null_data${BASELINE_OPTS:+; base -o $opts,$BASELINE_OPTS}"
for m in $MODES; do
	eval "${m}_ones= ${m}_twos= ${m}_cats="
done
for round in $(seq "$ROUNDS"); do
	line="round $round:"
	for m in $MODES; do
		one=$(one_stream $m)
		two=$(two_streams $m)
		cat=$(cat_stream $m)
		eval "${m}_ones=\"\$${m}_ones $one\" ${m}_twos=\"\$${m}_twos $two\" ${m}_cats=\"\$${m}_cats $cat\""
		line="$line $m dd $one, dd x2 $two, cat $cat;"
	done
	echo "$line"
done
for m in $MODES; do
	eval "${m}_one=\$(median \$${m}_ones) ${m}_two=\$(median \$${m}_twos) ${m}_cat=\$(median \$${m}_cats)"
done
echo "median: gen dd $gen_one, dd x2 $gen_two, cat $gen_cat; null dd $null_one, dd x2 $null_two, cat $null_cat"
echo "generated/null, 1 stream:  $(ratio "$gen_one" "$null_one")   (target >= 0.90)"
echo "generated/null, 2 streams: $(ratio "$gen_two" "$null_two")   (target >= 0.90)"
echo "cat/dd, generated:         $(ratio "$gen_cat" "$gen_one")   (target >= 0.85)"
echo "cat/dd, null_data:         $(ratio "$null_cat" "$null_one")"
if [ -n "$BASELINE_OPTS" ]; then
	echo "baseline ($BASELINE_OPTS) median: dd $base_one, dd x2 $base_two, cat $base_cat"
	echo "baseline/null, 1 stream:   $(ratio "$base_one" "$null_one")"
	echo "generated/baseline, 1 stream:  $(ratio "$gen_one" "$base_one")"
	echo "generated/baseline, 2 streams: $(ratio "$gen_two" "$base_two")"
	echo "generated/baseline, cat:       $(ratio "$gen_cat" "$base_cat")"
	fusermount3 -u "$MNT/base"
fi
fusermount3 -u "$MNT/null"

# RSS across a long stream: sampled every second.
PID=$(daemon_pid gen)
dd if="$MNT/gen/$RSS_SIZE" of=/dev/null bs=1M status=none &
reader=$!
samples=""
while kill -0 "$reader" 2>/dev/null; do
	samples="$samples $(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")"
	sleep 1
done
wait "$reader"
echo "$samples" | awk -v size="$RSS_SIZE" '{
	min = max = $1
	for (i = 1; i <= NF; i++) { if ($i < min) min = $i; if ($i > max) max = $i }
	printf "daemon RSS over a %s stream: %d samples, first %d KiB, last %d KiB, min %d, max %d, spread %.1f MiB (target <= 10)\n",
	       size, NF, $1, $NF, min, max, (max - min) / 1024
}'
