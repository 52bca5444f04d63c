# SPDX-License-Identifier: MIT
"""dgenfs._lib - libdgen loaded with ctypes: the functions of its stable API
(include/dgen/dgen.h) that the package calls, the two structs it reads
(mirrored here and checked at import against dgen_struct_size), the
header's constants it uses, and File, one prepared file (an opaque libdgen
handle) freed with its object.

Not here: argument checks (dgenfs._args), threads (dgenfs._pool), anything
that decides bytes (libdgen does).  It never uses DGEN_STATIC_LINKING_ONLY.

libdgen.so.1 is loaded from $DGEN_LIBRARY if set (the tests do), else from
the libdir `make install` wrote into dgenfs/_libdir.py (absent in a wheel),
else through the dynamic loader (a wheel over a system libdgen1).
"""

import ctypes
import os
from typing import Dict, List, Optional, Type

ERRLEN = 256
CODECS = {0: "lz4", 1: "zstd", 2: "zlib"}


class DgenError(ValueError):
    """A name or an argument libdgen refused; the message says why."""


def _libdir() -> Optional[str]:
    try:
        from dgenfs._libdir import LIBDIR  # written by make install only
    except ImportError:
        return None
    return LIBDIR


def _load() -> ctypes.CDLL:
    candidates: List[str] = []
    if os.environ.get("DGEN_LIBRARY"):
        candidates.append(os.environ["DGEN_LIBRARY"])
    libdir = _libdir()
    if libdir:
        candidates.append(os.path.join(libdir, "libdgen.so.1"))
    candidates.append("libdgen.so.1")
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("dgenfs: cannot load libdgen (install libdgen1, or set "
                      "DGEN_LIBRARY to libdgen.so.1): " + "; ".join(errors))


lib = _load()


class Spec(ctypes.Structure):
    """struct dgen_spec of dgen.h (DGEN_SPEC_RESERVED words at its end)."""
    _fields_ = [("size", ctypes.c_uint64), ("dedup", ctypes.c_double),
                ("compress", ctypes.c_double), ("codec", ctypes.c_int),
                ("unit", ctypes.c_uint32), ("seed", ctypes.c_uint64),
                ("seed_given", ctypes.c_bool), ("base_seed", ctypes.c_uint64),
                ("format", ctypes.c_uint), ("extent", ctypes.c_uint64),
                ("generation", ctypes.c_uint64),
                ("change_rate", ctypes.c_double),
                ("profile", ctypes.c_uint64),
                ("reserved", ctypes.c_uint64 * 4)]


class Expect(ctypes.Structure):
    """struct dgen_expect of dgen.h (DGEN_EXPECT_RESERVED words at its end)."""
    _fields_ = [("units", ctypes.c_uint64), ("unique_units", ctypes.c_uint64),
                ("unique_bytes", ctypes.c_uint64), ("dedup", ctypes.c_double),
                ("compress", ctypes.c_double), ("codec", ctypes.c_int),
                ("literal_bytes", ctypes.c_uint32), ("format", ctypes.c_uint),
                ("extent", ctypes.c_uint64), ("sectors_per_group", ctypes.c_double),
                ("reserved", ctypes.c_uint64 * 7)]


# The structs mirrored above, by their C names (tests/test_python.py
# compares every field's offset and size with the C compiler's).
STRUCTS: Dict[str, Type[ctypes.Structure]] = {"dgen_spec": Spec,
                                              "dgen_expect": Expect}

# The header's constants the package uses, by their C names (macros, so
# tests/test_python.py compares them with the C compiler's values).
CONSTANTS: Dict[str, int] = {
    "DGEN_BLOCK_DEDUP_MIN": 4 << 10, "DGEN_BLOCK_DEDUP_MAX": 1 << 20,
    "DGEN_CHUNK_LOSS_MAX": 1 << 40, "DGEN_CHUNK_LOSS_RESTIC": 2900 << 10,
    "DGEN_CHUNK_LOSS_BORG": 2900 << 10, "DGEN_GENERATION_MAX": 1000000,
    "DGEN_GENERATION_LOSS_RESTIC": 2200 << 10,
    "DGEN_GENERATION_LOSS_BORG": 3500 << 10,
}

