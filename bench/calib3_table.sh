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

echo "calib3_table.sh: $("$srcdir/bench/machine_codecs.sh")" >&2
"$tool" >"$work/table"
"$srcdir/bench/between_marks.sh" "$file" calib3_table "$work/table"
echo "calib3_table.sh: wrote $file" >&2
