#!/bin/sh
# SPDX-License-Identifier: MIT
# calib3_chunkers.sh - the average chunk content-defined chunkers cut on
# format 3's calibrated shapes (docs/FORMAT3-PIECES.md, "Calibration II
# (measured)"; issue 20's target: casync's average chunk on c4 at most 1.5x
# its c1 average, borg's likewise).  The bytes come from bench/calib3 write
# (the library's own piece writer; c1 is the NULL shape, i.e. random
# bytes), the chunkers run through tests/stores_lib.sh's helpers
# (casync_avg_chunk: `casync make`, default 16/64/256 KiB; borg_avg_chunk:
# borg create, default buzhash 19,23,21,4095).  Format 2's c1 and c4 from
# `dgen cat` for contrast; c4n28, c8n28, c4n153, c4n209: what-ifs with
# 28 to 209 copies (not calibrated to c).  Then restic's and borg's dedup (restic_dedup,
# borg_dedup) on a d2 file of D_MIB MiB in format 3's draft layout
# (docs/FORMAT3-LAYOUT.md, default 96 MiB extent) written by
# bench/layout3-write with random pieces, with format 3's c1 and c4
# pieces and with the c4n153 what-if.  Not a test: nothing is judged or timed.
#
# usage, from the build tree after make:
#   bench/calib3_chunkers.sh [MIB [D_MIB]]      (defaults 256, 1024)
set -eu
mib=${1:-256}
d_mib=${2:-1024}
tool=${CALIB3:-./bench/calib3}
layout=${LAYOUT3_WRITE:-./bench/layout3-write}
dgen=${DGEN:-./dgen}
top=$(cd "$(dirname "$0")/.." && pwd)
for t in "$tool" "$layout"; do
	[ -x "$t" ] || { echo "calib3_chunkers.sh: $t not built (run make)" >&2; exit 2; }
done
. "$top/tests/stores_lib.sh"
for t in casync borg restic python3; do
	command -v $t >/dev/null || { echo "calib3_chunkers.sh: $t missing" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/calib3_chunkers.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "# casync $(casync --version | sed -n '1s/^casync //p'), $(borg --version); $mib MiB per row"
echo "# name | shape (lit p mmin n abits dtail) | casync avg chunk KiB | x c1 | borg avg chunk KiB | x c1"
c1_casync= c1_borg=
row() {
	name=$1 shape=$2 f=$3
	cas=$(casync_avg_chunk "$f")
	bor=$(borg_avg_chunk "$f" 2>/dev/null)
	if [ -z "$c1_casync" ]; then c1_casync=$cas c1_borg=$bor; fi
	awk -v n="$name" -v s="$shape" -v a="$cas" -v b="$bor" -v a1="$c1_casync" -v b1="$c1_borg" \
		'BEGIN { printf "%s | %s | %.1f | %.2f | %.1f | %.2f\n", n, s, a / 1024, a / a1, b / 1024, b / b1 }'
	rm -f "$f"
}
# format 3: c1 first (the reference), then the calibration table's shapes
while read -r name shape; do
	# shellcheck disable=SC2086
	"$tool" write $shape --mib="$mib" >"$work/f"
	row "$name-f3" "$shape" "$work/f"
done <<'EOF'
c1 0 0 0 0 0 0
c2 1783 160 8 28 4 80
c4 851 128 8 8 4 64
c8 436 48 0 0 4 24
c4n28 851 96 8 28 4 48
c8n28 436 48 8 28 4 24
c4n153 851 160 8 153 4 80
c4n209 851 256 48 209 4 128
EOF
if [ -x "$dgen" ]; then
	c1_casync= c1_borg=
	for name in c1-f2 c4-f2; do
		"$dgen" cat "${mib}MiB-$name" >"$work/f"
		row "$name" "(format 2)" "$work/f"
	done
fi

echo "# $(restic version | cut -d' ' -f1-2); d2 file of $d_mib MiB, format 3's layout, 96 MiB extents"
echo "# pieces | restic dedup | borg dedup | the layout's fixed-block 1 MiB prediction"
while read -r name shape; do
	# shellcheck disable=SC2086
	"$layout" $((d_mib << 20)) 2 96 $shape >"$work/d2" 2>"$work/d2.layout"
	pred=$(sed -n 's/^fixed-block 1048576: dedup //p' "$work/d2.layout")
	echo "$name | $(restic_dedup "$work/d2") | $(borg_dedup "$work/d2" 2>/dev/null) | $pred"
	rm -f "$work/d2"
done <<'EOF'
random
c1-f3 --shape=0,0,0,0,0,0
c4-f3 --shape=851,128,8,8,4,64
c4n153-f3 --shape=851,160,8,153,4,80
EOF
