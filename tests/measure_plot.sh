#!/bin/sh
# SPDX-License-Identifier: MIT
# measure_plot.sh - dgen measure --plot FILE.png: a valid PNG (signature,
# chunk CRCs, IHDR, PLTE, IDAT inflating to the image's size, IEND: checked
# by tests/png_check.py) whose bars follow the data: the compression bars
# of c4 data rise where c1's do not, the dedup bars of d4 data where d1's
# do not; the report on stdout is unchanged by it; a file that cannot be
# opened fails before the measurement, one that cannot be written fails
# with exit status 3.
. "${top_srcdir:-.}/tests/cli_lib.sh"
PYTHON=${PYTHON:-python3}
CHECK=${top_srcdir:-.}/tests/png_check.py

# pixels COUNTS RRGGBB: the pixels of that color png_check.py counted
pixels() {
	awk -v c="$2" '$1 == c { n = $2 } END { print n + 0 }' "$1"
}
DEDUP=4e79a7
CODECS="f28e2b 59a14f e15759"	# lz4, zstd, zlib
LEGEND=196			# each codec's 14 x 14 legend swatch

for name in 8MiB-d1-c1 8MiB-d1-c4 8MiB-d4-c1; do
	"$DGEN" cat "$name" >"$work/$name" || fail "dgen cat $name"
	run 0 "$DGEN" measure "$work/$name" --plot "$work/$name.png" --quiet
	expect_out "measured: 1 input, 8388608 bytes"
	"$PYTHON" "$CHECK" "$work/$name.png" >"$work/$name.counts" ||
		fail "$name: --plot wrote no valid PNG"
	[ "$(head -1 "$work/$name.counts")" = "1000 500" ] ||
		fail "$name: image of $(head -1 "$work/$name.counts")"
done

# Incompressible data: no compression bar, only the legend's swatches;
# data that compresses 4:1 raises a bar of every codec at every unit.
for c in $CODECS; do
	n=$(pixels "$work/8MiB-d1-c1.counts" $c)
	[ "$n" = $LEGEND ] || fail "c1: $n pixels of $c, expected the legend's $LEGEND"
	n=$(pixels "$work/8MiB-d1-c4.counts" $c)
	[ "$n" -gt $((LEGEND + 10000)) ] || fail "c4: only $n pixels of $c: no bars"
done
# No dedup bar for unique data; d4 raises all six.
n=$(pixels "$work/8MiB-d1-c1.counts" $DEDUP)
[ "$n" = 0 ] || fail "d1: $n pixels of dedup bars"
n=$(pixels "$work/8MiB-d1-c4.counts" $DEDUP)
[ "$n" = 0 ] || fail "d1 c4: $n pixels of dedup bars"
n=$(pixels "$work/8MiB-d4-c1.counts" $DEDUP)
[ "$n" -gt 20000 ] || fail "d4: only $n pixels of dedup bars"
# and d4's compression bars stay down
for c in $CODECS; do
	n=$(pixels "$work/8MiB-d4-c1.counts" $c)
	[ "$n" = $LEGEND ] || fail "d4 c1: $n pixels of $c"
done

# From stdin, with --json: stdout is the JSON report alone.
"$DGEN" cat 4MiB-d2-c3 | "$DGEN" measure - --json --plot "$work/stdin.png" --quiet \
	>"$work/out" 2>"$work/err" || fail "measure - --json --plot: $(cat "$work/err")"
"$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/out" ||
	fail "--plot spoils --json's stdout"
"$PYTHON" "$CHECK" "$work/stdin.png" >/dev/null || fail "stdin: no valid PNG"

# A path that cannot be opened: exit 2 before anything is measured.
run 2 "$DGEN" measure "$work/8MiB-d1-c1" --plot "$work/nodir/x.png"
expect_err "measure: --plot $work/nodir/x.png: No such file or directory"
[ ! -s "$work/out" ] || fail "measured although the picture cannot be written"
# A write that fails: exit 3, said; a device is not removed.
if [ -w /dev/full ]; then
	run 3 "$DGEN" measure "$work/8MiB-d1-c1" --plot /dev/full --quiet
	expect_err "measure: --plot /dev/full: No space left on device"
	[ -c /dev/full ] || fail "/dev/full is gone"
fi
# --plot needs its FILE
run 2 "$DGEN" measure "$work/8MiB-d1-c1" --plot
exit 0
