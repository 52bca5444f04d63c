#!/bin/sh
# SPDX-License-Identifier: MIT
# stores_selftest.sh - tests/storesim's store models held to the real
# thing, on corpora built on this machine: /usr/bin binaries and
# /usr/include headers concatenated (32 MiB each), 16 MiB of /dev/urandom,
# 16 MiB of zeros and 32 MiB of dgen's default content (c3):
#   1. codecs: storesim's per-unit lz4, zstd -1/-3, zlib -1/-6, lzo1x-1
#      and ZFS lz4/zstd/gzip records against the same codecs called from
#      Python (tests/stores_codecs.py), on slices, within 0.5 % (the same
#      libraries: any difference is a bug in storesim's framing or rules),
#      plus a crafted corpus on which ZFS's zstd early abort decides;
#   2. btrfs: storesim's model against the real btrfs (loop mount, cp,
#      sync, compsize) for compress=zstd:1 and compress=lzo (heuristic and
#      NOCOMPRESS; within 5 %, except where the inode is flagged
#      NOCOMPRESS: the kernel compresses chunks on several workers, so
#      where the flag takes effect moves with the load (bin with lzo:
#      1.033 to 1.112 measured against the model's in-order 1.042), and
#      the real figure must lie from 0.95 x the model's to the model's
#      compress-force figure) and
#      compress-force=zstd:1, lzo and zlib:6 (within 1 %); and two
#      crafted extents on which the kernel's radix-sort quirk decides the
#      heuristic's verdict (the model must follow the kernel, not a
#      textbook sort);
#   3. the backup helpers of stores_lib.sh on a tree of two copies of a
#      random file: restic and borg see 2 within 2 %, casync at least 1.5
#      (it cuts the archive stream, and how soon its chunks line up again
#      after the second copy starts varies: 1.89-2.00 measured),
#      its average chunk between its 16 KiB minimum and 256 KiB maximum.
# A part whose tools are missing (or btrfs without root or loop devices)
# says SKIP; the test skips (77) when no part could run.  Prints the table
# docs/STORES.md quotes.
. "${top_srcdir:-.}/tests/cli_lib.sh"
. "${top_srcdir:-.}/tests/stores_lib.sh"

STORESIM=${top_builddir:-.}/tests/storesim
[ -x "$STORESIM" ] || fail "no $STORESIM (make check builds it)"
ran=0

# ---- corpora ----
c=$work/corpus
mkdir -p "$c" || fail "mkdir"
find /usr/bin -maxdepth 1 -type f -size +0 | LC_ALL=C sort | xargs cat 2>/dev/null |
	head -c 32M >"$c/bin"
find /usr/include -type f -name '*.h' | LC_ALL=C sort | xargs cat 2>/dev/null |
	head -c 32M >"$c/text"
head -c 16M /dev/urandom >"$c/rand" || fail "urandom"
head -c 16M /dev/zero >"$c/zero" || fail "zeros"
"$DGEN" cat 32MiB-c3-s11 >"$c/dgen-c3" || fail "dgen cat"
for f in bin text; do
	[ "$(stores_bytes "$c/$f")" -ge $((8 << 20)) ] || fail "corpus $f: under 8 MiB on this machine"
done

# the btrfs models (part 2) computed meanwhile, on the other core
opts="compress=zstd:1 compress=lzo compress-force=zstd:1 compress-force=lzo compress-force=zlib:6"
set --
for o in $opts; do set -- "$@" --btrfs "$o"; done
for f in bin text rand zero dgen-c3; do
	"$STORESIM" --only btrfs "$@" "$c/$f" >"$work/model.$f" || exit 1
done &
models=$!

# field NAME JSONLINE: a number from one of storesim's lines
field() {
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"
}

# ---- 1. codecs against Python's bindings ----
py=
for p in /usr/bin/python3 python3; do
	"$p" -c 'import ctypes, zstandard, lzo; ctypes.CDLL("liblz4.so.1")' 2>/dev/null &&
		{ py=$p; break; }
