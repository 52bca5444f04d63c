#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_builds.sh - the same dgen_fill measured in two builds of the tree
# (e.g. main before a refactor and the branch after it): dgen-bench of
# build A and of build B in paired alternating rounds (A, B, A, ...) so a
# noisy machine slows both alike.  Prints, per name, the median GB per CPU
# second of each build and their ratio (B / A).  Not a test.
#   bench/bench_builds.sh BENCH_A BENCH_B [ROUNDS] [SECONDS] [NAME...]
# BENCH_A and BENCH_B are the bench/dgen-bench of each build tree.
set -eu
[ $# -ge 2 ] || { echo "usage: bench_builds.sh BENCH_A BENCH_B [ROUNDS] [SECONDS] [NAME...]" >&2; exit 2; }
bench_a=$1
bench_b=$2
rounds=${3:-5}
seconds=${4:-2}
[ $# -gt 4 ] && shift 4 || set --
[ $# -gt 0 ] || set -- 64GiB-d1-c1-f1 64GiB-d2-c3-f1 64GiB-c10-f1 \
	64GiB-d1-c1-f2 64GiB-d2-c3-f2 64GiB-c10-f2
for b in "$bench_a" "$bench_b"; do
	[ -x "$b" ] || { echo "bench_builds: $b is not an executable dgen-bench" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# A = $bench_a"
echo "# B = $bench_b"
echo "# one thread, 1 MiB buffers, ${seconds}s per figure, $rounds paired rounds, medians"
printf '%-22s %12s %12s %8s\n' name "A GB/cpu-s" "B GB/cpu-s" "B/A"
for name in "$@"; do
	: >"$tmp/a"
	: >"$tmp/b"
	for _ in $(seq "$rounds"); do
		"$bench_a" --seconds "$seconds" "$name" | awk -v n="$name" '$1 == n { print $4 }' >>"$tmp/a"
		"$bench_b" --seconds "$seconds" "$name" | awk -v n="$name" '$1 == n { print $4 }' >>"$tmp/b"
	done
	a=$(median <"$tmp/a")
	b=$(median <"$tmp/b")
	echo "$name $a $b" | awk '{ printf "%-22s %12.2f %12.2f %8.3f\n", $1, $2, $3, $3 / $2 }'
done
