#!/bin/sh
# SPDX-License-Identifier: MIT
# tools_btrfs.sh - content format 2 as a compressing filesystem stores it:
# files copied from a real mount into a loop-mounted btrfs with
# compress-force=zstd:1 (each 128 KiB extent compressed whole and stored in
# 4 KiB sectors), then measured with compsize: the stored ratio must be the
# name's within 3 %.  Format 3 and the other options: tools_format3.sh.  Format 1 is shown for contrast (8.0 for c10).  Needs
# root; skips with a message where the kernel has no btrfs.  Slow: run
# once, not under the sanitizers (Makefile.am, SLOW_TESTS).
. "${top_srcdir:-.}/tests/mount_lib.sh"

for tool in mkfs.btrfs compsize losetup; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (.ci/install-deps installs it)"
done
if ! grep -qw btrfs /proc/filesystems && ! modprobe btrfs 2>/dev/null; then
	echo "SKIP: this kernel has no btrfs"
	exit 77
fi
MNT=$WORK/mnt
FS=$WORK/btrfs
mount_dgenfs "$MNT"
truncate -s 2G "$WORK/btrfs.img"
mkfs.btrfs -q "$WORK/btrfs.img" >/dev/null
mkdir -p "$FS"
mount -o loop,compress-force=zstd:1 "$WORK/btrfs.img" "$FS" ||
	{ echo "SKIP: cannot loop-mount btrfs here"; exit 77; }
MOUNTS="$FS $MOUNTS"

# stored_ratio FILE: uncompressed / disk bytes, from compsize
stored_ratio() {
	compsize -b "$1" | awk '$1 == "TOTAL" { printf "%.4f", $4 / $3 }'
}

for spec in "128MiB-c1.5-f2 1.5" "128MiB-c2-d2-f2 2" "128MiB-c3.3-s4-f2 3.3" "128MiB-c5-f2 5" \
	    "128MiB-c7.5-u4K-f2 7.5" "128MiB-c10-f2 10" "128MiB-c12@zstd-f2 12"; do
	set -- $spec
	cp "$MNT/$1" "$FS/$1"
	sync
	got=$(stored_ratio "$FS/$1")
	awk -v g="$got" -v w="$2" 'BEGIN { d = g / w - 1; exit !(d <= 0.03 && -d <= 0.03) }' ||
		fail "btrfs stores $1 at $got, want $2 ±3%"
	echo "ok: btrfs compress-force=zstd:1 stores $1 at $got (asked $2)"
	rm "$FS/$1"
done
cp "$MNT/128MiB-c10-f1" "$FS/f1"
sync
echo "format 1, for contrast: 128MiB-c10-f1 stored at $(stored_ratio "$FS/f1")"
umount "$FS"
exit 0
