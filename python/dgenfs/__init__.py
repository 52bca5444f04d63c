# SPDX-License-Identifier: MIT
"""dgenfs - the bytes of dgenfs from Python, through libdgen (ctypes).

A magic name such as ``1GiB-d2-c3`` says what a file holds: its size, dedup
and compression ratios, dedup unit and seed (dgen(1) describes the grammar).
This package gives the same bytes as ``dgen cat`` and a dgenfs mount, and
dgen-py's API (docs/PYTHON.md has the table):

    dgenfs.cat("1MiB-d2-c3", offset=0, length=4096)  -> bytes
    dgenfs.info("1MiB-d2-c3")                        -> dict of the figures
    dgenfs.generation_block_new("1GiB-d2-c3-r2%", 7, block=4096)
                                -> what a store keeps of day 7 (and _changed,
                                   _chunk_new: docs/GENERATIONS.md)
    g = dgenfs.Generator(1 << 30, dedup_ratio=2, compress_ratio=3)
    buf = bytearray(64 << 20)       # or an mmap, a numpy array: any alignment
    while not g.is_complete():
        n = g.fill_chunk(buf)       # in place, all CPUs, GIL released

    dgenfs.generate_buffer(size, ...), dgenfs.BufferPool(...),
    dgenfs.detect_numa_nodes(), dgenfs.system_info(); `import dgenfs as dgen_py` or
    `python3 -m dgenfs.compat SCRIPT` for dgen-py's scripts.

A binding only: pure Python, no content logic; it uses libdgen's stable
API (docs/ABI.md) and loads libdgen.so.1 as dgenfs._lib says.  It was
the module `dgen` before 0.1.0's package: `import dgenfs as dgen` and
base_seed= for cat's and info's seed= (docs/PYTHON.md).
"""

from dgenfs._buffers import BufferPool, generate_buffer
from dgenfs._content import (CHUNK_LOSS_BORG, CHUNK_LOSS_RESTIC,
                             GENERATION_LOSS_BORG, GENERATION_LOSS_RESTIC, cat,
                             generation_block_new, generation_changed,
                             generation_chunk_new, info)
from dgenfs._generator import DEFAULT_CHUNK_SIZE, Generator
from dgenfs._lib import DgenError, format_version, version
from dgenfs._numa import NumaNode, detect_numa_nodes, system_info

# The package's version, configure.ac's AC_INIT (tests/test_python.py holds
# the two together); version() is the running libdgen's.
__version__ = "0.1.0"

__all__ = ["cat", "info", "generation_changed", "generation_block_new",
           "generation_chunk_new", "GENERATION_LOSS_RESTIC", "GENERATION_LOSS_BORG",
           "CHUNK_LOSS_RESTIC", "CHUNK_LOSS_BORG", "Generator", "generate_buffer",
           "BufferPool", "detect_numa_nodes", "system_info", "NumaNode", "DgenError",
           "version", "format_version", "DEFAULT_CHUNK_SIZE", "__version__"]
