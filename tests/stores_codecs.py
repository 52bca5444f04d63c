# SPDX-License-Identifier: MIT
"""stores_codecs.py - tests/storesim's codec figures computed again with
Python's bindings (python3-zstandard, zlib, python3-lzo; lz4 through
ctypes, see LZ4 below):
per-unit lz4, zstd -1/-3, zlib -1/-6 and lzo1x-1 at 4, 32 and 128 KiB, and
ZFS's lz4, zstd-N (with OpenZFS 2.2's early abort) and gzip-N per record
(the 12.5 % rule, 4 KiB sectors, holes, embedded blocks) written out again
from docs/STORES.md, not from the C.

    stores_codecs.py FILE STORESIM_JSON PERCENT

prints one line per figure (what, storesim, python) and exits 1 if any two
differ by more than PERCENT, 0 otherwise.  Part of tests/stores_selftest.sh.
"""
import ctypes
import json
import sys
import zlib

import lzo
import zstandard

UNITS = (4096, 32768, 131072)
SECTOR = 4096

# LZ4_compress_default of the system's liblz4, called from Python.
# python3-lz4's lz4.block.compress is not that function: it compresses
# with LZ4_resetStream + LZ4_compress_fast_continue (32-bit hash table),
# 1-3 % apart from LZ4_compress_default on the same 4-32 KiB units.
LZ4 = ctypes.CDLL("liblz4.so.1")
LZ4_OUT = ctypes.create_string_buffer(4 << 20)


def lz4_size(data):
    return LZ4.LZ4_compress_default(data, LZ4_OUT, len(data), len(LZ4_OUT))


def plain(codec, level, data):
    """The codec's one-shot output size, as storesim's ss_plain."""
    if codec == "lz4":
        return lz4_size(data)
    if codec == "zstd":
        return len(zstandard.ZstdCompressor(level=level).compress(data))
    if codec == "zlib":
        return len(zlib.compress(data, level))
    return len(lzo.compress(data, 1, False))


def per_unit(codec, level, data, unit):
    out = 0
    for o in range(0, len(data), unit):
        u = data[o:o + unit]
        out += min(plain(codec, level, u), len(u))
    return len(data) / out


def zfs_zstd(level, rec):
    """ZFS's zstd: an 8-byte header and a frame without magic (4 bytes
    less than the plain frame), checksum or content size."""
    z = zstandard.ZstdCompressor(level=level, write_content_size=False)
    return 8 + len(z.compress(rec)) - 4


def zfs(codec, level, data, recordsize):
    """OpenZFS: holes, d_len = lsize - lsize/8, embedded <= 112, 4 KiB."""
    if len(data) < recordsize:
        recordsize = (len(data) + 511) // 512 * 512
    allocated = 0
    for o in range(0, len(data), recordsize):
        rec = data[o:o + recordsize].ljust(recordsize, b"\0")
        if rec.count(0) == len(rec):
            continue
        d_len = recordsize - recordsize // 8
        if codec == "lz4":
            psize = 4 + lz4_size(rec)
        elif codec == "zstd":
            # zstd_earlyabort_pass: lz4 below d_len, or zstd-1 within it
            if (level >= 3 and recordsize >= 131072 and not 4 + lz4_size(rec) < d_len
                    and zfs_zstd(1, rec) > d_len):
                psize = recordsize
            else:
                psize = zfs_zstd(level, rec)
        else:
            psize = len(zlib.compress(rec, level))
        if psize > d_len:
            allocated += recordsize
        elif psize > 112:
            allocated += min((psize + SECTOR - 1) // SECTOR * SECTOR, recordsize)
    return len(data) / allocated if allocated else None


def key(j):
    return (j["store"], j.get("level", 0), j.get("unit", j.get("recordsize")))


def main():
    path, sim_path, percent = sys.argv[1], sys.argv[2], float(sys.argv[3])
    data = open(path, "rb").read()
    sim = {}
    for line in open(sim_path):
        j = json.loads(line)
        if "store" in j:
            sim[key(j)] = j["compress"]
    want = {}
    for codec, level in (("lz4", 0), ("zstd", 1), ("zstd", 3), ("zlib", 1),
                         ("zlib", 6), ("lzo", 0)):
        for unit in UNITS:
            want[(codec, level, unit)] = per_unit(codec, level, data, unit)
    for codec, level in (("lz4", 0), ("zstd", 1), ("zstd", 3), ("gzip", 1), ("gzip", 6)):
        for r in (131072, 1048576):
            want[("zfs-" + codec, level, r)] = zfs(codec, level, data, r)
    bad = 0
    for k, py in sorted(want.items()):
        got = sim.get(k, "missing")
        ok = (got == py if py is None or got in (None, "missing")
              else abs(got / py - 1) <= percent / 100)
        bad += not ok
        print("%s %-8s level %d size %7d: storesim %s, python %s" %
              ("ok:  " if ok else "FAIL:", k[0], k[1], k[2], got,
               "null" if py is None else "%.4f" % py))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
