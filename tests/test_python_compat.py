# SPDX-License-Identifier: MIT
"""test_python_compat.py - dgen-py's API in the package dgenfs: its
constructor keywords with their meaning (max_threads threads fill one
chunk, the same bytes as one thread; numa_mode and numa_node place them),
set_seed, position() and total_size() beside the attributes,
generate_buffer, BufferPool's zero-copy slices, detect_numa_nodes; the
package's buffers bound to numa_node's memory (as /proc/self/numa_maps
shows) and private to a process; Generators
pickled (name, seed and position, no pointer) and run in a spawn pool;
TypeErrors where an integer is meant, one meaning of seed per keyword;
__version__ and py.typed; and the shim: dgen-py's scripts (stand-ins in
tests/dgen-py/) run unchanged under python3 -m dgenfs.compat.  Run by
tests/python.sh and, on an installed wheel, by tests/python_install.sh."""

import ctypes
import importlib.util
import mmap
import multiprocessing
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import unittest
import warnings

import dgenfs

DGEN = os.environ.get("DGEN", "./dgen")
HERE = os.path.dirname(os.path.abspath(__file__))
MiB = 1 << 20


def dgen_cat(name, offset=0, length=None):
    cmd = [DGEN, "cat", name, "--offset", str(offset)]
    if length is not None:
        cmd += ["--length", str(length)]
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout


def stream(g, chunk):
    buf, out = bytearray(chunk), bytearray()
    while not g.is_complete():
        n = g.fill_chunk(buf)
        out += buf[:n]
    return bytes(out)


def fill_rest(g):
    """In a pool's worker: the rest of a Generator's stream, and where it
    ended (the worker got it by pickle)."""
    return stream(g, 3 * MiB), g.position(), os.getpid()


def thread_cpus(thread):
    """The CPUs a thread of this process may run on, as the kernel says."""
    with open("/proc/self/task/%d/status" % thread.native_id) as f:
        for line in f:
            if line.startswith("Cpus_allowed_list:"):
                return set(dgenfs._numa._cpulist(line.split(":")[1]))
    raise AssertionError("no Cpus_allowed_list for thread %d" % thread.native_id)


def address(buf):
    """Where a writable buffer's bytes start."""
    c = ctypes.c_char.from_buffer(buf)
    try:
        return ctypes.addressof(c)
    finally:
        del c


def placement(address):
    """The memory policy and the nodes with pages ({node: pages}) of the
    mapping that holds address, as /proc/self/numa_maps shows them."""
    with open("/proc/self/maps") as f:
        for line in f:
            low, high = (int(x, 16) for x in line.split()[0].split("-"))
            if low <= address < high:
                break
        else:
            raise AssertionError("no mapping holds %#x" % address)
    with open("/proc/self/numa_maps") as f:
        for line in f:
            fields = line.split()
            if int(fields[0], 16) == low:
                return fields[1], {int(f[1:].split("=")[0]): int(f.split("=")[1])
                                   for f in fields[2:]
                                   if f[0] == "N" and f[1:2].isdigit()}
    raise AssertionError("no numa_maps line for %#x" % low)


def fake_nodes(sysfs, nodes):
    """A sysfs node directory of {node: cpu}."""
    for node, cpu in nodes.items():
        os.mkdir(os.path.join(sysfs, "node%d" % node))
        with open(os.path.join(sysfs, "node%d" % node, "cpulist"), "w") as f:
            f.write("%d\n" % cpu)


class Index:
    """An integer that is no int (as numpy's are)."""

    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


