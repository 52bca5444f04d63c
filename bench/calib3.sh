#!/bin/sh
# SPDX-License-Identifier: MIT
# calib3.sh - format 3's calibration question, measured (docs/FORMAT3-PIECES.md,
# "Calibration (measured)"): real corpora built on this machine (system
# binaries, source text), random bytes and format 2 for contrast, then per
# ratio c the piece shape bench/calib3 finds for lz4 and zstd -1 within 3 %
# per 4, 32 and 128 KiB unit, with the byte statistics btrfs's compress=
# heuristic looks at.  Not a test (nothing is timed; it prints figures).
# From the build tree after `make`:
#   bench/calib3.sh [CORPUS_MIB] [SHAPE_MIB]     (defaults 128, 16)
set -eu
corpus_mib=${1:-128}
shape_mib=${2:-16}
tool=${CALIB3:-./bench/calib3}
dgen=${DGEN:-./dgen}
[ -x "$tool" ] || { echo "calib3.sh: $tool not built (run make)" >&2; exit 2; }
work=$(mktemp -d /tmp/calib3.XXXXXX)
trap 'umount "$work/fs" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; lz4 $(pkg-config --modversion liblz4 2>/dev/null), zstd $(pkg-config --modversion libzstd 2>/dev/null)"
echo "# per 128 KiB record: ratios input/output per 4, 32, 128 KiB unit (lz4 = LZ4_compress_default,"
echo "# zs = zstd -1); H = order-0 entropy (bits/byte), vals = distinct byte values, core* = core"
echo "# set of all bytes; core, H% = btrfs's sample (16 B every 256 B of each page): its core set and"
echo "# integer entropy in % of 8 bits; btrfs = share of records compress= would compress"

# the corpora: the first CORPUS_MIB MiB of each, files in name order
find /usr/bin -maxdepth 1 -type f | LC_ALL=C sort | xargs cat 2>/dev/null |
	head -c "$((corpus_mib << 20))" >"$work/usr-bin"
find /usr/include /usr/lib/python3* -type f \( -name '*.h' -o -name '*.py' \) 2>/dev/null |
	LC_ALL=C sort | xargs cat 2>/dev/null | head -c "$((corpus_mib << 20))" >"$work/source-text"
head -c "$((shape_mib << 20))" /dev/urandom >"$work/random"
"$tool" file "$work/usr-bin" --mib="$corpus_mib"
"$tool" file "$work/source-text" --mib="$corpus_mib" | tail -n 1
"$tool" file "$work/random" --mib="$shape_mib" | tail -n 1
if [ -x "$dgen" ]; then
	for name in c3-f2 c8-f2; do
		"$dgen" cat "${shape_mib}MiB-$name" >"$work/format2-$name"
		"$tool" file "$work/format2-$name" --mib="$shape_mib" | tail -n 1
	done
fi
echo "# format 3: per c, the shape found (search on 1 MiB streams), measured on $shape_mib MiB of other"
echo "# seeds and 4 alphabets; worst = largest |ratio/c - 1| over both codecs and the 3 units"
"$tool" table --mib="$shape_mib" | tee "$work/table"

# The same bytes stored by a real btrfs with compress=zstd:1, not forced
# (its heuristic decides per range), measured with compsize: root, btrfs
# and compsize needed, else skipped.
if [ "$(id -u)" != 0 ] || ! command -v mkfs.btrfs >/dev/null ||
   ! command -v compsize >/dev/null || ! grep -qw btrfs /proc/filesystems; then
	echo "# btrfs: skipped (needs root, mkfs.btrfs, compsize and a kernel with btrfs)"
	exit 0
fi
truncate -s 2G "$work/btrfs.img"
mkfs.btrfs -q "$work/btrfs.img" >/dev/null
mkdir "$work/fs"
if ! mount -o loop,compress=zstd:1 "$work/btrfs.img" "$work/fs"; then
	echo "# btrfs: skipped (cannot loop-mount btrfs here)"
	exit 0
fi
for f in usr-bin source-text random format2-c3-f2 format2-c8-f2; do
	[ -f "$work/$f" ] && cp "$work/$f" "$work/fs/$f"
done
awk '$1 ~ /^c[0-9.]+$/ { print $1, $2, $3, $4, $5, $6, $7 }' "$work/table" |
while read -r name lit p mmin n abits dtail; do
	"$tool" write "$lit" "$p" "$mmin" "$n" "$abits" "$dtail" --mib="$shape_mib" \
		>"$work/fs/format3-$name"
done
sync
echo "# btrfs $(uname -r) compress=zstd:1 (not forced): uncompressed / disk bytes, btrfs-compsize $(dpkg-query -W -f='${Version}' btrfs-compsize 2>/dev/null)"
for f in "$work"/fs/*; do
	compsize -b "$f" | awk -v f="${f##*/}" \
		'$1 == "TOTAL" { printf "%-16s %6.3f\n", f, $4 / $3 }'
done
