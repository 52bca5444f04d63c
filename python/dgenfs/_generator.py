# SPDX-License-Identifier: MIT
"""dgenfs._generator - Generator: streams one file's bytes from its start
into the caller's buffers, as dgen-py's Generator does, with dgen-py's
keywords (numa_mode, max_threads, numa_node, chunk_size) and methods
(fill_chunk, get_chunk, set_seed, position(), total_size()).

The bytes are those of the magic name SIZE-dD-cC-sSEED (.name): a
Generator is that name, its seed and a position, which is all a pickle
carries, so it crosses processes (a spawn pool) and goes on where it was.
Not here: threads (dgenfs._pool), placement (dgenfs._numa).
"""

import secrets
from typing import Any, Iterator, Optional

from dgenfs import _args
from dgenfs._lib import File
from dgenfs._numa import plan
from dgenfs._pool import FillPool

# get_chunk's default size: large enough that the per-call cost vanishes,
# small enough to stay in memory comfortably.
DEFAULT_CHUNK_SIZE = 32 << 20


class Position(int):
    """An int that may also be called: g.position and g.position() (as
    dgen-py writes it) give the same number."""

    def __call__(self) -> int:
        return int(self)


class Generator:
    """Generator(size, dedup_ratio=1.0, compress_ratio=1.0, *, seed=None,
    chunk_size=DEFAULT_CHUNK_SIZE, numa_mode="auto", max_threads=None,
    numa_node=None)

    size, seed, chunk_size, max_threads and numa_node are integers (a float
    is a TypeError); the ratios are numbers of at least 1, rounded to 6
    decimals as names write them.  seed=None draws a random 63-bit seed
    (.seed).  fill_chunk fills each buffer with max_threads threads (by
    default one per CPU this process may use, or per CPU of numa_node),
    which numa_mode places (any case; "disable" too, as dgen-py): "auto"
    pins them to NUMA nodes where there are several, "force" always,
    "disabled" never; numa_node=N pins them to node N's CPUs, and the
    buffers the package allocates for it (generate_buffer, BufferPool) are
    bound to N's memory; a caller's buffer keeps its pages where they are.
    Not thread-safe: one Generator per thread."""

    def __init__(self, size: int, dedup_ratio: float = 1.0,
                 compress_ratio: float = 1.0, *, seed: Optional[int] = None,
                 chunk_size: int = DEFAULT_CHUNK_SIZE, numa_mode: str = "auto",
                 max_threads: Optional[int] = None,
                 numa_node: Optional[int] = None) -> None:
        self.size = _args.integer(size, "size", 0, _args.SIZE_MAX)
        self._dedup = _args.ratio(dedup_ratio, "dedup_ratio")
        self._compress = _args.ratio(compress_ratio, "compress_ratio")
        self.chunk_size = _args.integer(chunk_size, "chunk_size", 1)
        self.numa_mode = numa_mode
        self.numa_node = None if numa_node is None else \
            _args.integer(numa_node, "numa_node")
        self._max_threads = None if max_threads is None else \
            _args.integer(max_threads, "max_threads", 1, 4096)
        self._pool = FillPool(plan(numa_mode, self.numa_node, self._max_threads))
        self.max_threads = self._pool.threads
        self.set_seed(seed)

    def set_seed(self, seed: Optional[int]) -> None:
        """Take another content seed (None: a random 63-bit one, as dgen-py)
        and start again from the first byte: the stream of the name
        SIZE-dD-cC-sSEED."""
        self.seed = secrets.randbits(63) if seed is None else _args.seed(seed)
        self.name = "%d-d%s-c%s-s%d" % (self.size, self._dedup, self._compress,
                                         self.seed)
        self._file = File(self.name)
        self.dedup_ratio = self._file.spec.dedup
        self.compress_ratio = self._file.spec.compress
        self._position = 0

    @property
    def position(self) -> Position:
        """Bytes produced so far (an attribute, or a method as dgen-py's)."""
        return Position(self._position)

    def total_size(self) -> int:
        """The stream's size in bytes (.size)."""
        return self.size

    def fill_chunk(self, buffer: Any) -> int:
        """Write the next bytes into `buffer` (any writable, contiguous
        buffer: bytearray, memoryview, mmap, numpy array), in place, from
        its start, with max_threads threads (GIL released); returns how
        many: its length in bytes, fewer at the end, 0 once complete."""
        address, nbytes, pin = _args.writable(buffer)
        position = self._position
        n = min(nbytes, self.size - position)
        if n <= 0:
            return 0
        got = self._pool.fill(self._file.handle, position, address, n)
        del pin
        self._position = position + got
        return got

    def get_chunk(self, size: Optional[int] = None) -> Optional[bytes]:
        """The next chunk_size (or size) bytes as a new bytes object (a
        copy: fill_chunk into a reused buffer is the fast path); None once
        complete, as dgen-py (so `while chunk is not None` ends too)."""
        want = self.chunk_size if size is None else _args.integer(size, "size")
        return None if self.is_complete() else self._chunk(want)

    def _chunk(self, want: int) -> bytes:
        buf = bytearray(min(want, self.size - self._position))
        self.fill_chunk(buf)
        return bytes(buf)

    def is_complete(self) -> bool:
        """True once every byte of the stream has been produced."""
        return self._position >= self.size

    def reset(self) -> None:
        """Start again from the first byte (the same bytes again)."""
        self._position = 0

    def seek(self, position: int) -> None:
        """Go on from byte `position` (0 to size)."""
        self._position = _args.integer(position, "position", 0, self.size)

    def __iter__(self) -> Iterator[bytes]:
        while not self.is_complete():
            yield self._chunk(self.chunk_size)

    def __reduce__(self) -> Any:
        # The name's parts, the options and the position: never a handle.
        return (_restore, ({"size": self.size, "dedup_ratio": self._dedup,
                            "compress_ratio": self._compress, "seed": self.seed,
                            "chunk_size": self.chunk_size,
                            "numa_mode": self.numa_mode,
                            "max_threads": self._max_threads,
                            "numa_node": self.numa_node,
                            "position": self._position},))

    def __repr__(self) -> str:
        return "Generator(%r, position=%d)" % (self.name, self._position)


def _restore(state: dict) -> Generator:
    position = state.pop("position")
    for key in ("dedup_ratio", "compress_ratio"):
        state[key] = float(state[key])
    g = Generator(**state)
    g.seek(position)
    return g
