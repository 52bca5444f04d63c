#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""words3_ref.py PPMFILE SEED LEVEL... - the portable reference of a
profiled format 3 piece (src/lib/format3/words3.h): for each LEVEL, the
piece of SEED at that level through the byte table of the histogram in
PPMFILE (256 whitespace-separated parts per million), written to stdout.
Plain Python, written from words3.h's definition, so tests/words3.sh can
hold the C code to it byte for byte.  Not a generator to use: slow."""
import sys

M = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
KEY = 0x776F726473212121
PIECE, LEVELS, TABLE = 4096, 8192, 65536
STEMS, WORDS = 32, 64


def mix(x):
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & M
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & M
    return x ^ (x >> 31)


def piece(seed, level):
    state = [mix(seed ^ KEY)]

    def nxt():
        state[0] = (state[0] + GOLDEN) & M
        return mix(state[0])

    def draw(n):
        out = bytearray()
        while len(out) < n:
            out += nxt().to_bytes(8, "little")
        return bytes(out[:n])

    level = min(level, LEVELS - 1)
    half = LEVELS // 2
    words, lit = (2 + 62 * level // half, 0) if level < half else (WORDS, level - half)
    stems = []
    for _ in range(STEMS):
        stems.append(draw(3 + nxt() % 4))
    dictionary = []
    for _ in range(words):
        x = nxt() & 0xFFFF
        dictionary.append(stems[(x * x * STEMS) >> 32] + draw(6 + len(dictionary) * 29 % 48))
    cum, t = [], 0
    for k in range(WORDS):
        t += 65536 // (k + 1)
        cum.append(t)
    total = cum[words - 1]
    out, acc = bytearray(), 0
    while len(out) < PIECE:
        r = nxt()
        acc += lit
        if acc >= half:
            acc -= half
            out += draw(1 + ((r >> 12) & 7) + ((r >> 15) & 3))
        else:
            x = (r >> 12) % total
            out += dictionary[next(i for i in range(words) if x < cum[i])]
    return bytes(out[:PIECE])


def table(ppm):
    slots = [p * TABLE // 1000000 for p in ppm]
    left = TABLE - sum(slots)
    for b in sorted(range(256), key=lambda b: (-(ppm[b] * TABLE % 1000000), b))[:left]:
        slots[b] += 1
    ordered = [v for v in range(256) for _ in range(slots[v])]
    t = bytearray(TABLE)
    for i, v in enumerate(ordered):
        t[(i % 256) * 256 + i // 256] = v
    return bytes(t)


def mapped(t, p):
    out, prev = bytearray(PIECE), 0
    for i, b in enumerate(p):
        out[i] = t[prev * 256 + b]
        prev = b
    return bytes(out)


ppm = [int(v) for v in open(sys.argv[1]).read().split()]
t = table(ppm)
for level in sys.argv[3:]:
    sys.stdout.buffer.write(mapped(t, piece(int(sys.argv[2]), int(level))))
