#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_fuse.sh - throughput and CPU of a dgenfs mount against its ceiling
# and against an older build.
#
#   bench/bench_fuse.sh [-b BASE_DGENFS] [SIZE [RSS_SIZE]]
#                                   (as root; defaults 16GiB 50GiB)
#
# In one run on one machine, mounts side by side: gen (this build,
# generating), null (this build, -o null_data: the same path with the
# generation skipped, the ceiling) and, with -b, base and basenull (the
# program BASE_DGENFS, e.g. a build of the commit before a change,
# generating and with -o null_data).  Each round measures every mount in
# turn, the order reversed every other round so the machine's other load
# hits all alike: one `dd bs=1M` of a SIZE magic file (MB/s, and CPU seconds
# per GB served: the daemon's and dd's user + system time over the bytes),
# two parallel streams, and `cat FILE >/dev/null`.  Then the medians of the
# rounds and the ratios the targets are about: generated/null >= 0.90 (one
# and two streams), generated/base null_data >= 1.10 (one stream), CPU
# <= 0.22 s/GB, cat/dd >= 0.85; last the daemon's RSS sampled every second
# across a RSS_SIZE stream (flat within 10 MiB).  Not a test: nothing here
# passes or fails.
# ROUNDS (default 5) sets how many rounds.  MOUNT_OPTS adds dgenfs options
# to every mount (e.g. numa=off); with BASELINE_OPTS set, one more mount of
# this build with MOUNT_OPTS plus those ("opts") is measured in the same
# rounds and "generated/opts" ratios follow.  SPEC is the name's suffix
# after SIZE (default -d2-c3; empty: incompressible).  DGENFS and DGEN name
# the programs (default: the build tree's).
set -eu

BASE_DGENFS=
if [ "${1:-}" = -b ]; then
	BASE_DGENFS=$2
	shift 2
fi
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
[ -z "$BASE_DGENFS" ] || MODES="$MODES base basenull"
[ -z "$BASELINE_OPTS" ] || MODES="$MODES opts"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
daemon_pid() { sed -n 's/^pid //p' "$MNT/$1/.dgenfs/stats"; }
# CPU seconds (user + system, all threads) process PID has used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

opts=threads=$(nproc)${MOUNT_OPTS:+,$MOUNT_OPTS}
mount_mode() {	# MODE PROGRAM OPTIONS
	mkdir "$MNT/$1"
	"$2" -c none -o "$3" "$MNT/$1"
}
mount_mode gen "$DGENFS" "$opts"
mount_mode null "$DGENFS" "$opts,null_data"
if [ -n "$BASE_DGENFS" ]; then
	mount_mode base "$BASE_DGENFS" "$opts"
	mount_mode basenull "$BASE_DGENFS" "$opts,null_data"
fi
[ -z "$BASELINE_OPTS" ] || mount_mode opts "$DGENFS" "$opts,$BASELINE_OPTS"
BYTES=$(stat -c %s "$MNT/gen/$NAME")

# One dd bs=1M: "MB/s CPU-seconds-per-GB" (daemon + dd).
stream_with_cpu() {
	pid=$(daemon_pid "$1")
	before=$(cpu_of "$pid")
	start=$(now)
	reader=$( { /usr/bin/time -f '%U %S' dd if="$MNT/$1/$NAME" of=/dev/null bs=1M status=none; } 2>&1 )
	end=$(now)
	after=$(cpu_of "$pid")
	echo "$(rate "$BYTES" "$start" "$end") $(awk -v b="$before" -v a="$after" -v r="$reader" -v n="$BYTES" 'BEGIN {
		split(r, t, " "); printf "%.3f", (a - b + t[1] + t[2]) / (n / 1e9) }')"
}

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

reversed() { printf '%s\n' $1 | tac | tr '\n' ' '; }

echo "dgenfs bench: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file $NAME, median of $ROUNDS rounds, MB/s = 10^6 bytes per second, CPU in s/GB (daemon + reader), $(sed -n 's/^simd //p' "$MNT/gen/.dgenfs/stats")"
echo "mounts: gen -o $opts; null -o $opts,null_data${BASE_DGENFS:+; base and basenull: $BASE_DGENFS, the same options}${BASELINE_OPTS:+; opts -o $opts,$BASELINE_OPTS}"
for m in $MODES; do
	eval "${m}_ones= ${m}_cpus= ${m}_twos= ${m}_cats="
done
for round in $(seq "$ROUNDS"); do
	line="round $round:"
	order=$MODES
	[ $((round % 2)) = 1 ] || order=$(reversed "$MODES")
	for m in $order; do
		set -- $(stream_with_cpu $m)
		one=$1 cpu=$2
		two=$(two_streams $m)
		cat=$(cat_stream $m)
		eval "${m}_ones=\"\$${m}_ones $one\" ${m}_cpus=\"\$${m}_cpus $cpu\" ${m}_twos=\"\$${m}_twos $two\" ${m}_cats=\"\$${m}_cats $cat\""
		line="$line $m dd $one ($cpu s/GB), dd x2 $two, cat $cat;"
	done
	echo "$line"
done
for m in $MODES; do
	eval "${m}_one=\$(median \$${m}_ones) ${m}_cpu=\$(median \$${m}_cpus) ${m}_two=\$(median \$${m}_twos) ${m}_cat=\$(median \$${m}_cats)"
	eval "echo \"median $m: dd \$${m}_one, \$${m}_cpu s/GB; dd x2 \$${m}_two; cat \$${m}_cat\""
done
echo "generated/null, 1 stream:  $(ratio "$gen_one" "$null_one")   (target >= 0.90)"
echo "generated/null, 2 streams: $(ratio "$gen_two" "$null_two")   (target >= 0.90)"
echo "CPU per GB, generated:     $gen_cpu s/GB (target <= 0.22); null_data $null_cpu"
echo "cat/dd, generated:         $(ratio "$gen_cat" "$gen_one")   (target >= 0.85)"
echo "cat/dd, null_data:         $(ratio "$null_cat" "$null_one")"
if [ -n "$BASE_DGENFS" ]; then
	echo "generated/base null_data, 1 stream:  $(ratio "$gen_one" "$basenull_one")   (target >= 1.10)"
	echo "generated/base null_data, 2 streams: $(ratio "$gen_two" "$basenull_two")"
	echo "generated/base generated, 1 stream:  $(ratio "$gen_one" "$base_one"); 2 streams $(ratio "$gen_two" "$base_two")"
	echo "base generated/base null_data, 1 stream: $(ratio "$base_one" "$basenull_one"); 2 streams $(ratio "$base_two" "$basenull_two")"
	echo "CPU per GB, base generated: $base_cpu s/GB; base null_data $basenull_cpu"
fi
if [ -n "$BASELINE_OPTS" ]; then
	echo "generated/opts ($BASELINE_OPTS), 1 stream:  $(ratio "$gen_one" "$opts_one"); 2 streams $(ratio "$gen_two" "$opts_two"); cat $(ratio "$gen_cat" "$opts_cat"); CPU $opts_cpu s/GB"
fi
for m in $MODES; do
	[ "$m" = gen ] || fusermount3 -u "$MNT/$m"
done
[ "$RSS_SIZE" != 0 ] || exit 0

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