class Keywords(unittest.TestCase):
    def test_dgen_py_constructor(self):
        size = 37 * MiB + 3
        g = dgenfs.Generator(size=size, dedup_ratio=2.0, compress_ratio=3.0,
                             numa_mode="auto", max_threads=None,
                             chunk_size=8 * MiB, seed=11)
        self.assertEqual(g.max_threads, len(os.sched_getaffinity(0)))
        self.assertEqual(g.chunk_size, 8 * MiB)
        self.assertEqual((g.total_size(), g.size), (size, size))
        self.assertEqual((g.position(), g.position), (0, 0))
        self.assertEqual(stream(g, g.chunk_size), dgen_cat(g.name))
        self.assertEqual((g.position(), g.position), (size, size))

    def test_threads_give_the_same_bytes(self):
        size = 45 * MiB + 4097
        want = dgen_cat("%d-d1.5-c2-s5" % size)
        for threads in (1, 2, 3, 7):
            for chunk in (MiB, 16 * MiB + 5, 64 * MiB):
                g = dgenfs.Generator(size, 1.5, 2, seed=5, max_threads=threads)
                self.assertEqual(g.max_threads, threads)
                self.assertEqual(stream(g, chunk), want, (threads, chunk))
        g = dgenfs.Generator(size, 1.5, 2, seed=5, max_threads=3)
        m = mmap.mmap(-1, 32 * MiB)
        self.assertEqual(g.fill_chunk(m), 32 * MiB)
        self.assertEqual(m[:], want[:32 * MiB])

    def test_numa(self):
        nodes = dgenfs.detect_numa_nodes()
        self.assertTrue(nodes)
        allowed = os.sched_getaffinity(0)
        self.assertEqual(set().union(*(n.cpus for n in nodes)), allowed)
        node = nodes[0]
        want = dgen_cat("%d-d1-c1-s2" % (20 * MiB))
        for kw in ({"numa_node": node.node}, {"numa_mode": "force"},
                   {"numa_mode": "disabled"}, {"numa_node": node.node, "max_threads": 3}):
            g = dgenfs.Generator(20 * MiB, seed=2, **kw)
            self.assertEqual(stream(g, 16 * MiB), want, kw)
        self.assertEqual(dgenfs.Generator(1, numa_node=node.node).max_threads,
                         len(node.cpus))
        for kw in ({"numa_node": 1 << 20}, {"numa_mode": "bogus"},
                   {"numa_mode": "disabled", "numa_node": node.node},
                   {"numa_node": -1}):
            with self.assertRaises(ValueError, msg=kw):
                dgenfs.Generator(1, **kw)

    def test_dgen_py_numa_mode_spellings(self):
        for mode in ("AUTO", "Force", "disable", "DISABLED"):
            g = dgenfs.Generator(MiB, seed=2, numa_mode=mode)
            self.assertEqual(g.get_chunk(), dgen_cat("%d-d1-c1-s2" % MiB), mode)

    def test_threads_are_pinned(self):
        """numa_node and numa_mode pin the fill threads, on a faked sysfs
        topology of one node per allowed CPU (this machine may have one)."""
        allowed = sorted(os.sched_getaffinity(0))
        if len(allowed) < 2:
            self.skipTest("one allowed CPU: nothing to pin apart")
        from dgenfs import _numa
        with tempfile.TemporaryDirectory() as sysfs:
            fake_nodes(sysfs, dict(enumerate(allowed[:2])))
            real, _numa._SYSFS = _numa._SYSFS, sysfs
            try:
                self.assertEqual([(n.node, set(n.cpus)) for n in dgenfs.detect_numa_nodes()],
                                 [(0, {allowed[0]}), (1, {allowed[1]})])
                want = dgen_cat("%d-d1-c1-s2" % (16 * MiB))
                for kw, cpus in [({"numa_node": 1}, [{allowed[1]}]),
                                 ({"numa_mode": "auto", "max_threads": 2},
                                  [{allowed[0]}, {allowed[1]}])]:
                    before = set(threading.enumerate())
                    g = dgenfs.Generator(16 * MiB, seed=2, **kw)
                    self.assertEqual(stream(g, 16 * MiB), want, kw)
                    fill = [t for t in threading.enumerate()
                            if t not in before and t.name == "dgenfs-fill"]
                    self.assertEqual(sorted(map(sorted, map(thread_cpus, fill))),
                                     sorted(map(sorted, cpus)), kw)
            finally:
                _numa._SYSFS = real

    def test_set_seed_resets(self):
        g = dgenfs.Generator(3 * MiB, compress_ratio=2, seed=1)
        g.fill_chunk(bytearray(MiB))
        g.set_seed(9)
        self.assertEqual((g.seed, g.position()), (9, 0))
        self.assertEqual(g.name, "%d-d1-c2-s9" % (3 * MiB))
        self.assertEqual(stream(g, MiB), dgen_cat(g.name))
        g.set_seed(None)                # dgen-py's: a random seed
        self.assertNotEqual(g.seed, 9)
        self.assertEqual(g.position(), 0)
        self.assertEqual(g.get_chunk(), dgen_cat(g.name))

    def test_get_chunk_none_once_complete(self):
        """dgen-py's get_chunk gives None at the end: its loops end here."""
        g = dgenfs.Generator(3 * MiB + 5, seed=4)
        chunks = []
        while (chunk := g.get_chunk(MiB)) is not None:
            chunks.append(chunk)
        self.assertEqual([len(c) for c in chunks], [MiB, MiB, MiB, 5])
        self.assertEqual(b"".join(chunks), dgen_cat(g.name))
        self.assertIsNone(g.get_chunk())
        g.reset()
        self.assertEqual(g.get_chunk(0), b"")   # not complete: no bytes asked

    def test_generate_buffer(self):
        v = dgenfs.generate_buffer(10 * MiB + 1, dedup_ratio=2, compress_ratio=2,
                                   seed=4, max_threads=2)
        self.assertIsInstance(v, memoryview)
        self.assertEqual(bytes(v), dgen_cat("%d-d2-c2-s4" % (10 * MiB + 1)))
        self.assertEqual(len(dgenfs.generate_buffer(0)), 0)

    def test_buffer_pool(self):
        pool = dgenfs.BufferPool(MiB, compress_ratio=2, seed=6)
        name = pool.generator.name
        held = [pool.get(1000) for _ in range(1500)]   # past one buffer
        self.assertIs(held[0].obj, held[1].obj)         # zero copy
        self.assertTrue(held[0].readonly)
        big = pool.get(3 * MiB)
        got = b"".join(bytes(v) for v in held) + bytes(big)
        self.assertEqual(got, dgen_cat(name, 0, 1500 * 1000 + 3 * MiB))
        self.assertEqual(pool.position, len(got))
        first = bytes(held[0])
        del held, big
        for _ in range(3000):           # refills reuse or replace buffers
            pool.get(1000)
        small = pool.get(5)
        self.assertEqual(bytes(small), dgen_cat(name, pool.position - 5, 5))
        self.assertEqual(first, dgen_cat(name, 0, 1000))


