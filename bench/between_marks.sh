#!/bin/sh
# SPDX-License-Identifier: MIT
# between_marks.sh - writes a generated block into a source file: the lines
# of BLOCK (which begin with "/* BEGIN MARK " and end with "/* END MARK */")
# replace those between the file's own BEGIN MARK and END MARK lines, marks
# included; the rest of FILE is kept byte for byte.  The one place that
# does this for the generators that write into the source
# (bench/calib3_table.sh, bench/profiles_build.sh).  Not a generator.
#   bench/between_marks.sh FILE MARK BLOCK
set -eu
file=$1 mark=$2 block=$3
grep -q "^/\* END $mark \*/\$" "$block" ||
	{ echo "between_marks.sh: $block has no END $mark mark" >&2; exit 1; }
awk -v block="$block" -v begin="/* BEGIN $mark " -v end="/* END $mark */" '
	index($0, begin) == 1 { while ((getline l < block) > 0) print l; skip = 1; next }
	$0 == end { if (skip) { skip = 0; done = 1; next } }
	!skip { print }
	END { if (!done) exit 1 }' "$file" >"$block.new" ||
	{ rm -f "$block.new"; echo "between_marks.sh: no BEGIN/END $mark marks in $file" >&2; exit 1; }
cat "$block.new" >"$file"
rm -f "$block.new"
