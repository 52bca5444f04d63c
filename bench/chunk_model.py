#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""chunk_model.py [FILE...] - the what-if behind FORMAT3-PIECES.md's
"Chunkers" item 5: pieces whose matched bytes are copies of random
stretches of a per-piece dictionary (skewed 64-value alphabet, as format
3's phrase), instead of the phrase repeated, against the FILEs given
(e.g. `dgen cat 16MiB-c4`) and random bytes.  For each it prints the
average chunk of borg 1.2's own chunker with casync-sized parameters
(64 KiB average: 14, 18, 16, 4095; seed 0), per 128 KiB unit the ratios
of lz4, zstd -1, zlib -1 and lzo1x-1 and zstd -1 / lz4, and the order-0
entropy.  A model to measure, not dgenfs's content.  Needs borgbackup,
python3-lz4, -zstandard, -lzo (.ci/install-deps); run with /usr/bin/python3."""
import collections
import io
import math
import random
import sys
import zlib

import lz4.block
import lzo
import zstandard
from borg.chunker import Chunker

UNIT = 128 << 10
SIZE = 16 << 20
Z1 = zstandard.ZstdCompressor(level=1)
CODECS = {
    "lz4": lambda u: lz4.block.compress(u, store_size=False),
    "zstd1": Z1.compress,
    "zlib1": lambda u: zlib.compress(u, 1),
    "lzo": lambda u: lzo.compress(u, 1, False),
}
ALPHA = random.Random(9).sample(range(256), 64)
WEIGHTS = [2 ** (-i / 12) for i in range(64)]


def avg_chunk(data):
    n = sum(1 for _ in Chunker(0, 14, 18, 16, 4095).chunkify(io.BytesIO(data)))
    return len(data) / n


def ratio(data, codec):
    units = [data[i:i + UNIT] for i in range(0, len(data), UNIT)]
    return len(data) / sum(min(UNIT, len(CODECS[codec](u))) for u in units)


def entropy(data):
    n = len(data)
    return -sum(v / n * math.log2(v / n) for v in collections.Counter(data).values())


def piece(rng, dlen, lit, mlo, mhi):
    """dictionary | (literal run, copy of a random stretch of it)... | 16 literals"""
    dic = bytes(rng.choices(ALPHA, WEIGHTS, k=dlen))
    lits = rng.randbytes(lit)
    out = bytearray(dic)
    per = lit // max(1, (4096 - 16 - dlen - lit) // ((mlo + mhi) // 2))
    li = 0
    while len(out) < 4096 - 16:
        run = min(per, lit - li)
        out += lits[li:li + run]
        li += run
        m = min(rng.randint(mlo, mhi), 4096 - 16 - len(out))
        if m <= 0:
            break
        s = rng.randrange(0, dlen - m) if m < dlen else 0
        out += dic[s:s + m]
    return bytes(out[:4096 - 16]) + rng.randbytes(16)


def report(label, data):
    r = {c: ratio(data, c) for c in CODECS}
    print(f"{label:34} avg chunk {avg_chunk(data) / 1024:6.1f} KiB  "
          + "  ".join(f"{c} {v:.2f}" for c, v in r.items())
          + f"  zstd1/lz4 {r['zstd1'] / r['lz4']:.3f}  H0 {entropy(data[:1 << 20]):.2f}")


report("random bytes", random.Random(5).randbytes(SIZE))
for path in sys.argv[1:]:
    report(path, open(path, "rb").read()[:SIZE])
for dlen, lit, mlo, mhi in ((256, 1900, 16, 64), (384, 800, 24, 96), (384, 500, 32, 128),
                            (512, 250, 48, 192), (512, 120, 64, 255)):
    rng = random.Random(1)
    data = b"".join(piece(rng, dlen, lit, mlo, mhi) for _ in range(SIZE // 4096))
    report(f"dict {dlen} lit {lit} copies {mlo}-{mhi}", data)
