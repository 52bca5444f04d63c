#!/bin/sh
# calibrate.sh - re-derive the compression constants of the content formats
# with the real codecs: bench/dgen-calibrate fits each codec's cost per
# piece at 4, 32 and 128 KiB, and this prints the fit beside the table the
# code holds (src/lib/format2/calibration.c for format 2; format1/calibration.c holds
# format 1's, the middle of the fits across unit sizes).  The constants are
# part of the format: if they move, that is a new format version, never an
# edit.  Not a test.  From the build tree after `make`:
#   bench/calibrate.sh [FORMAT]
set -eu
format=${1:-2}
tool=${DGEN_CALIBRATE:-./bench/dgen-calibrate}
src=${top_srcdir:-$(dirname "$0")/..}
[ -x "$tool" ] || { echo "calibrate: $tool not built (run make)" >&2; exit 2; }
echo "# measured now, $(lscpu | sed -n 's/^Model name: *//p'), lz4 $(pkg-config --modversion liblz4 2>/dev/null), zstd $(pkg-config --modversion libzstd 2>/dev/null), zlib $(pkg-config --modversion zlib 2>/dev/null)"
"$tool" "$format"
if [ "$format" = 2 ]; then
	echo "# in src/lib/format2/calibration.c"
	sed -n '/^static const struct fit costs/,/^};/p' "$src/src/lib/format2/calibration.c"
else
	echo "# in src/lib/format1/calibration.c (a, b; masks and highest ratios: src/lib/core/codec.c)"
	sed -n '/^static const struct cost_model models/,/^};/p;/^static const struct cost_model zlib_bytes/p' "$src/src/lib/format1/calibration.c"
fi
