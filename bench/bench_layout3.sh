#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_layout3.sh - format 3's draft dedup layout (src/lib/format3/
# layout3.c) measured with the real tools: files written by
# bench/layout3-write (pieces keyed by their source piece, so only the
# layout is measured, not format 3's bytes), backed up by restic and borg
# (dedup = file bytes / bytes stored), fixed-block dedup counted over the
# file's aligned blocks, and zstd --long=27 on a file whose pieces are half
# zero (2:1) at d3.  Prints one table row per measurement beside the
# layout's prediction.  Not a test: nothing is judged.
#
# usage: bench/bench_layout3.sh [SIZE_MIB] (default 1024; run from the
# build tree after make, which builds bench/layout3-write)
set -eu
size_mib=${1:-1024}
size=$((size_mib << 20))
writer=${LAYOUT3_WRITE:-bench/layout3-write}
[ -x "$writer" ] || { echo "bench_layout3.sh: build $writer first (make)" >&2; exit 2; }
for tool in restic borg zstd python3; do
	command -v $tool >/dev/null || { echo "bench_layout3.sh: $tool missing" >&2; exit 2; }
done
work=$(mktemp -d /tmp/bench_layout3.XXXXXX)
trap 'rm -rf "$work"' EXIT
export RESTIC_PASSWORD=bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
echo "# $(restic version | cut -d' ' -f1-2), $(borg --version), zstd $(zstd -q --version 2>/dev/null || zstd --version | sed 's/.* v\([0-9.]*\),.*/\1/')"
echo "# file MiB | dedup | extent MiB | tool | measured | layout's fixed-block prediction"

ratio() { python3 -c "import sys; print('%.3f' % (int(sys.argv[1]) / int(sys.argv[2])))" "$@"; }

for x in 96 80; do
	for d in 2 3; do
		f=$work/f-d$d-e$x
		"$writer" "$size" "$d" "$x" > "$f" 2> "$f.layout"
		pred=$(sed -n 's/^fixed-block 1048576: dedup //p' "$f.layout")
		restic init -q -r "$work/restic" >/dev/null
		restic backup -q -r "$work/restic" --compression off "$f" >/dev/null
		stored=$(restic stats -q -r "$work/restic" --mode raw-data --json |
			 python3 -c 'import json,sys; print(json.load(sys.stdin)["total_size"])')
		echo "$size_mib | $d | $x | restic | $(ratio "$size" "$stored") | $pred"
		rm -rf "$work/restic"
		borg init -e none "$work/borg"
		borg create --compression none "$work/borg::a" "$f"
		stored=$(borg info --json "$work/borg::a" |
			 python3 -c 'import json,sys; print(json.load(sys.stdin)["archives"][0]["stats"]["deduplicated_size"])')
		echo "$size_mib | $d | $x | borg | $(ratio "$size" "$stored") | $pred"
		rm -rf "$work/borg"
		if [ "$x$d" = 963 ]; then
			python3 - "$f" "$size_mib" <<'PY'
import hashlib, sys
path, mib = sys.argv[1], sys.argv[2]
for shift in range(12, 21):
    b = 1 << shift
    seen, total = set(), 0
    with open(path, 'rb') as fh:
        while True:
            blk = fh.read(b)
            if not blk:
                break
            total += 1
            seen.add(hashlib.blake2b(blk, digest_size=16).digest())
    print("%s | 3 | 96 | fixed-block %d | %.3f | (above)" % (mib, b, total / len(seen)))
PY
			sed -n 's/^fixed-block *\([0-9]*\): dedup \(.*\)/# prediction at \1: \2/p' "$f.layout"
		fi
		rm -f "$f"
	done
done
f=$work/half-d3
"$writer" "$size" 3 96 --half > "$f" 2>/dev/null
for long in "" --long=27; do
	out=$(zstd -q -1 -T2 $long -c "$f" | wc -c)
	echo "$size_mib | 3, pieces 2:1 | 96 | zstd -1 ${long:-(no long)} | $(ratio "$size" "$out") | 6 with long"
done
