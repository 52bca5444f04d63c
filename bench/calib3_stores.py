#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""calib3_stores.py - format 3's calibrated shapes as stores keep them
(docs/FORMAT3-PIECES.md, "Calibration II (measured)"): the bytes come from
bench/calib3 write (the library's own piece writer), the figures from
tests/storesim (docs/STORES.md: per-unit codecs, ZFS records with sectors
and the 12.5 % rule, btrfs extents with sectors and its heuristic).

  sectors  per ratio c: the calibration table's shape as it is ("before"),
           then a prototype of a sector fit ("after"): two literal counts
           of the same shape, one whose 128 KiB record lz4 and zstd -1 both
           compress to just under s whole 4 KiB sectors (s = floor(32 / c)),
           one to just under s + 1, records mixed so the mean is 32 / c
           sectors
  codecs   per ratio c: zlib -1, zlib -6 and lzo1x-1 per 4/32/128 KiB unit
           of the lz4-calibrated shape, then per codec the literal count
           that centres that codec alone (a per-codec shape: `@zlib`,
           `@lzo`), measured

Not a test and not the calibration of a format: it prints figures; nothing
is timed.  Not here: the store models (tests/storesim*.c) and the shape
search (bench/calib3.c).  From the build tree after `make` and
`make tests/storesim`:
  bench/calib3_stores.py sectors|codecs [C...] [--mib=N]   (default: every
  C of the table; 16 MiB)
  bench/calib3_stores.py sectors|codecs C --shape=LIT,P,MMIN,N,ABITS,DTAIL
                                            (another shape for C)
"""
import ctypes
import json
import math
import os
import subprocess
import sys

CALIB3 = os.environ.get("CALIB3", "./bench/calib3")
STORESIM = os.environ.get("STORESIM", "./tests/storesim")
SECTOR = 4096
RECORD = 131072
UNITS = (4096, 32768, 131072)
PIECES = RECORD // 4096
# bytes a fitted record's lz4 and zstd output stays under its sector line:
# ZFS's 4-byte lz4 and 8-byte zstd headers, and room for ZFS's own (older)
# LZ4 coding a little looser than liblz4's LZ4_compress_default
MARGIN = 32
# c: (lit, p, mmin, n, abits, dtail), the shapes of "Calibration
# (measured)"; c1.2 from `bench/calib3 search 1.2` (same method)
SHAPES = {
    1.2: (3180, 160, 8, 28, 4, 80),
    1.5: (2483, 160, 8, 28, 4, 80),
    2: (1783, 160, 8, 28, 4, 80),
    3: (1148, 96, 8, 28, 4, 48),
    4: (851, 128, 8, 8, 4, 64),
    6: (589, 64, 0, 0, 4, 32),
    8: (436, 48, 0, 0, 4, 24),
    10: (316, 64, 0, 0, 6, 16),
}
# LZ4_compress_default and ZSTD_compress level 1 through ctypes, as
# storesim's models call them (python3-lz4's lz4.block is another function:
# docs/STORES.md), for the largest record of a fit
LZ4 = ctypes.CDLL("liblz4.so.1")
ZSTD = ctypes.CDLL("libzstd.so.1")
ZSTD.ZSTD_compress.restype = ctypes.c_size_t
ZSTD.ZSTD_compress.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                               ctypes.c_size_t, ctypes.c_int)
OUT = ctypes.create_string_buffer(2 * RECORD)


def record_size(rec):
    """the larger of lz4's and zstd -1's output for one record: both
    codecs must land on the same sectors (ZFS lz4 and zstd-1, btrfs zstd)"""
    return max(LZ4.LZ4_compress_default(rec, OUT, len(rec), len(OUT)),
               ZSTD.ZSTD_compress(OUT, len(OUT), rec, len(rec), 1))


BTRFS = ("compress=zstd:1", "compress-force=zstd:1", "compress-force=lzo",
         "compress-force=zlib:1", "compress-force=zlib:6")


def write(shape, mib):
    """mib MiB of pieces of one shape (calib3 write: 4 alphabets, seeds
    calib3's search never used)"""
    return subprocess.run([CALIB3, "write", *map(str, shape), f"--mib={mib}"],
                          stdout=subprocess.PIPE, check=True).stdout


def sim(data, only):
    """storesim's figures: {(store, unit | recordsize | option): ratio};
    store is lz4, lzo, zstd-1, zstd-3, zlib-1, zlib-6, zfs-lz4, zfs-zstd-1,
    ..., btrfs"""
    args = [STORESIM, "--only", only]
    for opt in BTRFS:
        args += ["--btrfs", opt]
    out = subprocess.run(args + ["-"], input=data, stdout=subprocess.PIPE,
                         check=True).stdout
    fig = {}
    for line in out.decode().splitlines():
        j = json.loads(line)
        if "store" in j:
            name = j["store"] + ("-%d" % j["level"] if "level" in j else "")
            where = j.get("unit", j.get("recordsize", j.get("option")))
            fig[(name, where)] = j["compress"]
    return fig


def out_per_record(fig, codec, unit):
    return RECORD / fig[(codec, unit)]


def with_lit(shape, lit):
    return (lit,) + tuple(shape[1:])


SECTOR_COLS = (("lz4", 4096), ("lz4", 131072), ("zstd-1", 4096), ("zstd-1", 131072),
               ("zfs-lz4", 131072), ("zfs-lz4", 1048576), ("zfs-zstd-1", 131072),
               ("btrfs", "compress-force=zstd:1"), ("btrfs", "compress=zstd:1"))


def sector_row(label, c, lits, fig):
    cells = " ".join("%6.3f" % fig[k] for k in SECTOR_COLS)
    worst = max(abs(fig[k] / c - 1) for k in SECTOR_COLS[4:8])
    print("%-5s %-7s %-11s %s | %5.1f%%" % ("c%g" % c, label, lits, cells, 100 * worst),
          flush=True)


def fit(shape, fa, fb, codec, unit):
    """(intercept, slope) of codec's output per record in the literal
    count, from the shape's two streams: random literals cost a byte each,
    so it is linear to a few bytes"""
    la, lb = shape[0], fb[0]
    ya, yb = out_per_record(fa[1], codec, unit), out_per_record(fb[1], codec, unit)
    slope = (ya - yb) / (la - lb)
    return ya - slope * la, slope


def sector_fit(c, mib):
    shape = SHAPES[c]
    s = math.floor(32 / c + 1e-9)
    hi_share = 32 / c - s
    fa = (shape[0], sim(write(shape, mib), "units,zfs,btrfs"))
    lit_b = round(shape[0] * 0.85)
    fb = (lit_b, sim(write(with_lit(shape, lit_b), mib), "units"))
    icpt, slope = fit(shape, fa, fb, "lz4", RECORD)
    sector_row("before", c, "%d" % shape[0], fa[1])
    streams = []
    for sectors in (s, s + 1) if hi_share > 1e-9 else (s,):
        # the largest literal count whose every record lz4 and zstd -1
        # compress to at most sectors * 4096 - MARGIN bytes, bisected
        # around lz4's fit (the copies that fit change with the literals,
        # so it is not quite linear)
        line = sectors * SECTOR - MARGIN
        guess = math.floor((line - icpt) / slope)
        lo, hi = max(guess - 64, 0), min(guess + 64, 4096 - 16 - shape[1])

        def fits(lit):
            data = write(with_lit(shape, lit), mib)
            top = max(record_size(data[r:r + RECORD]) for r in range(0, len(data), RECORD))
            return data if top <= line else None
        data = fits(lo)
        if data is None or fits(hi) is not None:
            print("c%g: no literal count in %d..%d puts both codecs on %d sectors"
                  % (c, lo, hi, sectors))
            return
        while hi - lo > 1:
            mid = (lo + hi) // 2
            d = fits(mid)
            lo, hi, data = (mid, hi, d) if d is not None else (lo, mid, data)
        lit = lo
        streams.append((lit, data))
    # record r from the s + 1 stream where floor((r + 1) h) > floor(r h):
    # the shares of s and s + 1 sector records give 32 / c sectors
    mixed = bytearray()
    for r in range(len(streams[0][1]) // RECORD):
        up = len(streams) > 1 and math.floor((r + 1) * hi_share) > math.floor(r * hi_share)
        mixed += streams[1 if up else 0][1][r * RECORD:(r + 1) * RECORD]
    lits = "/".join(str(lit) for lit, _ in streams)
    sector_row("after", c, lits, sim(bytes(mixed), "units,zfs,btrfs"))
    print("      (s = %d sectors, %.3f of the records on %d; lz4 per record %.0f + %.3f*lit)"
          % (s, hi_share, s + 1, icpt, slope), flush=True)


CODECS = (("zlib-1", "compress-force=zlib:1"), ("zlib-6", "compress-force=zlib:6"),
          ("lzo", "compress-force=lzo"))


def codec_cells(fig, codec, c):
    r = [fig[(codec, u)] for u in UNITS]
    return "%6.3f %6.3f %6.3f %5.1f%%" % (*r, 100 * max(abs(x / c - 1) for x in r))


def codec_fit(c, mib):
    """the lz4 shape's zlib and lzo figures, then per codec the literal
    count minimising that codec's worst deviation over the three units"""
    shape = SHAPES[c]
    fa = (shape[0], sim(write(shape, mib), "units,btrfs"))
    lit_b = round(shape[0] * 0.85)
    fb = (lit_b, sim(write(with_lit(shape, lit_b), mib), "units"))
    room = 4096 - 16 - shape[1]
    for codec, opt in CODECS:
        lines = [fit(shape, fa, fb, codec, u) for u in UNITS]
        best = min(range(1, room + 1), key=lambda lit: max(
            abs(RECORD / (i + s * lit) / c - 1) for i, s in lines))
        f = sim(write(with_lit(shape, best), mib), "units,btrfs")
        print("%-5s %-6s | lz4 shape %5d: %s | own %5d: %s | btrfs %-21s %6.3f -> %6.3f"
              % ("c%g" % c, codec, shape[0], codec_cells(fa[1], codec, c), best,
                 codec_cells(f, codec, c), opt, fa[1][("btrfs", opt)], f[("btrfs", opt)]),
              flush=True)


def main(argv):
    mib, ratios, shape = 16, [], None
    try:
        for a in argv[2:]:
            if a.startswith("--mib="):
                mib = int(a[6:])
            elif a.startswith("--shape="):
                shape = tuple(int(x) for x in a[8:].split(","))
                if len(shape) != 6:
                    raise ValueError
            else:
                ratios.append(float(a))
    except ValueError:
        mib = 0
    if len(argv) < 2 or argv[1] not in ("sectors", "codecs") or mib < 16 or \
            any(c not in SHAPES for c in ratios) or (shape and len(ratios) != 1):
        sys.stderr.write("usage:\n" + __doc__.split("`make tests/storesim`:\n")[-1])
        return 2
    ratios = ratios or list(SHAPES)
    if shape:
        SHAPES[ratios[0]] = shape
    for tool in (CALIB3, STORESIM):
        if not os.access(tool, os.X_OK):
            sys.stderr.write("calib3_stores.py: %s not built (make; make %s)\n" % (tool, STORESIM))
            return 2
    if argv[1] == "sectors":
        print("# ratios (logical / stored) of %d MiB per c; lz4, zstd-1: per 4 and 128 KiB unit;"
              " ZFS lz4 at 128 KiB and 1 MiB records, zstd-1 at 128 KiB (4 KiB sectors, 12.5 %%"
              " rule); btrfs compress-force=zstd:1 and compress=zstd:1 (sectors, heuristic);"
              " worst: of the four sector columns" % mib)
        print("c     shape   lit         " + " ".join("%6s" % x for x in (
            "lz4/4", "/128", "zs/4", "/128", "zfs128", "zfs1M", "zfzs", "force", "btrfs"))
            + " | worst")
        for c in ratios:
            sector_fit(c, mib)
    else:
        print("# %d MiB per c; per codec: ratios per 4, 32, 128 KiB unit and the worst"
              " |ratio/c - 1|; then btrfs compress-force with that codec (lz4 shape -> own)" % mib)
        for c in ratios:
            codec_fit(c, mib)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
