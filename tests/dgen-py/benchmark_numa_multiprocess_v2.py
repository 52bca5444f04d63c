#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""benchmark_numa_multiprocess_v2.py - a stand-in for dgen-py's NUMA
benchmark of that name, written for dgenfs's tests from issue 24's account
of it (dgen-py's own script is not in this tree): one process per NUMA
node, each with a Generator placed on its node (numa_node, max_threads =
the node's CPUs, numa_mode="force") streaming 64 MiB chunks with
fill_chunk, and the aggregate throughput; get_system_info() for the
topology, as dgen-py's script prints it.  It uses dgen-py's API only and
runs unchanged under `python3 -m dgenfs.compat` (tests/test_python_compat.py).
Not a dgenfs benchmark (bench/bench_python.sh is)."""

import argparse
import multiprocessing as mp
import time

import dgen_py


def worker(node_id, cores, size, chunk_size, dedup, compress, results):
    gen = dgen_py.Generator(size=size, dedup_ratio=dedup,
                            compress_ratio=compress, numa_mode="force",
                            numa_node=node_id, max_threads=cores,
                            chunk_size=chunk_size)
    buf = bytearray(gen.chunk_size)
    start = time.perf_counter()
    total = 0
    while not gen.is_complete():
        nbytes = gen.fill_chunk(buf)
        if nbytes == 0:
            break
        total += nbytes
    elapsed = time.perf_counter() - start
    results.put((node_id, total, elapsed, gen.position(), gen.total_size()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size-mb", type=int, default=10240,
                   help="MiB per NUMA node (default 10240)")
    p.add_argument("--chunk-mb", type=int, default=64)
    p.add_argument("--dedup", type=float, default=1.0)
    p.add_argument("--compress", type=float, default=1.0)
    p.add_argument("--start-method", default="spawn",
                   choices=["spawn", "fork", "forkserver"])
    args = p.parse_args()

    info = dgen_py.get_system_info()
    print("System: %d NUMA nodes, %d physical cores (%s)"
          % (info["num_nodes"], info["physical_cores"], info["deployment_type"]))
    nodes = dgen_py.detect_numa_nodes()
    print("NUMA nodes: %d" % len(nodes))
    ctx = mp.get_context(args.start_method)
    results = ctx.Queue()
    procs = []
    for node in nodes:
        proc = ctx.Process(target=worker, args=(
            node.node, len(node.cpus), args.size_mb << 20, args.chunk_mb << 20,
            args.dedup, args.compress, results))
        proc.start()
        procs.append(proc)
    got = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit("worker exited with %d" % proc.exitcode)
    total = 0
    for node_id, nbytes, elapsed, position, size in sorted(got):
        assert nbytes == position == size, (nbytes, position, size)
        print("node %d: %.2f GB in %.3f s = %.2f GB/s"
              % (node_id, nbytes / 1e9, elapsed, nbytes / elapsed / 1e9))
        total += nbytes
    wall = max(e for _, _, e, _, _ in got)
    print("aggregate: %.2f GB/s (%d bytes)" % (total / wall / 1e9, total))


if __name__ == "__main__":
    main()
