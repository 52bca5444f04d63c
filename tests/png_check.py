#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""png_check.py - check that a file is a valid PNG as dgen measure --plot
writes it, and count its pixels by color.

  python3 tests/png_check.py FILE.png

Checks the signature, that every chunk's CRC-32 matches, that IHDR comes
first and IEND last, an 8-bit indexed-color image (what raster.c writes)
with a PLTE of whole colors, and that the IDAT chunks inflate to exactly
height x (1 + width) bytes with a valid filter byte (0-4) on every row;
then undoes the filters and prints "WIDTH HEIGHT" and one line per color
used, "RRGGBB PIXELS".  Exit status 1, with the reason, for anything else.
Not a general PNG decoder: no other color types, bit depths or interlace.
"""
import struct
import sys
import zlib


def fail(msg):
    print("png_check: %s" % msg, file=sys.stderr)
    sys.exit(1)


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("no PNG signature")
    pos = 8
    while pos < len(data):
        if pos + 12 > len(data):
            fail("a chunk runs past the end at byte %d" % pos)
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            fail("chunk %r runs past the end" % ctype)
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + body) != crc:
            fail("chunk %r: bad CRC" % ctype)
        yield ctype, body
        pos += 12 + length


def unfilter(raw, width, height):
    """The pixel rows (one byte each), PNG filters undone."""
    stride = width + 1
    prev = bytearray(width)
    rows = []
    for y in range(height):
        ftype = raw[y * stride]
        line = bytearray(raw[y * stride + 1:(y + 1) * stride])
        if ftype > 4:
            fail("row %d: filter type %d" % (y, ftype))
        for x in range(width):
            a = line[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        prev = line
    return rows


def main():
    if len(sys.argv) != 2:
        fail("usage: png_check.py FILE.png")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    found = list(chunks(data))
    if not found or found[0][0] != b"IHDR" or len(found[0][1]) != 13:
        fail("IHDR is not the first chunk")
    if found[-1][0] != b"IEND" or found[-1][1]:
        fail("IEND is not the last chunk")
    width, height, depth, ctype, comp, filt, interlace = struct.unpack(
        ">IIBBBBB", found[0][1])
    if not width or not height:
        fail("an empty image: %d x %d" % (width, height))
    if (depth, ctype, comp, filt, interlace) != (8, 3, 0, 0, 0):
        fail("not 8-bit indexed color, deflate, no interlace: %r" %
             ((depth, ctype, comp, filt, interlace),))
    plte = [body for t, body in found if t == b"PLTE"]
    if len(plte) != 1 or not plte[0] or len(plte[0]) % 3 or len(plte[0]) > 768:
        fail("not one PLTE of 1 to 256 colors")
    palette = ["%02x%02x%02x" % tuple(plte[0][i:i + 3])
               for i in range(0, len(plte[0]), 3)]
    raw = zlib.decompress(b"".join(body for t, body in found if t == b"IDAT"))
    if len(raw) != height * (width + 1):
        fail("IDAT inflates to %d bytes, expected %d" %
             (len(raw), height * (width + 1)))
    counts = [0] * 256
    for row in unfilter(raw, width, height):
        for v in row:
            counts[v] += 1
    if any(counts[len(palette):]):
        fail("a pixel's index is past the palette")
    print(width, height)
    for i, color in enumerate(palette):
        if counts[i]:
            print(color, counts[i])


main()
