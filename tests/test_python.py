# SPDX-License-Identifier: MIT
"""test_python.py - the Python package dgenfs against the dgen command: cat,
info, generation_* and Generator give the bytes and figures dgen cat and
dgen info (its --json "generations") give;
fill_chunk writes in place into any writable buffer and releases the GIL;
reset, is_complete and seed=None behave as documented; the structs the
module mirrors have the C compiler's layout (tests/struct_layout.c).  Run
by tests/python.sh, which points the package at this build's libdgen, and
by tests/python_install.sh on the installed wheel.  dgen-py's API:
tests/test_python_compat.py."""

import array
import ctypes
import json
import mmap
import os
import re
import subprocess
import sys
import threading
import time
import unittest

import dgenfs as dgen

DGEN = os.environ.get("DGEN", "./dgen")


def dgen_cat(name, offset=0, length=None, seed=0):
    cmd = [DGEN, "cat", name, "--offset", str(offset), "--seed", str(seed)]
    if length is not None:
        cmd += ["--length", str(length)]
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout


def dgen_info(name):
    out = subprocess.run([DGEN, "info", name], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    fields = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


class Module(unittest.TestCase):
    def test_uses_this_build(self):
        self.assertTrue(os.environ.get("DGEN_LIBRARY"))
        self.assertEqual(dgen._lib.lib._name, os.environ["DGEN_LIBRARY"])

    def test_struct_layout(self):
        """Every field of the mirrored structs where dgen.h puts it, and
        no field of the header's missing here; the mirrored constants
        dgen.h's."""
        out = subprocess.run([os.environ["STRUCT_LAYOUT"]], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        c_layout, c_constants = {}, {}
        for line in out.splitlines():
            if line.startswith("const "):
                _, name, value = line.split()
                c_constants[name] = int(value)
                continue
            struct, field, offset, size = line.split()
            c_layout[(struct, field)] = (int(offset), int(size))
        self.assertEqual(dgen._lib.CONSTANTS, c_constants)
        py_layout = {}
        for struct, cls in dgen._lib.STRUCTS.items():
            py_layout[(struct, "-")] = (0, ctypes.sizeof(cls))
            for field, _ in cls._fields_:
                f = getattr(cls, field)
                py_layout[(struct, field)] = (f.offset, f.size)
        self.assertEqual(py_layout, c_layout)

    def test_versions(self):
        self.assertRegex(dgen.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(dgen.__version__, os.environ["VERSION"])
        self.assertEqual(dgen.format_version(),
                         int(dgen_info("1M")["format"]))

    def test_cat(self):
        for name, offset, length in [("37MiB-d2-c3-u64KiB", 0, None),
                                     ("1000003-c1.5@zstd", 4093, 500000),
                                     ("1T-c4", (1 << 40) - 1000, 5000),
                                     ("4096-s7", 0, 4096), ("0", 0, None)]:
            self.assertEqual(dgen.cat(name, offset, length),
                             dgen_cat(name, offset, length), name)
        self.assertEqual(dgen.cat("1M", base_seed=3), dgen_cat("1M", seed=3))
        self.assertEqual(dgen.cat("1M", 1 << 20, 10), b"")

    def test_bad_input(self):
        with self.assertRaisesRegex(dgen.DgenError, "1G-c99"):
            dgen.cat("1G-c99", 0, 1)
        with self.assertRaises(dgen.DgenError):
            dgen.cat("1M", 2 << 20, 1)
        with self.assertRaises(dgen.DgenError):
            dgen.Generator(1 << 20, dedup_ratio=0.5)

    def test_info(self):
        for name in ["64MiB-d4-c2@zlib-u16KiB", "1T", "4096-s7"]:
            i, d = dgen.info(name), dgen_info(name)
            self.assertEqual(i["size"], int(d["size"].split()[0]))
            self.assertAlmostEqual(i["dedup"], float(d["dedup"]), places=5)
            self.assertAlmostEqual(i["compress"], float(d["compress"].split()[0]), places=5)
            self.assertIn("calibrated for %s" % i["codec"], d["compress"])
            self.assertEqual(i["unit"], int(d["unit"].split()[0]))
            self.assertEqual(i["seed"], int(d["seed"].split()[0]))
            self.assertEqual(i["seed_given"], "hash" not in d["seed"])
            self.assertEqual(i["units"], int(d["units"]))
            self.assertEqual(i["unique_units"], int(d["unique units"]))
            self.assertEqual(i["unique_bytes"], int(d["unique bytes"].split()[0]))
            self.assertAlmostEqual(i["expected_dedup"], float(d["expected dedup"]), places=3)
            self.assertEqual(i["literal_bytes"], int(d["literal bytes"].split()[0]))

    def test_generations(self):
        """generation_* give dgen info --json's "generations": changed
        bytes, fixed-block at 4 KiB .. 1 MiB, restic and borg (the first
        full's losses at generation 0, a changed run's after)."""
        for name in ["192MiB-d2-c3-s4-g3-r20%", "37MiB-c2@zstd-g2-r5%"]:
            out = subprocess.run([DGEN, "info", name, "--json"], check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
            rows = json.loads(out)["generations"]["per_generation"]
            self.assertEqual(len(rows), 4 if "g3" in name else 3)
            for row in rows:
                g = row["generation"]
                self.assertEqual(dgen.generation_changed(name, g),
                                 row["changed_bytes"], (name, g))
                for new in row["new"]:
                    if new["store"] == "fixed-block":
                        n = dgen.generation_block_new(name, g, new["block"])
                    else:
                        loss = {"restic": (dgen.CHUNK_LOSS_RESTIC,
                                           dgen.GENERATION_LOSS_RESTIC),
                                "borg": (dgen.CHUNK_LOSS_BORG,
                                         dgen.GENERATION_LOSS_BORG)}[new["store"]]
                        n = round(dgen.generation_chunk_new(name, g,
                                                            run_loss=loss[g > 0]))
                    self.assertEqual(n, new["bytes"], (name, g, new))
        self.assertEqual(dgen.generation_block_new("1M-r5%", 0, base_seed=3),
                         1 << 20)

    def test_generations_bad_input(self):
        with self.assertRaisesRegex(dgen.DgenError, "1M-f2: no generations"):
            dgen.generation_changed("1M-f2", 1)
        with self.assertRaisesRegex(dgen.DgenError, "1G-c99"):
            dgen.generation_changed("1G-c99", 1)
        for g in (-1, 1000001):
            with self.assertRaisesRegex(dgen.DgenError, "generation must be"):
                dgen.generation_block_new("1M-r5%", g)
        for block in (2048, 5000, 2 << 20):
            with self.assertRaisesRegex(dgen.DgenError, "power of two"):
                dgen.generation_block_new("1M-r5%", 1, block)
        with self.assertRaisesRegex(dgen.DgenError, "run_loss must be"):
            dgen.generation_chunk_new("1M-r5%", 1, (1 << 40) + 1)
        with self.assertRaises(TypeError):
            dgen.generation_changed("1M-r5%", 1.0)


class Generating(unittest.TestCase):
    def stream(self, g, chunk):
        buf, out = bytearray(chunk), bytearray()
        while not g.is_complete():
            n = g.fill_chunk(buf)
            self.assertGreater(n, 0)
            out += buf[:n]
        self.assertEqual(g.fill_chunk(buf), 0)
        return bytes(out)

    def test_bytes_equal_the_name(self):
        size = (37 << 20) + 3
        g = dgen.Generator(size, dedup_ratio=2, compress_ratio=3, seed=7)
        self.assertEqual(g.name, "%d-d2-c3-s7" % size)
        want = dgen_cat("%d-d2-c3-s7" % size)
        self.assertEqual(self.stream(g, 1 << 20), want)
        g.reset()
        self.assertFalse(g.is_complete())
        self.assertEqual(self.stream(g, 12345), want)

    def test_fractional_ratios(self):
        g = dgen.Generator(3 << 20, dedup_ratio=1.5, compress_ratio=2.25, seed=1)
        self.assertEqual(g.name, "3145728-d1.5-c2.25-s1")
        self.assertEqual(self.stream(g, 1 << 20), dgen_cat(g.name))

    def test_random_seed(self):
        g = dgen.Generator(1 << 20, compress_ratio=2)
        self.assertIsInstance(g.seed, int)
        self.assertTrue(g.name.endswith("-s%d" % g.seed))
        self.assertEqual(self.stream(g, 1 << 18), dgen_cat("1048576-d1-c2-s%d" % g.seed))
        self.assertNotEqual(dgen.Generator(1 << 20).seed, g.seed)

    def test_buffers_in_place(self):
        want = dgen_cat("1048576-d1-c1-s5")
        g = dgen.Generator(1 << 20, seed=5)
        m = mmap.mmap(-1, 1 << 19)
        self.assertEqual(g.fill_chunk(m), 1 << 19)
        self.assertEqual(m[:], want[:1 << 19])
        a = array.array("Q", bytes(1 << 18))	# not a byte format
        self.assertEqual(g.fill_chunk(a), 1 << 18)
        self.assertEqual(a.tobytes(), want[1 << 19:(1 << 19) + (1 << 18)])
        b = bytearray(1 << 20)
        self.assertEqual(g.fill_chunk(memoryview(b)[100:]), (1 << 18))
        self.assertEqual(bytes(b[100:100 + (1 << 18)]), want[-(1 << 18):])
        self.assertTrue(g.is_complete())
        with self.assertRaises(TypeError):
            dgen.Generator(10).fill_chunk(bytes(10))

    def test_get_chunk_and_iteration(self):
        g = dgen.Generator(5 << 20, seed=2, chunk_size=1 << 20)
        self.assertEqual(b"".join(g), dgen_cat("5242880-d1-c1-s2"))

    def test_gil_released(self):
        # While one thread is inside a long fill_chunk, this one keeps
        # running: the call does not hold the GIL.  Counted over the middle
        # half of the call, so the Python code around it does not count;
        # with ctypes.PyDLL, which keeps the GIL, the count is 0.  One
        # thread, so the fill is libdgen's call on this very thread.
        g = dgen.Generator(1 << 40, seed=3, max_threads=1)
        buf = bytearray(512 << 20)
        started, done = threading.Event(), threading.Event()
        window = []

        def fill():
            started.set()
            t0 = time.perf_counter()
            g.fill_chunk(buf)
            t1 = time.perf_counter()
            window.extend([t0 + (t1 - t0) / 4, t1 - (t1 - t0) / 4])
            done.set()

        t = threading.Thread(target=fill)
        t.start()
        started.wait()
        stamps = []
        while not done.is_set():
            stamps.append(time.perf_counter())
        t.join()
        during = sum(window[0] < s < window[1] for s in stamps)
        self.assertGreater(during, 100, "the main thread did not run during fill_chunk")

if __name__ == "__main__":
    unittest.main(verbosity=2)
