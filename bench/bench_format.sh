#!/bin/sh
# bench_format.sh - dgen_fill of content formats 2 and 3 against format 1
# at the same settings, one thread each, in alternating rounds (format 1,
# 2, 3, 1, ...) so that a noisy machine slows all alike.  Prints, per
# setting, the median GB per CPU second of each format and the ratios to
# format 1.  DGEN_SIMD=scalar|avx2|avx512 picks the path measured.  Not a
# test.  From the build tree:
#   bench/bench_format.sh [ROUNDS] [SECONDS]
set -eu
rounds=${1:-5}
seconds=${2:-2}
bench=${DGEN_BENCH:-./bench/dgen-bench}
[ -x "$bench" ] || { echo "bench_format: $bench not built (run make)" >&2; exit 2; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# one thread, 1 MiB buffers, ${seconds}s per figure, $rounds rounds, medians, path ${DGEN_SIMD:-best}"
printf '%-10s %12s %12s %12s %8s %8s\n' setting "f1 GB/cpu-s" "f2 GB/cpu-s" "f3 GB/cpu-s" "f2/f1" "f3/f1"
for setting in d1-c1 d1-c2 d2-c3 d3-c5 c10; do
	name="64GiB-$setting"
	for f in 1 2 3; do : >"${TMPDIR:-/tmp}/bench_format.$f"; done
	for _ in $(seq "$rounds"); do
		for f in 1 2 3; do
			"$bench" --seconds "$seconds" "$name-f$f" |
				awk -v n="$name-f$f" '$1 == n { print $4 }' >>"${TMPDIR:-/tmp}/bench_format.$f"
		done
	done
	a=$(median <"${TMPDIR:-/tmp}/bench_format.1")
	b=$(median <"${TMPDIR:-/tmp}/bench_format.2")
	c=$(median <"${TMPDIR:-/tmp}/bench_format.3")
	echo "$setting $a $b $c" |
		awk '{ printf "%-10s %12.2f %12.2f %12.2f %8.2f %8.2f\n", $1, $2, $3, $4, $3 / $2, $4 / $2 }'
done
rm -f "${TMPDIR:-/tmp}/bench_format.1" "${TMPDIR:-/tmp}/bench_format.2" "${TMPDIR:-/tmp}/bench_format.3"
