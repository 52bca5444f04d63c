#!/bin/sh
# SPDX-License-Identifier: MIT
# calib3_table.sh - regenerates format 3's calibration table: runs
# bench/calib3_table (measures and fits every family and sector count on
# the real codecs) and writes its output over the block between the
# "BEGIN calib3_table" and "END calib3_table" marks of
# src/lib/format3/calibration3.c.  Not a test; nothing is timed.  Rebuild
# and run tests/test_calib3 afterwards.  From the build tree after `make`:
#   bench/calib3_table.sh [SRCDIR]          (default: the source tree .)
set -eu
srcdir=${1:-.}
tool=${CALIB3_TABLE:-./bench/calib3_table}
file=$srcdir/src/lib/format3/calibration3.c
[ -x "$tool" ] || { echo "calib3_table.sh: $tool not built (make; it needs liblzo2)" >&2; exit 2; }
[ -f "$file" ] || { echo "calib3_table.sh: no $file" >&2; exit 2; }
work=$(mktemp -d /tmp/calib3_table.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "calib3_table.sh: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs;" \
	"lz4 $(pkg-config --modversion liblz4), zstd $(pkg-config --modversion libzstd)," \
	"zlib $(pkg-config --modversion zlib), lzo $(pkg-config --modversion lzo2)" >&2
"$tool" >"$work/table"
grep -q '^/\* END calib3_table \*/$' "$work/table" ||
	{ echo "calib3_table.sh: $tool printed no table" >&2; exit 1; }
awk -v table="$work/table" '
	/^\/\* BEGIN calib3_table / { while ((getline l < table) > 0) print l; skip = 1; next }
	/^\/\* END calib3_table \*\/$/ { if (skip) { skip = 0; done = 1; next } }
	!skip { print }
	END { if (!done) exit 1 }' "$file" >"$work/new" ||
	{ echo "calib3_table.sh: no BEGIN/END calib3_table marks in $file" >&2; exit 1; }
cat "$work/new" >"$file"
echo "calib3_table.sh: wrote $file" >&2
