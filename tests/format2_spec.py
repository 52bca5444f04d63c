#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""format2_spec.py - docs/FORMAT.md sections 8 to 11, reimplemented from
the text alone, against `dgen cat`: if the document and the code ever
disagree on one byte of a format 2 magic file, this fails.  Slow Python on
purpose (a second, independent reading of the spec); small files only.
Usage: format2_spec.py DGEN"""
import math
import struct
import subprocess
import sys

M64 = (1 << 64) - 1
GOLDEN = 0x9e3779b97f4a7c15
# section 9: cost a + b * L per piece, at 4, 32 and 128 KiB
COST = {"lz4": [(21.80, 1.00002), (20.10, 1.00003), (19.92, 1.00003)],
        "zstd": [(20.24, 1.00018), (5.84, 1.00039), (4.50, 1.00041)]}


def mix64(x):
    x &= M64
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & M64
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & M64
    return x ^ (x >> 31)


def hash_name(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & M64
    return mix64(h)


def literal_for(model, at, cost):
    a, b = COST[model][at]
    return min(max(math.floor((cost - a) / b), 96), 4096)


def class_literal(models, sectors):
    if sectors >= 32:
        return 4096
    target = sectors * 4096 / 32
    fit = (sectors * 4096 - 64) / 32
    for m in models:
        lit = literal_for(m, 2, fit)
        if all(abs((COST[o][at][0] + COST[o][at][1] * lit) / target - 1) <= 0.025
               for o in models for at in range(3)):
            return lit
    lits = [literal_for(o, at, target) for o in models for at in range(3)]
    return min(math.floor((min(lits) + max(lits)) / 2), literal_for(models[-1], 2, fit))


def generate(size, dedup, compress, codec, unit, extent, seed, base_seed=0):
    key = mix64(mix64(base_seed ^ 0x6467656e2d763032) + seed)       # section 8
    n_units = -(-size // unit)
    per_extent = extent // unit
    extents = -(-n_units // per_extent)
    unique = min(max(round(n_units / dedup), 1), max(n_units, 1))
    align = 1
    while align * 2 <= (1 << 20) // unit and 64 * align * 2 <= unique:
        align *= 2
    unique = align * ((unique + align // 2) // align)
    if unique > n_units:
        unique -= align
    unique = max(unique, 1)
    n = extents - 1                                                 # section 11
    half = ((n - 1).bit_length() + 1) // 2 if n > 1 else 1
    mask = (1 << half) - 1
    round_keys = [mix64(key ^ 0x7363617474657221 ^ (((r + 1) * GOLDEN) & M64))
                  for r in range(4)]

    def perm(x):
        if n <= 1:
            return x
        while True:
            left, right = x >> half, x & mask
            for k in round_keys:
                left, right = right, left ^ (mix64(right ^ k) & mask)
            x = (left << half) | right
            if x < n:
                return x

    def unique_unit(g):
        if unique >= n_units:
            return g
        k = g // per_extent
        rank = perm(k) if k + 1 < extents else k
        return (rank * per_extent + g % per_extent) % unique

    models = ["lz4", "zstd"] if codec == "lz4" else ["zstd"]        # section 9
    if compress <= 1:
        lo = hi = 4096
        share = 0
    else:
        low = math.floor(32 / compress)
        lo, hi = class_literal(models, low), class_literal(models, low + 1)
        share = min(int(math.ldexp(32 / compress - low, 64)), M64)
    group_key = mix64(key ^ 0x67726f7570732121)

    def piece(p_index):                                             # section 10
        high = (group_key + (p_index >> 5) * GOLDEN) & M64 < share
        literal = hi if high else lo
        q = mix64(key ^ ((p_index * GOLDEN) & M64) ^ 0x7069656365732121)
        s0 = [mix64(q + (2 * l + 1) * GOLDEN) for l in range(8)]
        s1 = [mix64(q + (2 * l + 2) * GOLDEN) for l in range(8)]

        def step():
            out = b""
            for l in range(8):
                out += struct.pack("<Q", (s0[l] + s1[l]) & M64)
                t = (s0[l] ^ (s0[l] << 23)) & M64
                s0[l] = s1[l]
                s1[l] = t ^ s1[l] ^ (t >> 18) ^ (s1[l] >> 5)
            return out
        if literal >= 4096:
            return b"".join(step() for _ in range(64))
        tail = 16 + (q >> 60)
        period = literal - tail
        head = b"".join(step() for _ in range(-(-period // 64)))[:period]
        block = step()
        run = bytearray(head)
        while len(run) < 4096 - tail:
            run.append(run[len(run) - period])
        return bytes(run) + block[:tail]

    pieces = unit // 4096
    out = bytearray()
    for off in range(0, size, 4096):
        out += piece(unique_unit(off // unit) * pieces + (off // 4096) % pieces)
    return bytes(out[:size])


CASES = [  # name, size, dedup, compress, codec, unit, extent
    ("12M-d3-c5-u4K-e1M-f2", 12 << 20, 3, 5, "lz4", 4096, 1 << 20),
    ("5000000-d2-c10-e1M-u64K-f2", 5000000, 2, 10, "lz4", 65536, 1 << 20),
    ("3M-c2.5-f2", 3 << 20, 1, 2.5, "lz4", 131072, 1 << 30),
    ("9M-d1.7-c12@zstd-u8K-e2M-f2", 9 << 20, 1.7, 12, "zstd", 8192, 2 << 20),
]


def main():
    dgen = sys.argv[1]
    failed = 0
    for name, size, dedup, compress, codec, unit, extent in CASES:
        want = subprocess.run([dgen, "cat", name], check=True,
                              capture_output=True).stdout
        got = generate(size, dedup, compress, codec, unit, extent,
                       hash_name(name.replace("-f2", "")))
        if got != want:
            at = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]),
                      min(len(got), len(want)))
            print("FAIL: %s: FORMAT.md and dgen cat differ from byte %d" % (name, at))
            failed += 1
        else:
            print("ok: %s: %d bytes as FORMAT.md defines them" % (name, size))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