class Placement(unittest.TestCase):
    """numa_node binds the buffers the package allocates to that node's
    memory (mbind), before the threads touch them; without it they are
    left to first touch.  On this machine's own nodes, as the kernel
    reports them in /proc/self/numa_maps."""

    def setUp(self):
        if not os.path.exists("/proc/self/numa_maps"):
            self.skipTest("a kernel without NUMA: no numa_maps")
        self.node = dgenfs.detect_numa_nodes()[0].node

    def test_generate_buffer_bound(self):
        size = 9 * MiB + 3
        v = dgenfs.generate_buffer(size, compress_ratio=2, seed=3,
                                   numa_node=self.node)
        self.assertEqual(bytes(v), dgen_cat("%d-d1-c2-s3" % size))
        policy, pages = placement(address(v))
        self.assertEqual(policy, "bind:%d" % self.node)
        self.assertEqual(set(pages), {self.node})
        self.assertGreaterEqual(sum(pages.values()), 1)
        v = dgenfs.generate_buffer(size, seed=3)      # no node asked
        self.assertEqual(placement(address(v))[0], "default")

    def test_buffer_pool_bound(self):
        pool = dgenfs.BufferPool(2 * MiB, seed=5, numa_node=self.node)
        held = [pool.get(MiB), pool.get(MiB), pool.get(3 * MiB)]
        self.assertEqual(b"".join(map(bytes, held)),
                         dgen_cat(pool.generator.name, 0, 5 * MiB))
        for v in held:              # a pooled buffer and one of 3 MiB
            self.assertEqual(placement(address(v.obj))[0], "bind:%d" % self.node)

    def test_unbindable_node(self):
        """A node sysfs lists but the kernel refuses (faked: this machine
        has no such node) is a DgenError, not a fill elsewhere."""
        from dgenfs import _numa
        cpu = min(os.sched_getaffinity(0))
        missing = 1 + max(n.node for n in dgenfs.detect_numa_nodes())
        with tempfile.TemporaryDirectory() as sysfs:
            fake_nodes(sysfs, {missing: cpu})
            real, _numa._SYSFS = _numa._SYSFS, sysfs
            try:
                with self.assertRaisesRegex(dgenfs.DgenError,
                                            "numa_node=%d: cannot bind" % missing):
                    dgenfs.generate_buffer(MiB, numa_node=missing)
                with self.assertRaisesRegex(dgenfs.DgenError, "cannot bind"):
                    dgenfs.BufferPool(MiB, numa_node=missing).get(1)
            finally:
                _numa._SYSFS = real

    def test_without_libnuma(self):
        """No libnuma.so.1: first touch, silently on one node, with a
        RuntimeWarning on several."""
        from dgenfs import _numa
        real_lib, _numa.libnuma = _numa.libnuma, lambda: None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                v = dgenfs.generate_buffer(MiB, seed=3, numa_node=self.node)
            self.assertEqual(bytes(v), dgen_cat("%d-d1-c1-s3" % MiB))
            self.assertEqual(placement(address(v))[0], "default")
            one = len(dgenfs.detect_numa_nodes()) == 1
            self.assertEqual([w.category for w in caught], [] if one else [RuntimeWarning])
            allowed = sorted(os.sched_getaffinity(0))
            with tempfile.TemporaryDirectory() as sysfs:
                fake_nodes(sysfs, {0: allowed[0], 1: allowed[-1]})
                real, _numa._SYSFS = _numa._SYSFS, sysfs
                try:
                    with self.assertWarnsRegex(RuntimeWarning, "libnuma"):
                        dgenfs.generate_buffer(MiB, numa_node=0)
                finally:
                    _numa._SYSFS = real
        finally:
            _numa.libnuma = real_lib

    def test_pool_private_to_a_forked_child(self):
        """A forked child's refill (in place: it holds no slice) never
        shows in the parent's pool, as it would in a shared mapping."""
        pool = dgenfs.BufferPool(MiB, seed=8)
        pool.get(100).release()
        pid = os.fork()
        if pid == 0:
            try:
                pool.get(MiB).release()
            finally:
                os._exit(0)
        self.assertEqual(os.waitpid(pid, 0)[1], 0)
        self.assertEqual(bytes(pool.get(100)), dgen_cat(pool.generator.name, 100, 100))