lib.dgen_struct_size.restype = ctypes.c_size_t
lib.dgen_struct_size.argtypes = [ctypes.c_char_p]
for _name, _cls in STRUCTS.items():
    if lib.dgen_struct_size(_name.encode()) != ctypes.sizeof(_cls):
        raise ImportError("dgenfs: struct %s is %d bytes in libdgen, %d here: "
                          "a libdgen of another ABI"
                          % (_name, lib.dgen_struct_size(_name.encode()),
                             ctypes.sizeof(_cls)))

lib.dgen_version.restype = ctypes.c_char_p
lib.dgen_version.argtypes = []
lib.dgen_format_version.restype = ctypes.c_int
lib.dgen_format_version.argtypes = []
lib.dgen_file_new_name.restype = ctypes.c_void_p
lib.dgen_file_new_name.argtypes = [ctypes.c_char_p, ctypes.c_uint64,
                                   ctypes.c_char_p, ctypes.c_size_t]
lib.dgen_file_free.restype = None
lib.dgen_file_free.argtypes = [ctypes.c_void_p]
# CDLL releases the GIL around every call: threads fill at once.
lib.dgen_fill.restype = ctypes.c_size_t
lib.dgen_fill.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p,
                          ctypes.c_size_t]
lib.dgen_expect.restype = None
lib.dgen_expect.argtypes = [ctypes.c_void_p, ctypes.POINTER(Expect)]
lib.dgen_name_parse.restype = ctypes.c_int
lib.dgen_name_parse.argtypes = [ctypes.c_char_p, ctypes.POINTER(Spec),
                                ctypes.c_char_p, ctypes.c_size_t]
# Generations: bytes, -1 for what libdgen refuses.
lib.dgen_file_generation_changed.restype = ctypes.c_double
lib.dgen_file_generation_changed.argtypes = [ctypes.c_void_p, ctypes.c_uint64]
lib.dgen_file_generation_block_new.restype = ctypes.c_double
lib.dgen_file_generation_block_new.argtypes = [ctypes.c_void_p, ctypes.c_uint64,
                                               ctypes.c_uint64]
lib.dgen_file_generation_chunk_new.restype = ctypes.c_double
lib.dgen_file_generation_chunk_new.argtypes = [ctypes.c_void_p, ctypes.c_uint64,
                                               ctypes.c_uint64]

fill = lib.dgen_fill


def version() -> str:
    """The version of the libdgen in use, e.g. '0.1.0'."""
    return lib.dgen_version().decode()


def format_version() -> int:
    """The content format the libdgen in use generates."""
    return int(lib.dgen_format_version())


class File:
    """A prepared file: the magic name and base seed, its parsed spec and
    the libdgen handle (.handle, an address), freed with the object.  It
    lives in one process: what crosses processes is the name."""

    def __init__(self, name: str, base_seed: int = 0) -> None:
        err = ctypes.create_string_buffer(ERRLEN)
        self.name = name
        self.base_seed = base_seed
        self.handle: Optional[int] = lib.dgen_file_new_name(
            name.encode(), base_seed, err, ERRLEN)
        if not self.handle:
            raise DgenError("%s: %s" % (name, err.value.decode()))
        spec = Spec()
        if lib.dgen_name_parse(name.encode(), ctypes.byref(spec), err, ERRLEN):
            raise DgenError("%s: %s" % (name, err.value.decode()))
        self.spec = spec

    def expect(self) -> Expect:
        e = Expect()
        lib.dgen_expect(self.handle, ctypes.byref(e))
        return e

    def __del__(self) -> None:
        handle = getattr(self, "handle", None)
        if handle:
            lib.dgen_file_free(handle)
            self.handle = None

    def __reduce__(self):
        raise TypeError("a libdgen handle does not cross processes; pickle "
                        "the Generator (it carries its name, seed and position)")
