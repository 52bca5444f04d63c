#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_measure.sh - dgen measure of a dataset tree (default: `small` of
# etc/dgenfs.conf, 10,000 files of 4 KiB to 1 MiB) by another build's dgen
# (BASE_DGEN, e.g. one built at the commit before a change) and by this
# build's, in alternating rounds; each run reads a fresh mount by this
# build's dgenfs, so no run finds the last one's pages cached.  Prints the
# median seconds and dgen CPU seconds of each and the speed-up (base /
# this).  Not a test.  As root, from the build tree:
#   BASE_DGEN=/tmp/base/dgen bench/bench_measure.sh [ROUNDS] [DATASET]
# MEASURE_OPTS adds options to both (e.g. --compress-sample 1MiB: the
# reading and hashing alone, without the compression sample).
set -eu
ROUNDS=${1:-5}
DATASET=${2:-small}
here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
DGEN=${DGEN:-$here/dgen}
CONF=${CONF:-$here/etc/dgenfs.conf}
MEASURE_OPTS=${MEASURE_OPTS:-}
[ -n "${BASE_DGEN:-}" ] && [ -x "$BASE_DGEN" ] ||
	{ echo "bench_measure: set BASE_DGEN to the other build's dgen" >&2; exit 2; }
. "$here/bench/bench_lib.sh"
mkdir "$MNT/m"

# run DGEN: "seconds cpu-seconds" of one measure of a fresh mount
run() {
	"$DGENFS" -c "$CONF" "$MNT/m"
	start=$(now)
	# shellcheck disable=SC2086 # MEASURE_OPTS is a list of options
	/usr/bin/time -f '%U %S' -o "$MNT/m.time" "$1" measure $MEASURE_OPTS "$MNT/m/$DATASET" >/dev/null
	end=$(now)
	fusermount3 -u "$MNT/m"
	awk -v s="$start" -v e="$end" '{ printf "%.2f %.2f\n", e - s, $1 + $2 }' "$MNT/m.time"
}

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# dgen measure $MEASURE_OPTS $DATASET ($CONF), $ROUNDS alternating rounds, medians"
echo "# base: $BASE_DGEN ($("$BASE_DGEN" --version))"
echo "# this: $DGEN ($("$DGEN" --version))"
bw= bc= tw= tc=
for r in $(seq "$ROUNDS"); do
	set -- $(run "$BASE_DGEN") $(run "$DGEN")
	echo "# round $r: base $1 s ($2 cpu-s), this $3 s ($4 cpu-s)"
	bw="$bw $1" bc="$bc $2" tw="$tw $3" tc="$tc $4"
done
# shellcheck disable=SC2086 # lists of figures
set -- "$(median $bw)" "$(median $bc)" "$(median $tw)" "$(median $tc)"
printf '%-6s %9s %9s\n' build seconds cpu-s
printf '%-6s %9.2f %9.2f\n' base "$1" "$2" this "$3" "$4"
awk -v a="$1" -v b="$3" 'BEGIN { printf "speed-up (base / this): %.2f\n", a / b }'
rm -f "$MNT/m.time"
