#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_pieces3.sh - format 3 pieces against format 1's dgen_fill, bytes per
# CPU second at ratios 1 .. 10, one thread, 1 MiB buffers, on every
# generator path this CPU has (DGEN_SIMD), each side in alternating rounds
# inside one run of bench/bench-pieces3 (which prints both and the ratio).
# (The ratios and byte statistics of shapes: bench/calib3.sh.)
# Not a test.  From the build tree: bench/bench_pieces3.sh [ROUNDS] [SECONDS]
set -eu
rounds=${1:-5}
seconds=${2:-0.5}
bench=${BENCH_PIECES3:-./bench/bench-pieces3}
[ -x "$bench" ] || { echo "bench_pieces3: $bench not built (run make)" >&2; exit 2; }

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for path in scalar avx2 avx512; do
	if ! DGEN_SIMD=$path "$bench" --rounds=1 --seconds=0.01 >/dev/null 2>&1; then
		echo "# path $path: not on this CPU"
		continue
	fi
	DGEN_SIMD=$path nice "$bench" --rounds="$rounds" --seconds="$seconds"
done