class Processes(unittest.TestCase):
    def test_pickle_carries_name_seed_position(self):
        g = dgenfs.Generator(5 * MiB, dedup_ratio=1.5, compress_ratio=2.5,
                             seed=3, chunk_size=MiB, max_threads=2)
        g.fill_chunk(bytearray(MiB + 7))
        data = pickle.dumps(g)
        h = pickle.loads(data)
        self.assertEqual((h.name, h.seed, h.position(), h.chunk_size, h.max_threads),
                         (g.name, 3, MiB + 7, MiB, 2))
        self.assertEqual(stream(h, MiB), dgen_cat(g.name, MiB + 7))
        with self.assertRaises(TypeError):
            pickle.dumps(g._file)       # the handle itself never pickles

    def test_spawn_pool(self):
        size = 9 * MiB + 5
        gens = []
        for i, start in enumerate((0, 1, 4 * MiB)):
            g = dgenfs.Generator(size, compress_ratio=2, seed=20 + i)
            g.fill_chunk(bytearray(start))
            gens.append(g)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(2) as pool:
            results = pool.map_async(fill_rest, gens).get(timeout=600)
        for g, (data, position, pid) in zip(gens, results):
            self.assertNotEqual(pid, os.getpid())
            self.assertEqual(position, size)
            self.assertEqual(data, dgen_cat(g.name, g.position()))


