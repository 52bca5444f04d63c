#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_learn.sh - how long dgen learn takes on a tree of about 1 GiB of
# real files: the regular files under DIR (default /usr/lib), in sorted
# order, up to SIZE bytes (default 1 GiB), read once first so the page cache
# holds them (the figure is dgen's, not the disk's).  Prints the seconds,
# the rate, the CPU seconds and the profile's size, then the seconds of the
# [calibration] fit that follows the measurement, and both together.  Not a test: timing
# decides no verdict.
#   bench/bench_learn.sh [DIR] [SIZE_BYTES] [THREADS]
set -eu
dir=${1:-/usr/lib}
cap=${2:-1073741824}
threads=${3:-$(nproc)}
dgen=${DGEN:-./dgen}
[ -x "$dgen" ] || { echo "bench_learn: no $dgen (build first, or set DGEN)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the files: regular, readable, sorted by path, until the cap
find "$dir" -type f -readable -printf '%s %p\n' 2>/dev/null | sort -k2 |
	awk -v cap="$cap" '$1 > 0 { if (sum + $1 > cap) exit; sum += $1; print substr($0, index($0, " ") + 1) }' \
	>"$tmp/list"
total=$(tr '\n' '\0' <"$tmp/list" | xargs -0 stat -c %s | awk '{ s += $1 } END { print s }')
tr '\n' '\0' <"$tmp/list" | xargs -0 cat >/dev/null
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(wc -l <"$tmp/list") files under $dir, $total bytes, $threads threads"
# one dgen run over every file (xargs -s: one command line)
tr '\n' '\0' <"$tmp/list" | xargs -0 -s 1900000 sh -c \
	'"$0" learn --json --threads '"$threads"' -o "'"$tmp"'/p.profile" "$@"' "$dgen" >"$tmp/out"
[ "$(tr '\n' '\0' <"$tmp/list" | xargs -0 -s 1900000 echo | wc -l)" = 1 ] ||
	echo "bench_learn: more files than one command line holds: the figure covers several runs" >&2
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("learn: %.1f s, %.1f CPU s, %.0f MB/s, %d files, profile %d bytes;"
      " calibration %.1f s more, %.1f s in all"
      % (d["seconds"], d["cpu_seconds"], d["bytes"] / d["seconds"] / 1e6, d["files"],
         d["profile_bytes"], d["calibration_seconds"],
         d["seconds"] + d["calibration_seconds"]))' "$tmp/out"
