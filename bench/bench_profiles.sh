#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_profiles.sh - content from a profile against the corpus it was
# learned from (docs/PROFILES.md, "Content from a profile: measured"):
# per built-in profile (or PROFILE=CORPUS pairs given), the corpus
# assembled as bench/profiles_build.sh does (bench/profiles_corpus.py,
# BYTES each), the same size of `dgen cat SIZE-cR-pPROFILE` with R the
# profile's own lz4 ratio per 128 KiB, then
#  - every codec's ratio per 128 KiB, corpus and dgenfs (dgen measure
#    --against), and xz's (preset 6, /usr/bin/python3's lzma) on the first
#    16 MiB of both;
#  - compression speed, MB/s of one core, of zstd -3, zlib -6, zstd -1 and
#    lz4 per 128 KiB unit (/usr/bin/python3: zstandard, zlib, lz4.block),
#    ROUNDS paired rounds alternating which side goes first; the median of
#    each side and dgenfs / corpus.
# Timing, so a bench script, not a test.  From the build tree after make:
#   bench/bench_profiles.sh [BYTES] [ROUNDS] [NAME[=CORPUSFILE]...]
# default 64 MiB, 5 rounds, text binary mixed.  A NAME is a built-in or
# @FILE.profile (then =CORPUSFILE, the file it was learned from).
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
dgen=${DGEN:-./dgen}
bytes=${1:-67108864}
rounds=${2:-5}
[ $# -ge 2 ] && shift 2 || shift $#
[ $# -gt 0 ] || set -- text binary mixed
py=/usr/bin/python3
"$py" -c 'import zstandard, lz4.block, lzma, zlib' 2>/dev/null ||
	{ echo "bench_profiles.sh: /usr/bin/python3 needs python3-zstandard and python3-lz4" >&2; exit 2; }
[ -x "$dgen" ] || { echo "bench_profiles.sh: no $dgen (make first)" >&2; exit 2; }
work=$(mktemp -d /tmp/bench_profiles.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "bench_profiles.sh: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $bytes bytes a side, $rounds rounds"
for arg; do
	name=${arg%%=*}
	corpus=${arg#*=}
	if [ "$corpus" = "$arg" ]; then
		corpus=$work/$name.corpus
		"$py" "$srcdir/bench/profiles_corpus.py" "$name" "$bytes" "$corpus"
	fi
	# the profile's own lz4 ratio: its column of measure --against
	head -c 131072 "$corpus" >"$work/probe"
	ratio=$("$dgen" measure "$work/probe" --against "$name" |
		awk '$1 == "codecs.lz4.128k" { print $2 }')
	size=$(stat -c %s "$corpus")
	"$dgen" cat "$size-c$ratio-p$name" >"$work/data"
	echo "== $name: corpus $size bytes, dgen cat $size-c$ratio-p$name"
	"$dgen" measure "$work/data" --against "$name" |
		awk '$1 ~ /^codecs\..*\.128k$/ { printf "%-24s corpus %8s dgenfs %8s  dgenfs/corpus %s\n", $1, $2, $3, $4 }'
	"$py" - "$corpus" "$work/data" "$rounds" <<'PY'
import lzma, statistics, sys, time, zlib
import lz4.block, zstandard

UNIT = 128 << 10
sides = [open(p, "rb").read() for p in sys.argv[1:3]]
rounds = int(sys.argv[3])
codecs = {
    "zstd-3": zstandard.ZstdCompressor(level=3).compress,
    "zlib-6": lambda u: zlib.compress(u, 6),
    "zstd-1": zstandard.ZstdCompressor(level=1).compress,
    "lz4": lambda u: lz4.block.compress(u, store_size=False),
}

def units(d):
    return [d[i:i + UNIT] for i in range(0, len(d), UNIT)]

def xz(d):
    d = d[:16 << 20]
    us = units(d)
    return len(d) / sum(min(len(u), len(lzma.compress(u, preset=6))) for u in us)

a, b = xz(sides[0]), xz(sides[1])
print(f"{'xz.128k (preset 6)':24} corpus {a:8.4f} dgenfs {b:8.4f}  dgenfs/corpus {b / a:.3f}")
for name, f in codecs.items():
    mbs = [[], []]
    for r in range(rounds):
        for s in ((0, 1) if r % 2 == 0 else (1, 0)):
            us = units(sides[s])
            t = time.perf_counter()
            for u in us:
                f(u)
            mbs[s].append(len(sides[s]) / (time.perf_counter() - t) / 1e6)
    a, b = statistics.median(mbs[0]), statistics.median(mbs[1])
    print(f"{name + ' MB/s':24} corpus {a:8.1f} dgenfs {b:8.1f}  dgenfs/corpus {b / a:.3f}")
PY
done