class Errors(unittest.TestCase):
    def test_integers_where_integers_are_meant(self):
        for args, kw in [((1.7,), {}), ((True,), {}), (("10",), {}),
                         ((10,), {"seed": 1.0}), ((10,), {"max_threads": 2.0}),
                         ((10,), {"chunk_size": 1.5}), ((10,), {"numa_node": 0.0}),
                         ((10,), {"dedup_ratio": "2"}), ((10, 1, 1, 5), {})]:
            with self.assertRaises(TypeError, msg=(args, kw)):
                dgenfs.Generator(*args, **kw)
        g = dgenfs.Generator(Index(10), seed=Index(3))
        self.assertEqual(g.name, "10-d1-c1-s3")
        for bad in (1.0, "1"):
            with self.assertRaises(TypeError):
                g.set_seed(bad)
        for buf in (bytes(10), 3, "abc", mmap.mmap(-1, 10, prot=mmap.PROT_READ),
                    memoryview(bytearray(10))[::2]):
            with self.assertRaises(TypeError):
                g.fill_chunk(buf)
        with self.assertRaises(TypeError):
            dgenfs.cat(b"1K")
        with self.assertRaises(TypeError):
            dgenfs.cat("1K", base_seed=1.5)

    def test_out_of_range(self):
        for args, kw in [((-1,), {}), ((10,), {"seed": -1}),
                         ((10,), {"seed": 1 << 64}), ((10,), {"max_threads": 0}),
                         ((10,), {"chunk_size": 0}), ((10, 0.5), {}),
                         ((1 << 63,), {})]:
            with self.assertRaises(ValueError, msg=(args, kw)):
                dgenfs.Generator(*args, **kw)
        for seed in (-1, 1 << 64):
            with self.assertRaisesRegex(dgenfs.DgenError, "base_seed"):
                dgenfs.cat("1K", base_seed=seed)
        self.assertEqual(len(dgenfs.Generator(10, seed=(1 << 64) - 1).get_chunk()), 10)

    def test_one_meaning_of_seed(self):
        with self.assertRaises(TypeError):
            dgenfs.cat("1K", seed=3)        # the base seed is base_seed=
        i = dgenfs.info("1K-s7", base_seed=5)
        self.assertEqual((i["seed"], i["base_seed"]), (7, 5))
        self.assertEqual(dgenfs.cat("1K-s7", base_seed=5),
                         subprocess.run([DGEN, "cat", "1K-s7", "--seed", "5"],
                                        check=True, stdout=subprocess.PIPE).stdout)


class Package(unittest.TestCase):
    def test_version_and_types(self):
        self.assertRegex(dgenfs.__version__, r"^\d+\.\d+\.\d+$")
        self.assertTrue(os.path.isfile(os.path.join(
            os.path.dirname(dgenfs.__file__), "py.typed")))
        self.assertEqual(dgenfs.Generator.fill_chunk.__annotations__["return"], int)

    def test_compat_names(self):
        from dgenfs import compat as dgen_py
        for name in ("Generator", "generate_buffer", "BufferPool",
                     "detect_numa_nodes", "__version__"):
            self.assertIs(getattr(dgen_py, name), getattr(dgenfs, name))
        self.assertIs(dgen_py.get_system_info, dgenfs.system_info)
        self.assertIs(dgen_py.get_numa_info, dgenfs.system_info)

    def test_system_info(self):
        """dgen-py's get_system_info() dict, of this process's CPUs."""
        info = dgenfs.system_info()
        nodes = dgenfs.detect_numa_nodes()
        allowed = os.sched_getaffinity(0)
        self.assertEqual(set(info), {"num_nodes", "physical_cores", "logical_cpus",
                                     "is_uma", "deployment_type"})
        self.assertEqual(info["num_nodes"], len(nodes))
        self.assertEqual(info["logical_cpus"], len(allowed))
        self.assertTrue(1 <= info["physical_cores"] <= len(allowed), info)
        self.assertIs(info["is_uma"], len(nodes) == 1)
        self.assertIn("UMA" if len(nodes) == 1 else "NUMA", info["deployment_type"])

    def run_shim(self, *args):
        return subprocess.run([sys.executable, "-m", "dgenfs.compat"] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)

    def test_dgen_py_scripts_run_unchanged(self):
        for script, args, expect in [
                ("benchmark_numa_multiprocess_v2.py", ["--size-mb", "40", "--chunk-mb", "16"],
                 "aggregate:"),
                ("benchmark_numa_multiprocess_v2.py", ["--size-mb", "8", "--start-method", "fork"],
                 "aggregate:"),
                ("Benchmark_dgen-py_FIXED.py", ["64"], "BufferPool 64 KiB objects:")]:
            r = self.run_shim(os.path.join(HERE, "dgen-py", script), *args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(expect, r.stdout)
        r = self.run_shim()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)
        r = self.run_shim(os.path.join(HERE, "no-such-script.py"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("no such script", r.stderr)
        # only the shim's processes have the alias (a real dgen-py may be
        # installed: it is not shadowed)
        spec = importlib.util.find_spec("dgen_py")
        self.assertTrue(spec is None or "dgenfs" not in (spec.origin or ""), spec)


if __name__ == "__main__":
    unittest.main(verbosity=2)
