#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_memory.sh - dgen_fill into buffers larger than the cache against
# memset(3) of the same buffers, one thread, in one dgen-bench run whose
# names alternate (memset, NAME, memset, NAME, ...) so that a noisy machine
# slows both alike.  Prints per setting the median GB of each and the
# ratio (dgen / memset), per CPU second (the bytes over the CPU time the
# thread got: on a shared machine the fairer figure).  Not a test.  From
# the build tree:
#   bench/bench_memory.sh [ROUNDS] [SECONDS] [BUFFER]
set -eu
rounds=${1:-5}
seconds=${2:-1}
buffer=${3:-64MiB}
bench=${DGEN_BENCH:-./bench/dgen-bench}
[ -x "$bench" ] || { echo "bench_memory: $bench not built (run make)" >&2; exit 2; }

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# one thread, $buffer buffers, ${seconds}s per figure, $rounds paired rounds, medians"
printf "%-8s %12s %12s %8s\n" setting "dgen GB/cs" "memset GB/cs" ratio
for setting in d1-c1 d2-c3 d3-c5 c10; do
	name="64GiB-$setting"
	names=$(for _ in $(seq "$rounds"); do printf 'memset %s ' "$name"; done)
	# shellcheck disable=SC2086 # names is a list of words
	"$bench" --buffer "$buffer" --seconds "$seconds" $names |
	awk -v s="$setting" -v n="$name" '
		function median(v, k,   i, j, t) {
			for (i = 2; i <= k; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
		}
		$1 == "memset" { m[++nm] = $4 }
		$1 == n { d[++nd] = $4 }
		END { a = median(d, nd); b = median(m, nm)
		      printf "%-8s %12.2f %12.2f %8.2f\n", s, a, b, a / b }'
done
