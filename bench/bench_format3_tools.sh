#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_format3_tools.sh - content format 3 (the default) against the real
# backup tools and chunkers, the rows of issue 20's target table that
# tests do not run on every build (too slow for make check): restic and
# borg dedup on magic files of SIZE (default 2GiB), casync's and borg's
# average chunk on c4 against c1, and zstd --long=27 on a 1 GiB d3 c2
# file.  Each row prints the tool, the name, what was asked and what the
# tool saw.  Not a test: nothing is judged or timed.  From the build tree:
#   bench/bench_format3_tools.sh [SIZE]
set -eu
size=${1:-2GiB}
dgen=${DGEN:-./dgen}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/stores_lib.sh"
for t in restic borg casync zstd python3; do
	command -v $t >/dev/null || { echo "bench_format3_tools.sh: $t missing" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_format3_tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "# $(restic version | cut -d' ' -f1-2), $(borg --version), casync $(casync --version | sed -n '1s/^casync //p'), zstd $(zstd -V | sed 's/.* v\([0-9.]*\).*/\1/')"
echo "# tool | name | asked | measured"
for spec in "d2-c1 2" "d3-c3 3" "d3-c5 3" "d2-c8 2"; do
	set -- $spec
	name="$size-$1-s$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')"
	"$dgen" cat "$name" >"$work/f"
	echo "restic | $name | $2 | $(restic_dedup "$work/f")"
	echo "borg   | $name | $2 | $(borg_dedup "$work/f")"
	rm -f "$work/f"
done
for c in 1 4 8; do
	"$dgen" cat "256MiB-c$c-s5" >"$work/c$c"
	printf 'casync avg chunk KiB | 256MiB-c%s | - | %s\n' "$c" \
		"$(awk -v b="$(casync_avg_chunk "$work/c$c")" 'BEGIN { printf "%.1f", b / 1024 }')"
	printf 'borg avg chunk KiB   | 256MiB-c%s | - | %s\n' "$c" \
		"$(awk -v b="$(borg_avg_chunk "$work/c$c")" 'BEGIN { printf "%.1f", b / 1024 }')"
	rm -f "$work/c$c"
done
"$dgen" cat 1GiB-d3-c2-s11 >"$work/z"
plain=$(zstd -1 -T2 -q -c "$work/z" | wc -c)
long=$(zstd -1 -T2 --long=27 -q -c "$work/z" | wc -c)
echo "zstd -1 | 1GiB-d3-c2-s11 | 2 | $(stores_ratio 1073741824 "$plain")"
echo "zstd -1 --long=27 | 1GiB-d3-c2-s11 | 6 | $(stores_ratio 1073741824 "$long")"
