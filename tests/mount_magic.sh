#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_magic.sh - magic names through a real dgenfs mount: what cp, cat,
# dd (1 MiB and odd block sizes), rsync, tar and a random-offset reader get
# equals libdgen's bytes, with the default and a custom seed, in every
# cache mode: auto (the default: files up to 64 MiB in the page cache,
# larger ones direct_io), never (all direct_io) and always (-o cache); bad
# names are ENOENT; -o null_data serves its static bytes even after a
# directory listing.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
OUT=$WORK/out
mkdir -p "$OUT"
NAME=37MiB-d2-c3-u64KiB		# not a multiple of 1 MiB: a short last read
ODD=1000003-c1.5@zstd		# not a multiple of a page

# read_all TAG: every reader on the mount at $MNT, copies under $OUT/TAG-*.
read_all() {
	# cp, cat, dd with 1 MiB and with odd block sizes.
	cp "$MNT/$NAME" "$OUT/$1-cp"
	same_bytes "$OUT/$1-cp" "$NAME"
	cat "$MNT/$ODD" >"$OUT/$1-cat"
	same_bytes "$OUT/$1-cat" "$ODD"
	dd if="$MNT/$NAME" of="$OUT/$1-dd1m" bs=1M status=none
	same_bytes "$OUT/$1-dd1m" "$NAME"
	dd if="$MNT/$NAME" of="$OUT/$1-dd12345" bs=12345 status=none
	same_bytes "$OUT/$1-dd12345" "$NAME"
	dd if="$MNT/$ODD" of="$OUT/$1-ddodd" bs=12345 status=none
	same_bytes "$OUT/$1-ddodd" "$ODD"

	# rsync and tar, several files at once.
	rsync -a "$MNT/$NAME" "$MNT/$ODD" "$MNT/4096-s7" "$OUT/$1-rsync/"
	same_bytes "$OUT/$1-rsync/$NAME" "$NAME"
	same_bytes "$OUT/$1-rsync/$ODD" "$ODD"
	same_bytes "$OUT/$1-rsync/4096-s7" 4096-s7
	tar -C "$MNT" -cf - "$NAME" "$ODD" 0 | tar -C "$OUT" -xf - --one-top-level="$1-tar"
	same_bytes "$OUT/$1-tar/$NAME" "$NAME"
	same_bytes "$OUT/$1-tar/$ODD" "$ODD"
	[ -f "$OUT/$1-tar/0" ] && [ ! -s "$OUT/$1-tar/0" ] || fail "empty magic file not empty"

	# Random offsets and lengths, across unit boundaries and EOF.
	"$PREAD_CHECK" random "$MNT/$NAME" "$NAME" 0 400
	"$PREAD_CHECK" random "$MNT/$ODD" "$ODD" 0 200
	"$PREAD_CHECK" random "$MNT/3GiB-d3-c2-u4KiB" 3GiB-d3-c2-u4KiB 0 200
	# Small sequential reads of a file above the auto limit (direct_io).
	dd if="$MNT/65MiB-c2" of="$OUT/$1-dd4k" bs=4K status=none
	same_bytes "$OUT/$1-dd4k" 65MiB-c2
}

mount_dgenfs "$MNT" -o threads=2,cache=never
read_all never
unmount_dgenfs "$MNT"
mount_dgenfs "$MNT" -o threads=2
read_all auto

# Metadata: size, mode, block size.
[ "$(stat -c '%s %a %F %o' "$MNT/$NAME")" = "38797312 444 regular file 1048576" ] ||
	fail "stat: $(stat -c '%s %a %F %o' "$MNT/$NAME")"
[ "$(stat -c '%a %F' "$MNT")" = "555 directory" ] || fail "root is not 0555"

# Names that do not parse: ENOENT, never listed.
for bad in nosuchfile 12XB 1GiB-d0 1GiB-c99 -1 1GiB-u3KiB; do
	if err=$(stat "$MNT/$bad" 2>&1); then
		fail "bad name '$bad' resolved"
	fi
	case $err in
	*"No such file"*) ;;
	*) fail "bad name '$bad': $err" ;;
	esac
done
[ "$(ls "$MNT")" = "" ] || fail "magic names are listed: $(ls "$MNT")"
unmount_dgenfs "$MNT"

# A mount-wide seed changes the bytes exactly as dgen cat --seed does,
# and -o cache serves the same bytes through the page cache.
mount_dgenfs "$MNT" -o seed=42,cache
cat "$MNT/$NAME" >"$OUT/seeded"
same_bytes "$OUT/seeded" "$NAME" 42
"$DGEN" cat "$NAME" | cmp -s - "$OUT/seeded" && fail "seed=42 serves the seed 0 bytes"
# Concurrent random readers, one file each and two on the same file.
"$PREAD_CHECK" random "$MNT/$ODD" "$ODD" 42 200 & p1=$!
"$PREAD_CHECK" random "$MNT/$NAME" "$NAME" 42 200 & p2=$!
"$PREAD_CHECK" random "$MNT/$NAME" "$NAME" 42 200
wait "$p1" || fail "concurrent random reads of $ODD"
wait "$p2" || fail "concurrent random reads of $NAME"
unmount_dgenfs "$MNT"

# -o null_data: every read returns the same bytes, made once at start,
# whatever the name; also after a READDIR by the same (only) worker,
# which once put its records in that buffer.
mount_dgenfs "$MNT" -o null_data,threads=1,cache=never
dd if="$MNT/1MiB" of="$OUT/null-before" bs=1M status=none
ls -la "$MNT" "$MNT/.dgenfs" >/dev/null
dd if="$MNT/1MiB-d2-c3" of="$OUT/null-after" bs=1M status=none
cmp "$OUT/null-before" "$OUT/null-after" ||
	fail "-o null_data served other bytes after a directory listing"
unmount_dgenfs "$MNT"
echo "PASS"
