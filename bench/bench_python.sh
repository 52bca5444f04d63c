#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_python.sh - the Python package's fill_chunk against C, issue 24's
# targets, in paired rounds (C, then Python, each round; medians of the
# rounds' ratios, so a load that comes and goes slows both alike):
#   64MiB    one Generator with max_threads = all CPUs of the affinity
#            filling a 64 MiB chunk buffer (a bytearray, as dgen-py's
#            scripts allocate it, 16 bytes past a page; a page-aligned
#            mmap), against bench/dgen-bench with as many threads (each
#            its own aligned 64 MiB buffer), SECONDS each;
#   1MiB     one thread filling 1 MiB chunks (a bytearray; an mmap),
#            against `dgen cat NAME > /dev/null` (1 MiB writes) of the
#            same bytes (GIB GiB);
#   chunks   then one thread at chunk sizes 256 KiB to 64 MiB, into a
#            bytearray and an mmap, Python alone (docs/PYTHON.md's advice).
# At compress 1 and 2.  Prints, per row, the medians of GB/s (wall, all
# threads) and of GB per CPU second (the fairer figure on a shared machine)
# and of Python's ratio to C on each, and the load average at the start
# and at the end.  Not a test.  Run from the build tree
# after `make`:   bench/bench_python.sh [ROUNDS] [SECONDS] [GIB]
set -eu
rounds=${1:-5}
seconds=${2:-2}
gib=${3:-4}
bench=${DGEN_BENCH:-./bench/dgen-bench}
: "${PYTHON:=$(sed -n 's/^PYTHON = //p' Makefile 2>/dev/null || echo python3)}"
[ -x "$bench" ] && [ -x ./dgen ] || { echo "bench_python: run make first (in the build tree)" >&2; exit 2; }
top_srcdir=$(sed -n 's/^top_srcdir = //p' Makefile)
export DGEN_LIBRARY="$PWD/.libs/libdgen.so.1" PYTHONPATH="$(cd "$top_srcdir" && pwd)/python"
exec "$PYTHON" - "$rounds" "$seconds" "$gib" "$bench" <<'PY'
import os, resource, statistics, subprocess, sys, time
import dgenfs

rounds, seconds, gib, bench = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cpus = len(os.sched_getaffinity(0))

PY_THREADS = r'''
import mmap, sys, time, dgenfs
threads, compress, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
g = dgenfs.Generator(1 << 40, compress_ratio=compress, seed=1, max_threads=threads)
buf = bytearray(64 << 20) if sys.argv[4] == "bytearray" else mmap.mmap(-1, 64 << 20)
g.fill_chunk(buf)                       # pages in and threads started first
n, c0, t0 = 0, time.process_time(), time.perf_counter()
while time.perf_counter() - t0 < seconds:
    n += g.fill_chunk(buf)
print(n / (time.perf_counter() - t0) / 1e9, n / (time.process_time() - c0) / 1e9)
'''
PY_CHUNKS = r'''
import mmap, sys, time, dgenfs
size, compress, chunk = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
g = dgenfs.Generator(size, compress_ratio=compress, seed=1, max_threads=1)
buf = bytearray(chunk) if sys.argv[4] == "bytearray" else mmap.mmap(-1, chunk)
c0, t0 = time.process_time(), time.perf_counter()
while g.fill_chunk(buf):
    pass
print(size / (time.perf_counter() - t0) / 1e9, size / (time.process_time() - c0) / 1e9)
'''


def py(code, *args):
    out = subprocess.run([sys.executable, "-c", code] + [str(a) for a in args],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return tuple(map(float, out.split()))


def c_threads(threads, compress):
    out = subprocess.run([bench, "--threads", str(threads), "--seconds", str(seconds),
                          "--buffer", "64M", "1TiB-c%g" % compress], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    f = [l.split() for l in out.splitlines() if l.startswith("1TiB")][0]
    return float(f[1]), float(f[3])


def c_cat(size, compress):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as null:
        subprocess.run(["./dgen", "cat", "%d-d1-c%g-s1" % (size, compress)],
                       check=True, stdout=null)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return size / wall / 1e9, size / cpu / 1e9


uname = os.uname()
model = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][:1]
print("# %s, %d CPUs, load %s; Python %s; libdgen %s"
      % ((model or ["?"])[0], cpus, " ".join(open("/proc/loadavg").read().split()[:3]),
         sys.version.split()[0], dgenfs.version()))
print("# %d paired rounds (C then Python), medians; 64MiB: %g s each, 1MiB: %d GiB each"
      % (rounds, seconds, gib))
print("%-6s %-9s %-8s %-8s %9s %9s %11s %11s %7s %9s"
      % ("row", "buffer", "threads", "compress", "C_GB/s", "py_GB/s", "C_GB/cpu-s",
         "py_GB/cpu-s", "py/C", "py/C_cpu"))
for row, kind in (("64MiB", "bytearray"), ("64MiB", "mmap"),
                  ("1MiB", "bytearray"), ("1MiB", "mmap")):
    for compress in (1, 2):
        cs, ps = [], []
        for _ in range(rounds):
            if row == "64MiB":
                cs.append(c_threads(cpus, compress))
                ps.append(py(PY_THREADS, cpus, compress, seconds, kind))
            else:
                cs.append(c_cat(gib << 30, compress))
                ps.append(py(PY_CHUNKS, gib << 30, compress, 1 << 20, kind))
        med = lambda xs: statistics.median(xs)
        print("%-6s %-9s %-8d %-8g %9.2f %9.2f %11.2f %11.2f %7.3f %9.3f"
              % (row, kind, cpus if row == "64MiB" else 1, compress,
                 med([c[0] for c in cs]), med([p[0] for p in ps]),
                 med([c[1] for c in cs]), med([p[1] for p in ps]),
                 med([p[0] / c[0] for c, p in zip(cs, ps)]),
                 med([p[1] / c[1] for c, p in zip(cs, ps)])), flush=True)
print("# one thread, %d GiB per figure: GB per CPU second (medians) by chunk size" % gib)
sizes = [256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20]
print("%-9s %-8s %s" % ("buffer", "compress", " ".join(
    "%9s" % ("%dKiB" % (c >> 10) if c < 1 << 20 else "%dMiB" % (c >> 20)) for c in sizes)))
for kind in ("bytearray", "mmap"):
    for compress in (1, 2):
        print("%-9s %-8g %s" % (kind, compress, " ".join(
            "%9.2f" % statistics.median(py(PY_CHUNKS, gib << 30, compress, c, kind)[1]
                                        for _ in range(rounds))
            for c in sizes)), flush=True)
print("# load at the end: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
PY