done
if [ -n "$py" ]; then
	# near: 8 records of 128 KiB on which OpenZFS's zstd early abort
	# decides: lz4 and zstd-1 miss the 12.5 % line (by 0.6-1.1 %), zstd-3
	# alone would clear it (by 2.5-2.9 %), so zstd-3 stores them raw.
	# Bytes of 136 values, 3 % of the steps a 5-7 byte copy from earlier
	# in the same record.
	"$py" - "$c/near" <<'PY' || fail "near corpus"
import random, sys
rnd, out = random.Random(20), bytearray()
for k in range(8):
    rec = bytearray()
    while len(rec) < 131072:
        if rec and rnd.random() < 0.03:
            o = rnd.randrange(len(rec))
            rec += rec[o:o + rnd.randrange(5, 8)]
        else:
            rec.append(rnd.randrange(136))
    out += rec[:131072]
open(sys.argv[1], "wb").write(out)
PY
	for f in bin text rand zero dgen-c3 near; do
		case $f in rand|zero) n=2M ;; near) n=1M ;; *) n=4M ;; esac
		head -c $n "$c/$f" >"$work/slice"
		"$STORESIM" --only units,zfs "$work/slice" >"$work/sim.json" || fail "storesim $f"
		"$py" "${top_srcdir:-.}/tests/stores_codecs.py" "$work/slice" "$work/sim.json" 0.5 \
			>"$work/codecs.txt" || { cat "$work/codecs.txt"; fail "codecs on $f"; }
		echo "ok: codecs on $n of $f: $(grep -c '^ok' "$work/codecs.txt") figures agree"
	done
	# near must hit the early abort, or the check above proves nothing
	u3=$(field compress "$(grep '"store":"zstd","level":3,"unit":131072' "$work/sim.json")")
	z3=$(grep '"store":"zfs-zstd","level":3,"recordsize":131072' "$work/sim.json")
	awk -v u="$u3" 'BEGIN { exit !(u >= 1.15) }' && [ "$(field compressed "$z3")" = 0 ] ||
		fail "near: zstd-3 per 128 KiB $u3 (want >= 1.15), ZFS zstd-3 records $z3 (want none compressed)"
	echo "ok: near: zstd-3 alone $u3 per 128 KiB, ZFS zstd-3 stores all 8 records raw (early abort)"
	ran=1
else
	echo "SKIP codecs: no python3 with zstandard and lzo, or no liblz4 (.ci/install-deps)"
fi

# ---- 2. btrfs: the model against the real thing ----
wait $models || fail "storesim --only btrfs (the models)"
echo "| corpus | option | real btrfs | storesim | extents compressed / chunks cut by the heuristic |"
echo "|---|---|---|---|---|"
for o in $opts; do
	btrfs_stored_each "$o" "$c/bin" "$c/text" "$c/rand" "$c/zero" "$c/dgen-c3" >"$work/real"
	rc=$?
	[ $rc = 77 ] && { echo "SKIP btrfs: see above"; break; }
	[ $rc = 0 ] || fail "btrfs_stored_each $o: exit $rc"
	case $o in compress=*) tol=5 ;; *) tol=1 ;; esac
	while read -r f real; do
		line=$(grep -F "\"option\":\"$o\"" "$work/model.$f")
		model=$(field compress "$line")
		echo "| $f | $o | $real | $model | $(field compressed "$line") / $(field heuristic_no "$line") |"
		case $o,$line in
		compress=*\"nocompress\":true*)
			# where NOCOMPRESS lands races with the workers: the
			# kernel compresses from about the model's in-order
			# figure up to what compress-force would keep
			forced=$(field compress "$(grep -F "\"option\":\"compress-force=${o#compress=}\"" "$work/model.$f")")
			awk -v r="$real" -v m="$model" -v f="$forced" \
			    'BEGIN { exit !(r >= m * 0.95 && r <= f * 1.01) }' ||
				fail "btrfs $o on $f: real $real is not from 0.95 x the model's $model to the forced $forced"
			;;
		*) within "$model" "$real" $tol "btrfs $o on $f: storesim" ;;
		esac
	done <"$work/real"
	ran=1
