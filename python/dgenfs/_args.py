# SPDX-License-Identifier: MIT
"""dgenfs._args - the package's argument checks: integers where integers
are meant (an int or anything with __index__, never a float or a bool),
seeds in libdgen's range, ratios as names write them, and a caller's
buffer as a writable, contiguous byte range (its address and length).

Not here: what an argument means (the callers say), libdgen calls.
"""

import ctypes
import mmap
import operator
from typing import Any, Optional, Tuple

from dgenfs._lib import DgenError

SEED_MAX = (1 << 64) - 1
SIZE_MAX = (1 << 63) - 1     # libdgen's limit: INT64_MAX


def integer(value: Any, what: str, low: int = 0,
            high: Optional[int] = None) -> int:
    """value as an int in [low, high]: TypeError for what is not an
    integer (1.7, "7", True), DgenError (a ValueError) out of range."""
    if isinstance(value, bool):
        raise TypeError("%s must be an integer, not bool" % what)
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError("%s must be an integer, not %s"
                        % (what, type(value).__name__)) from None
    if n < low or (high is not None and n > high):
        raise DgenError("%s must be %s, not %d"
                        % (what, "at least %d" % low if high is None
                           else "%d to %d" % (low, high), n))
    return n


def seed(value: Any, what: str = "seed") -> int:
    """A content or base seed: an integer 0 to 2^64-1, as dgen --seed."""
    return integer(value, what, 0, SEED_MAX)


def ratio(value: Any, what: str) -> str:
    """A dedup or compression ratio as the name grammar writes it (at most
    6 decimals): a real number of at least 1."""
    if isinstance(value, (bool, str, bytes)):
        raise TypeError("%s must be a number, not %s"
                        % (what, type(value).__name__))
    try:
        v = float(value)    # int, float, numpy's, Fraction, Decimal
    except TypeError:
        raise TypeError("%s must be a number, not %s"
                        % (what, type(value).__name__)) from None
    if not v >= 1.0:
        raise DgenError("%s must be at least 1, not %r" % (what, value))
    return ("%.6f" % v).rstrip("0").rstrip(".")


# Buffers whose len() is their size in bytes: the fast path (a 1 MiB fill
# takes 40 to 80 us; these checks take under 1).
_BYTES = (bytearray, mmap.mmap)


def writable(buffer: Any, what: str = "buffer") -> Tuple[int, int, Any]:
    """(address, nbytes, pin) of a writable, C-contiguous buffer
    (bytearray, memoryview, mmap, array, numpy array).  The pin holds the
    buffer's export (a bytearray cannot be resized, an mmap not closed)
    while the caller keeps it."""
    if type(buffer) in _BYTES:
        n = len(buffer)
        if n:
            try:
                pin = ctypes.c_char.from_buffer(buffer)
            except TypeError:
                raise TypeError("%s must be writable (this mmap is read-only)"
                                % what) from None
            return ctypes.addressof(pin), n, pin
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise TypeError("%s must support the buffer protocol, not %s"
                        % (what, type(buffer).__name__)) from None
    if mv.readonly:
        raise TypeError("%s must be writable (bytes is not; use bytearray)" % what)
    if not mv.c_contiguous:
        raise TypeError("%s must be contiguous" % what)
    if mv.ndim != 1 or mv.format != "B":
        mv = mv.cast("B")
    if mv.nbytes == 0:
        return 0, 0, mv
    address = ctypes.addressof(ctypes.c_char.from_buffer(mv))
    return address, mv.nbytes, mv
