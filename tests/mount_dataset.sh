#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_dataset.sh - a dataset of 10,000+ files through a real dgenfs mount:
# listed and copied with cp, rsync and tar, each copy verified against the
# library by dgen verify; the tree (names, sizes, inode numbers, mtimes) is
# the same on every mount; statfs reports the configured total; a config
# error stops start-up with file:line.  The default mount (cache=auto) reads
# these small files through the page cache, the second (cache=never) with
# direct_io: both give the library's bytes.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
OUT=$WORK/out
CONF=$WORK/dgenfs.conf
mkdir -p "$OUT"
cat >"$CONF" <<'CONF'
; tiny files, many of them: listing and copying is the point
[dataset many]
files = 10007
fanout = 40
file_size_min = 1KiB
file_size_max = 12KiB
distribution = uniform
dedup = 2
compress = 2
unit = 4KiB

[dataset few]
files = 3
file_size = 5MiB
compress = 3@zstd
unit = 64KiB
CONF

mount_dgenfs "$MNT" -c "$CONF" -o threads=2,seed=11

[ "$(ls "$MNT")" = "$(printf 'few\nmany')" ] || fail "root lists: $(ls "$MNT")"
files=$(find "$MNT/many" -type f | wc -l)
[ "$files" = 10007 ] || fail "find lists $files files in many, expected 10007"
[ "$(stat -c '%a' "$MNT/many")" = 555 ] || fail "dataset directory is not 0555"
[ -z "$(find "$MNT/many" -type f ! -perm 444)" ] || fail "a dataset file is not 0444"

# Copies by three tools, each checked against the library.
cp -a "$MNT/many" "$OUT/cp"
"$DGEN" verify "$OUT/cp" --dataset many -c "$CONF" --seed 11 --quiet ||
	fail "cp -a copy of the dataset differs"
rsync -a "$MNT/many/" "$OUT/rsync/"
"$DGEN" verify "$OUT/rsync" --dataset many -c "$CONF" --seed 11 --quiet ||
	fail "rsync copy of the dataset differs"
tar -C "$MNT" -cf - few | tar -C "$OUT" -xf -
"$DGEN" verify "$OUT/few" --dataset few -c "$CONF" --seed 11 --quiet ||
	fail "tar copy of the dataset differs"
# And the mount itself, read in place.
"$DGEN" verify "$MNT/few" --dataset few -c "$CONF" --seed 11 --quiet ||
	fail "the mounted dataset differs from the library"
# rsync's quick check finds nothing to do: sizes and mtimes are kept.
[ -z "$(rsync -ai "$MNT/many/" "$OUT/rsync/")" ] || fail "a second rsync copies again"

# xattrs of dataset files: unique bytes are what each file adds to the
# dataset's (size / its dedup; all of it at dedup 1, none for a copy of
# another file), and the spec carries the mount's seed.
dx() { getfattr --absolute-names --only-values -n "user.dgen.$1" "$2" 2>/dev/null; }
for f in "$MNT"/few/f*.bin; do
	[ "$(dx unique_bytes "$f")" = 5242880 ] ||
		fail "$f: user.dgen.unique_bytes $(dx unique_bytes "$f"), want 5242880"
done
for f in $(find "$MNT/many" -type f | head -n 20); do
	size=$(stat -c %s "$f")
	if dx copy_of "$f" >/dev/null; then
		[ "$(dx unique_bytes "$f")" = 0 ] ||
			fail "$f copies $(dx copy_of "$f") but adds $(dx unique_bytes "$f") unique bytes"
		continue
	fi
	awk -v u="$(dx unique_bytes "$f")" -v s="$size" -v d="$(dx dedup "$f")" \
	    'BEGIN { e = s / d; exit !(u > 0 && u - e < 1.000001 && e - u < 1.000001) }' ||
		fail "$f: unique_bytes $(dx unique_bytes "$f") is not size $size / dedup $(dx dedup "$f")"
done
spec11=$(dx spec "$MNT/few/f0.bin")
case $spec11 in
*" seed=11 dataset=few node="*) ;;
*) fail "dataset file spec '$spec11' lacks the mount's seed=11" ;;
esac

# statfs: the configured total in 1 MiB blocks.
total=$(find "$OUT/cp" "$OUT/few" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
blocks=$(stat -f -c %b "$MNT")
[ "$blocks" = $(( (total + 1048575) / 1048576 )) ] ||
	fail "statfs: $blocks blocks of 1 MiB for $total bytes"

# The same tree on a second mount: names, sizes, inode numbers, mtimes.
find "$MNT" -path "$MNT/.dgenfs" -prune -o -printf '%P %i %s %T@ %y\n' | sort >"$WORK/tree1"
unmount_dgenfs "$MNT"
mount_dgenfs "$MNT" -c "$CONF" -o cache=never
find "$MNT" -path "$MNT/.dgenfs" -prune -o -printf '%P %i %s %T@ %y\n' | sort >"$WORK/tree2"
cmp "$WORK/tree1" "$WORK/tree2" || fail "the tree differs between two mounts"
# other bytes with the default seed 0: another spec
spec0=$(dx spec "$MNT/few/f0.bin")
[ "$spec0" != "$spec11" ] || fail "user.dgen.spec is '$spec0' with seed=11 and with seed 0"
# Read with direct_io: tar in 10 KiB records, and in place.
tar -C "$MNT" -cf - many | tar -C "$OUT" -xf - --one-top-level=direct
"$DGEN" verify "$OUT/direct/many" --dataset many -c "$CONF" --quiet ||
	fail "tar copy of the dataset with cache=never differs"
"$DGEN" verify "$MNT/few" --dataset few -c "$CONF" --quiet ||
	fail "the dataset mounted with cache=never differs from the library"
unmount_dgenfs "$MNT"

# A bad config: no mount, file:line and the reason (in the background, so
# a dgenfs that wrongly starts returns all the same).
printf '[dataset bad]\nfiles = many\n' >"$WORK/bad.conf"
if "$DGENFS" -c "$WORK/bad.conf" "$MNT" 2>"$WORK/err"; then
	fail "dgenfs started with a bad config"
fi
grep -q "bad.conf:2" "$WORK/err" || fail "config error without file:line: $(cat "$WORK/err")"
mountpoint -q "$MNT" && fail "mounted with a bad config"
echo "PASS"