done

# ---- 2b. the heuristic's radix sort, quirk included ----
# Two files of one 128 KiB extent, zeros except the 8 KiB btrfs samples
# (16 bytes at every 256): 29 byte values 256 times each and 180 values a
# few times each, or the same with 255 instead of 256.  With a largest
# count of 256 the kernel's sort looks at the low 8 bits only, so the 256s
# sort with the zeros, the core set reaches 200 and btrfs stores the file
# raw; with 255 it sorts right, the core set is 64, and the extent
# compresses.  A textbook sort would compress both.
"${py:-python3}" - "$work/quirk256" "$work/quirk255" <<'PY' || fail "quirk files"
import random, sys
for path, top in zip(sys.argv[1:], (256, 255)):
    rest = 8192 - 29 * top
    counts = [top] * 29 + [rest // 180 + (i < rest % 180) for i in range(180)]
    sample = [b for b, c in enumerate(counts) for _ in range(c)]
    random.Random(7).shuffle(sample)
    data = bytearray(131072)
    for k in range(512):
        o = k // 16 * 4096 + k % 16 * 256
        data[o:o + 16] = bytes(sample[16 * k:16 * k + 16])
    open(path, "wb").write(data)
PY
real=$(btrfs_stored_each compress=zstd:1 "$work/quirk256" "$work/quirk255")
rc=$?
if [ $rc = 77 ]; then
	echo "SKIP heuristic quirk: see above"
else
	[ $rc = 0 ] || fail "btrfs_stored_each (quirk): exit $rc"
	for q in 256 255; do
		got=$(printf '%s\n' "$real" | awk -v f="quirk$q" '$1 == f { print $2 }')
		model=$(field compress "$("$STORESIM" --only btrfs --btrfs compress=zstd:1 "$work/quirk$q" | tail -n 1)")
		echo "heuristic quirk, top count $q: real btrfs $got, storesim $model"
		within "$model" "$got" 1 "quirk$q: storesim"
	done
	printf '%s\n' "$real" | awk '$1 == "quirk256" && $2 == 1 { a = 1 } $1 == "quirk255" && $2 > 4 { b = 1 } END { exit !(a && b) }' ||
		fail "the kernel no longer shows the radix-sort quirk: $real"
	ran=1
fi

# ---- 3. the backup helpers ----
mkdir -p "$work/tree" || fail "mkdir"
head -c 8M /dev/urandom >"$work/tree/a" || fail "urandom"
cp "$work/tree/a" "$work/tree/b"
for tool in restic borg; do
	got=$(${tool}_dedup "$work/tree" 2>"$work/err")
	rc=$?
	[ $rc = 77 ] && { echo "SKIP $tool: $(cat "$work/err")"; continue; }
	[ $rc = 0 ] || { cat "$work/err"; fail "${tool}_dedup: exit $rc"; }
	within "$got" 2 2 "${tool}_dedup of two copies"
	echo "ok: ${tool}_dedup of two copies: $got"
	ran=1
done
got=$(casync_dedup "$work/tree" 2>"$work/err")
rc=$?
if [ $rc = 77 ]; then
	echo "SKIP casync: $(cat "$work/err")"
else
	[ $rc = 0 ] || { cat "$work/err"; fail "casync_dedup: exit $rc"; }
	avg=$(casync_avg_chunk "$work/tree") || fail "casync_avg_chunk"
	awk -v d="$got" -v a="$avg" 'BEGIN { exit !(d >= 1.5 && a >= 16384 && a <= 262144) }' ||
		fail "casync: dedup $got, average chunk $avg bytes"
	echo "ok: casync_dedup of two copies: $got, average chunk $avg bytes"
	ran=1
fi
[ $ran = 1 ] || exit 77
exit 0
