#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""profile_model.py CORPUS... - the prototype behind docs/PROFILES.md's
"Content from a profile": for each corpus file, format 3's piece layout
with its literal and phrase bytes drawn from the corpus's order-0 byte
histogram, the literal count bisected until lz4 per 128 KiB sees the
corpus's lz4 ratio; prints both sides' ratios for lz4, zstd -1/-3,
zlib -1/-6 and lzo1x-1 and synthetic / corpus, then the compression speed
of zstd -3 and zlib -1/-6 on both (best of 3).  A model to measure, not
dgenfs's content: no name produces these bytes.  Needs python3-lz4,
python3-zstandard and python3-lzo (.ci/install-deps)."""
import collections
import math
import random
import sys
import time
import zlib

import lz4.block
import lzo
import zstandard

UNIT = 128 << 10
SIDE = 8 << 20
Z1 = zstandard.ZstdCompressor(level=1)
Z3 = zstandard.ZstdCompressor(level=3)
CODECS = {
    "lz4": lambda u: lz4.block.compress(u, store_size=False),
    "zstd1": Z1.compress,
    "zstd3": Z3.compress,
    "zlib1": lambda u: zlib.compress(u, 1),
    "zlib6": lambda u: zlib.compress(u, 6),
    "lzo": lambda u: lzo.compress(u, 1, False),
}


def units(data):
    return [data[i:i + UNIT] for i in range(0, len(data) - UNIT + 1, UNIT)]


def ratio(data, codec):
    us = units(data)
    return len(us) * UNIT / sum(min(UNIT, len(CODECS[codec](u))) for u in us)


def entropy(data):
    n = len(data)
    return -sum(v / n * math.log2(v / n) for v in collections.Counter(data).values())


def piece(rng, weights, lit, p=96, mmin=8, n=24):
    """One 4096-byte piece: phrase, literal runs between copies of the
    phrase's suffixes, the phrase repeated, a 16-literal tail."""
    draw = lambda k: bytes(rng.choices(range(256), weights, k=k))
    phrase, lits = draw(p), draw(lit + 16)
    out = bytearray(phrase)
    fill, used, li = 4096 - p - lit - 16, 0, 0
    per = max(1, lit // n)
    for i in range(n):
        m = mmin + i * (p - mmin + 1) // n
        if used + m > fill:
            break
        r = min(per, lit - li)
        out += lits[li:li + r] + phrase[p - m:]
        li, used = li + r, used + m
    out += lits[li:lit]
    t = 4096 - 16 - len(out)
    out += (phrase * (t // p + 1))[:t] + lits[lit:]
    return bytes(out)


def synthetic(weights, lit, size, seed):
    rng = random.Random(seed)
    return b"".join(piece(rng, weights, lit) for _ in range(size // 4096))


def speed(data, codec):
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        for u in units(data):
            CODECS[codec](u)
        best = max(best, len(data) / (time.perf_counter() - t) / 1e6)
    return best


for path in sys.argv[1:]:
    corpus = open(path, "rb").read()[:SIDE]
    weights = [c + 0.5 for c in (collections.Counter(corpus).get(b, 0) for b in range(256))]
    want = ratio(corpus, "lz4")
    lo, hi = 0, 3900
    while hi - lo > 4:
        mid = (lo + hi) // 2
        if ratio(synthetic(weights, mid, 2 << 20, 1), "lz4") > want:
            lo = mid
        else:
            hi = mid
    syn = synthetic(weights, lo, SIDE, 7)
    print(f"{path}: order-0 entropy corpus {entropy(corpus):.2f} synthetic {entropy(syn):.2f}"
          f" bits, {lo} literals per piece")
    for codec in CODECS:
        a, b = ratio(corpus, codec), ratio(syn, codec)
        print(f"  {codec:6} ratio corpus {a:.3f} synthetic {b:.3f} synthetic/corpus {b / a:.3f}")
    for codec in ("zstd3", "zlib1", "zlib6"):
        a, b = speed(corpus, codec), speed(syn, codec)
        print(f"  {codec:6} MB/s  corpus {a:.0f} synthetic {b:.0f} synthetic/corpus {b / a:.2f}")
