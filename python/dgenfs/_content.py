# SPDX-License-Identifier: MIT
"""dgenfs._content - a magic name's bytes and figures, as the dgen command
gives them: cat (dgen cat NAME --offset --length --seed) and info (dgen
info NAME).  Their base_seed is dgen's --seed, the run-wide seed mixed into
every name; a name's own content seed is its -sN part.

Not here: streaming (dgenfs._generator), argument checks (dgenfs._args).
"""

import ctypes
from typing import Any, Dict, Optional

from dgenfs import _args
from dgenfs._lib import CODECS, DgenError, File, fill


def _file(name: Any, base_seed: Any) -> File:
    if not isinstance(name, str):
        raise TypeError("name must be a str, not %s" % type(name).__name__)
    return File(name, _args.seed(base_seed, "base_seed"))


def cat(name: str, offset: int = 0, length: Optional[int] = None,
        base_seed: int = 0) -> bytes:
    """Bytes [offset, offset + length) of the file `name` (to its end when
    length is None), as `dgen cat NAME --offset O --length L --seed
    BASE_SEED`.  Clipped at the end of the file; DgenError (a ValueError)
    for a bad name or an offset past the end."""
    f = _file(name, base_seed)
    size = f.spec.size
    offset = _args.integer(offset, "offset")
    if offset > size:
        raise DgenError("%s: offset %d is outside the file (%d bytes)"
                        % (name, offset, size))
    n = size - offset
    if length is not None:
        n = min(_args.integer(length, "length"), n)
    buf = bytearray(n)
    if n:
        c = (ctypes.c_char * n).from_buffer(buf)
        fill(f.handle, offset, ctypes.addressof(c), n)
        del c
    return bytes(buf)


def info(name: str, base_seed: int = 0) -> Dict[str, Any]:
    """What `dgen info NAME --seed BASE_SEED` prints, as a dict: the spec
    (size, dedup, compress, codec, unit, seed: the content seed,
    seed_given, base_seed), the content format (and extent) and the
    expected figures (units, unique_units, unique_bytes, expected_dedup,
    expected_compress, literal_bytes, sectors_per_group)."""
    f = _file(name, base_seed)
    e = f.expect()
    s = f.spec
    return {
        "name": name, "format": e.format, "size": s.size,
        "dedup": s.dedup, "compress": s.compress,
        "codec": CODECS.get(s.codec, str(s.codec)), "unit": s.unit,
        "seed": s.seed, "seed_given": bool(s.seed_given),
        "base_seed": f.base_seed, "units": e.units,
        "unique_units": e.unique_units, "unique_bytes": e.unique_bytes,
        "expected_dedup": e.dedup, "expected_compress": e.compress,
        "literal_bytes": e.literal_bytes, "extent": e.extent,
        "sectors_per_group": e.sectors_per_group,
    }
