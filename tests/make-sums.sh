#!/bin/sh
# SPDX-License-Identifier: MIT
# make-sums.sh - record the bytes of content formats 1 and 2 as the
# current build makes them, at draws that nobody chose: from a random seed
# (or SEED), about 200 magic names (1 B to a few GiB; dedup, compression,
# codec, unit, extent, seed, base seed, -f1/-f2) and files of datasets
# (tests/sums.conf, drawn here too, etc/dgenfs.conf and
# tests/verify_docs.conf), each with an offset, a length (unaligned ones,
# ones past the end, ones long enough for the streaming fill), a read split
# and a buffer alignment.  tests/sums.sh recomputes every line.
#
# Run it ONLY to pin a new commit's bytes on purpose (never to make
# tests/sums.sh pass): a changed sum means copies made before no longer
# verify.  Not a test itself.  From the build tree:
#   tests/make-sums.sh [SEED]   (writes $top_srcdir/tests/sums.conf, sums.txt)
set -eu
top=${top_srcdir:-.}
helper=${SUMS_RANGE:-./tests/sums_range}
seed=${1:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
[ -x "$helper" ] || { echo "make-sums: $helper not built (make check)" >&2; exit 2; }

# The draws: "name NAME BASE OFFSET LENGTH SPLIT SHIFT" and
# "dataset CONF DS NODE BASE OFFSET LENGTH SPLIT SHIFT" lines, and the
# random datasets' config.  Datasets first, so the names' draws are in the
# same awk run.
draws=$(mktemp)
trap 'rm -f "$draws"' EXIT
awk -v seed="$seed" -v conf="$top/tests/sums.conf" '
function r(n) { return int(rand() * n) }		# 0 .. n-1
# mawk prints numbers past 2^31 as %.6g: big ones go through %.0f
function big(n) { return sprintf("%.0f", n) }
function pick(list,   a, n) { n = split(list, a, " "); return a[r(n) + 1] }
function ratio(max) {
	if (r(4) == 0) return 1
	if (r(2)) return 1 + r(int(max))
	return sprintf("%.2f", 1 + rand() * (max - 1))
}
function size(   k) {
	k = r(10)
	if (k == 0) return 1 + r(100)					# bytes
	if (k == 1) return 1 + r(65536)
	if (k == 2) return (1 + r(64)) "KiB"
	if (k == 3) return (1 + r(999)) "K"
	if (k <= 5) return (1 + r(512)) pick("M MiB MB")
	if (k <= 7) return (1 + r(8)) pick("G GiB GB")
	if (k == 8) return (r(4) + 0.5) "G"				# a fraction
	return big(1 + r(4294967296))				# up to 4 GiB
}
function codec(   c) { c = pick("lz4 zstd zlib"); return c }
function cmax(c) { return c == "zlib" ? 6 : c == "zstd" ? 12 : 10 }
function offset(   k) {
	k = r(6)
	if (k == 0) return 0
	if (k == 1) return "e" r(70000)			# near the end
	if (k == 2) return r(4) * 4096			# piece-aligned, small
	return big(r(4294967296) * 4 + r(4))	# anywhere, modulo the size
}
function len_draw(   k) {
	k = r(20)
	if (k == 0) return 0
	if (k <= 2) return 1 + r(100)
	if (k <= 15) return 1 + r(2 * 1048576)
	if (k <= 17) return 4096 * (1 + r(512))
	return 8 * 1048576 + r(4 * 1048576)		# the streaming fill
}
function split_of(len,   k) {
	k = r(5)
	if (k == 0 || len == 0) return len ? len : 1	# one read
	if (k == 1) return 1 + r(5000)
	if (k == 2) return 4096 * (1 + r(64))
	return 1 + r(len)
}
function shift() { return r(3) ? 0 : r(64) }
function name(   n, c, f) {
	f = 1 + r(2)
	n = size()
	if (r(3)) n = n "-d" ratio(20)
	if (r(3)) {
		c = r(2) ? codec() : ""				# "": lz4, unnamed
		n = n "-c" ratio(cmax(c == "" ? "lz4" : c)) (c == "" ? "" : "@" c)
	}
	if (r(3) == 0) n = n "-u" (4 * 2 ^ r(9)) "KiB"
	if (f == 2 && r(3) == 0) n = n "-e" (2 ^ r(12)) "MiB"
	n = n "-f" f
	if (r(3) == 0) n = n "-s" big(r(4294967296)) r(100000)
	if (r(4) == 0) n = n pick(".bin .dat .img")
	return n
}
function base() { return r(3) ? 0 : big(r(4294967296)) r(100000) }
BEGIN {
	srand(seed)
	# the random datasets
	print "; SPDX-License-Identifier: MIT" > conf
	print "; sums.conf - random datasets drawn by tests/make-sums.sh (seed " seed ");" > conf
	print "; tests/sums.sh reads files of them against tests/sums.txt" > conf
	for (i = 0; i < 8; i++) {
		f = 1 + i % 2
		ds[i] = "r" i
		print "[dataset r" i "]" > conf
		print "files = " (1 + r(r(2) ? 100 : 5000)) > conf
		if (r(2)) print "fanout = " (2 + r(60)) > conf
		if (r(3) == 0) print "file_size = " (1 + r(3000000)) > conf
		else {
			print "file_size_min = " (1 + r(8192)) > conf
			print "file_size_max = " (8192 + r(r(2) ? 1048576 : 67108864)) > conf
			print "distribution = " pick("uniform loguniform") > conf
		}
		if (r(4)) print "dedup = " ratio(8) > conf
		if (r(4)) { c = codec(); print "compress = " ratio(cmax(c)) "@" c > conf }
		if (r(2)) print "unit = " (4 * 2 ^ r(9)) "KiB" > conf
		if (r(2)) print "seed = " big(r(4294967296)) > conf
		print "format = " f > conf
		if (f == 2 && r(2)) print "extent = " (2 ^ r(8)) "MiB" > conf
	}
	close(conf)
	for (i = 0; i < 160; i++) {
		l = len_draw()
		print "name", name(), base(), offset(), l, split_of(l), shift()
	}
	for (i = 0; i < 40; i++) {
		k = r(11)
		if (k < 8) { cf = "tests/sums.conf"; d = ds[k] }
		else if (k == 8) { cf = "tests/verify_docs.conf"; d = "docs" }
		else { cf = "etc/dgenfs.conf"; d = pick("small large") }
		l = len_draw()
		print "dataset", cf, d, r(20000), base(), offset(), l, split_of(l), shift()
	}
}' >"$draws"

{
	echo "# SPDX-License-Identifier: MIT"
	echo "# sums.txt - sha256 of ranges of formats 1 and 2 as commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?') made them,"
	echo "# drawn by tests/make-sums.sh from seed $seed; checked by tests/sums.sh.  Never edit."
	while read -r kind rest; do
		set -- $rest
		if [ "$kind" = dataset ]; then
			"$helper" dataset "$top/$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" >"$draws.bytes"
		else
			"$helper" name "$@" >"$draws.bytes"
		fi
		echo "$(sha256sum <"$draws.bytes" | cut -c1-64) $kind $rest"
	done <"$draws"
	rm -f "$draws.bytes"
} >"$top/tests/sums.txt.new"
mv "$top/tests/sums.txt.new" "$top/tests/sums.txt"
echo "make-sums: seed $seed, $(grep -c '^[0-9a-f]' "$top/tests/sums.txt") sums in $top/tests/sums.txt"
