#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_python.sh - the Python module's Generator.fill_chunk against
# bench/dgen-bench (dgen_fill from C), both with 64 MiB buffers, at
# compress 1 and 2, with 1 and with N threads (one Generator and one
# buffer per thread), each Python figure measured right after its C one.
# Prints GB/s per thread, GB per CPU second (on a shared machine the fairer
# figure) and Python's ratio to C on both.  Not a test.  Run from the build
# tree after `make`:   bench/bench_python.sh [SECONDS] [THREADS]
set -eu
seconds=${1:-3}
threads=${2:-$(nproc)}
bench=${DGEN_BENCH:-./bench/dgen-bench}
: "${PYTHON:=$(sed -n 's/^PYTHON = //p' Makefile 2>/dev/null || echo python3)}"
[ -x "$bench" ] || { echo "bench_python: $bench not built (run make)" >&2; exit 2; }
[ -f python/dgen.py ] || { echo "bench_python: python/dgen.py not built (run make)" >&2; exit 2; }
export DGEN_LIBRARY="$PWD/.libs/libdgen.so.1" PYTHONPATH="$PWD/python"

# py_rates THREADS COMPRESS: "GB/s-per-thread GB/cpu-s" of fill_chunk
py_rates() {
	"$PYTHON" - "$1" "$2" "$seconds" <<'PY'
import sys, threading, time
import dgen
threads, compress, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
results = []
def run(i):
    g = dgen.Generator(1 << 40, compress_ratio=compress, seed=i + 1)
    buf = bytearray(64 << 20)
    g.fill_chunk(buf)                   # fault the pages in before timing
    n, cpu0, end = 0, time.thread_time(), time.perf_counter() + seconds
    t0 = time.perf_counter()
    while time.perf_counter() < end:
        n += g.fill_chunk(buf)
    results.append((n / (time.perf_counter() - t0) / 1e9,
                    n / max(time.thread_time() - cpu0, 1e-9) / 1e9))
ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
print("%.3f %.3f" % (sum(r[0] for r in results) / threads,
                     sum(r[1] for r in results) / threads))
PY
}

# c_rates THREADS COMPRESS: the same figures from dgen-bench
c_rates() {
	"$bench" --threads "$1" --seconds "$seconds" --buffer 64M "1TiB-c$2" |
	awk '$1 ~ /^1TiB/ { printf "%.3f %.3f\n", $3, $4 }'
}

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $("$PYTHON" --version 2>&1); libdgen $("$PYTHON" -c 'import dgen; print(dgen.version())')"
echo "# 64 MiB buffers, ${seconds}s per figure, C then Python for each row; figures per thread"
printf '%-8s %-8s %12s %12s %12s %12s %8s %8s\n' threads compress \
	C_GB/s py_GB/s C_GB/cpu-s py_GB/cpu-s py/C py/C_cpu
for t in 1 "$threads"; do
	for c in 1 2; do
		set -- $(c_rates "$t" "$c") $(py_rates "$t" "$c")
		awk -v t="$t" -v c="$c" -v cg="$1" -v cc="$2" -v pg="$3" -v pc="$4" 'BEGIN {
			printf "%-8s %-8s %12s %12s %12s %12s %8.3f %8.3f\n", t, c, cg, pg, cc, pc,
			       (cg > 0 ? pg / cg : 0), (cc > 0 ? pc / cc : 0) }'
	done
	[ "$threads" = 1 ] && break
done
