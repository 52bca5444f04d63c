#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark_dgen-py_FIXED.py - a stand-in for dgen-py's script of that
name, written for dgenfs's tests from issue 24's account of it (dgen-py's
own script is not in this tree): generate_buffer of whole buffers, then a
Generator streamed with fill_chunk at several chunk sizes (the default
threads), set_seed between runs, BufferPool slices for small objects, and
GB/s of each, after get_system_info()'s topology.  It uses dgen-py's API only and runs unchanged under
`python3 -m dgenfs.compat` (tests/test_python_compat.py).  Not a dgenfs
benchmark (bench/bench_python.sh is)."""

import sys
import time

import dgen_py

MiB = 1 << 20


def rate(nbytes, seconds):
    return "%.2f GB/s" % (nbytes / max(seconds, 1e-9) / 1e9)


def main():
    total = int(sys.argv[1]) * MiB if len(sys.argv) > 1 else 4096 * MiB
    print("dgen_py %s" % dgen_py.__version__)
    info = dgen_py.get_system_info()
    if info:
        print("NUMA nodes: %d, physical cores: %d (%s)"
              % (info["num_nodes"], info["physical_cores"], info["deployment_type"]))

    t = time.perf_counter()
    data = dgen_py.generate_buffer(total // 4, dedup_ratio=1.0,
                                   compress_ratio=2.0)
    print("generate_buffer %d MiB: %s" % (len(data) // MiB,
                                         rate(len(data), time.perf_counter() - t)))
    assert len(data) == total // 4
    view = memoryview(data)
    assert len(bytes(view[:4096])) == 4096

    for chunk in (1 * MiB, 16 * MiB, 64 * MiB):
        gen = dgen_py.Generator(size=total, dedup_ratio=1.0,
                                compress_ratio=1.0, numa_mode="auto",
                                max_threads=None, chunk_size=chunk)
        gen.set_seed(12345)
        buf = bytearray(gen.chunk_size)
        t = time.perf_counter()
        while not gen.is_complete():
            gen.fill_chunk(buf)
        print("fill_chunk %3d MiB chunks: %s" % (chunk // MiB,
                                                 rate(gen.position(), time.perf_counter() - t)))
        assert gen.position() == gen.total_size() == total

    pool = dgen_py.BufferPool(64 * MiB, dedup_ratio=1.0, compress_ratio=1.0)
    t = time.perf_counter()
    n = 0
    while n < total // 4:
        obj = pool.get(64 * 1024)
        n += len(obj)
    print("BufferPool 64 KiB objects: %s" % rate(n, time.perf_counter() - t))


if __name__ == "__main__":
    main()
