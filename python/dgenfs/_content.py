# SPDX-License-Identifier: MIT
"""dgenfs._content - a magic name's bytes and figures, as the dgen command
gives them: cat (dgen cat NAME --offset --length --seed), info (dgen
info NAME) and the generation_* figures of each generation (the member
"generations" of dgen info NAME-gN-rRATE --json; docs/GENERATIONS.md).
Their base_seed is dgen's --seed, the run-wide seed mixed into every name;
a name's own content seed is its -sN part.

Not here: streaming (dgenfs._generator), argument checks (dgenfs._args).
"""

import ctypes
from typing import Any, Callable, Dict, Optional

from dgenfs import _args
from dgenfs._lib import CODECS, CONSTANTS, DgenError, File, fill, lib

# A content-defined chunker's loss at each run (dgen.h): at a run of
# changed regions, fitted to restic and borg, and at a run of copies (the
# first full's, dgen info's generation 0).
GENERATION_LOSS_RESTIC = CONSTANTS["DGEN_GENERATION_LOSS_RESTIC"]
GENERATION_LOSS_BORG = CONSTANTS["DGEN_GENERATION_LOSS_BORG"]
CHUNK_LOSS_RESTIC = CONSTANTS["DGEN_CHUNK_LOSS_RESTIC"]
CHUNK_LOSS_BORG = CONSTANTS["DGEN_CHUNK_LOSS_BORG"]


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
    seed_given, base_seed, profile: the -pPROFILE id, 0 without one), the
    content format (and extent) and the expected figures (units,
    unique_units, unique_bytes, expected_dedup, expected_compress,
    literal_bytes, sectors_per_group)."""
    f = _file(name, base_seed)
    e = f.expect()
    s = f.spec
    return {
        "name": name, "format": e.format, "size": s.size,
        "dedup": s.dedup, "compress": s.compress,
        "codec": CODECS.get(s.codec, str(s.codec)), "unit": s.unit,
        "seed": s.seed, "seed_given": bool(s.seed_given), "profile": s.profile,
        "base_seed": f.base_seed, "units": e.units,
        "unique_units": e.unique_units, "unique_bytes": e.unique_bytes,
        "expected_dedup": e.dedup, "expected_compress": e.compress,
        "literal_bytes": e.literal_bytes, "extent": e.extent,
        "sectors_per_group": e.sectors_per_group,
    }


def _generation(name: Any, generation: Any, base_seed: Any,
                call: Callable[..., float], *more: int) -> float:
    f = _file(name, base_seed)
    g = _args.integer(generation, "generation", 0,
                      CONSTANTS["DGEN_GENERATION_MAX"])
    n = call(f.handle, g, *more)
    if n < 0:
        raise DgenError("%s: no generations for this file (content format %d; "
                        "format 3 or later has them), or out of memory"
                        % (name, f.expect().format))
    return n


def generation_changed(name: str, generation: int, base_seed: int = 0) -> int:
    """The bytes of the file `name` that generation `generation` (0 to
    1,000,000) changed from the one before, every copy of a changed region
    counted (0 for generation 0), at the name's change rate (-rRATE),
    whatever its own -gN: dgen info's changed_bytes.  DgenError for a
    name of a format without generations (formats 1 and 2)."""
    return int(_generation(name, generation, base_seed,
                           lib.dgen_file_generation_changed))


def generation_block_new(name: str, generation: int, block: int = 4096,
                         base_seed: int = 0) -> int:
    """What a fixed-block store of aligned `block` bytes (a power of two,
    4 KiB to 1 MiB) keeps of generation `generation` of `name` beyond what
    it kept of the generations before, exactly (generation 0: the first
    full): dgen info's new bytes of "fixed-block"."""
    block = _args.integer(block, "block")
    if (block < CONSTANTS["DGEN_BLOCK_DEDUP_MIN"] or block & (block - 1) or
            block > CONSTANTS["DGEN_BLOCK_DEDUP_MAX"]):
        raise DgenError("block must be a power of two from %d to %d, not %d"
                        % (CONSTANTS["DGEN_BLOCK_DEDUP_MIN"],
                           CONSTANTS["DGEN_BLOCK_DEDUP_MAX"], block))
    return int(_generation(name, generation, base_seed,
                           lib.dgen_file_generation_block_new, block))


def generation_chunk_new(name: str, generation: int,
                         run_loss: int = GENERATION_LOSS_RESTIC,
                         base_seed: int = 0) -> float:
    """The same for a content-defined chunker that loses `run_loss` bytes
    (at most 2^40) at each run, a prediction: generation 0 at each run of
    copies, later ones at the edges of each run of changed regions.  dgen
    info's "restic" and "borg" are GENERATION_LOSS_RESTIC and _BORG from
    generation 1, CHUNK_LOSS_RESTIC and _BORG at generation 0."""
    run_loss = _args.integer(run_loss, "run_loss", 0,
                             CONSTANTS["DGEN_CHUNK_LOSS_MAX"])
    return _generation(name, generation, base_seed,
                       lib.dgen_file_generation_chunk_new, run_loss)
