#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_profile.sh - profiles through a real dgenfs mount (docs/PROFILES.md,
# "Content from a profile"): a magic name's -p@NAME found in
# -o profile_dir=DIR (given relative: the daemon makes it absolute) and a
# dataset's profile = serve dgen cat's bytes; a profile_dir that is no
# directory stops the daemon with exit status 2.  The fixture
# tests/profile_v2.profile is well-formed, hand-made: no ratio is claimed.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
mkdir -p "$WORK/profiles"
cp "$top_srcdir/tests/profile_v2.profile" "$WORK/profiles/web.profile"
cat >"$WORK/ds.conf" <<CONF
[dataset prof]
files = 3
file_size = 300K
compress = 2@zstd
profile = @web
CONF

# relative to where dgenfs starts, absolute once mounted
here=$(pwd)
cd "$WORK"
mount_dgenfs "$MNT" -c "$WORK/ds.conf" -o profile_dir=profiles
cd "$here"
for name in 3M-c2-p@web 1000003-c3@zstd-p@web.bin; do
	cat "$MNT/$name" >"$WORK/copy"
	DGEN_PROFILE_DIR=$WORK/profiles "$DGEN" cat "$name" | cmp - "$WORK/copy" ||
		fail "$name through the mount differs from dgen cat"
done
[ ! -e "$MNT/1M-c2-p@nosuch" ] || fail "a profile that is not there: the name exists"
DGEN_PROFILE_DIR=$WORK/profiles "$DGEN" verify "$MNT/prof" --dataset prof -c "$WORK/ds.conf" \
	>"$WORK/verify" 2>&1 || fail "verify the dataset: $(cat "$WORK/verify")"
grep -q '3 ok, 0 bad' "$WORK/verify" || fail "verify the dataset: $(cat "$WORK/verify")"
# the profile's bytes: its table has 64 values, uniform bytes 256
values=$(head -c 65536 "$MNT/prof/f0.bin" | od -An -v -tu1 | tr -s ' ' '\n' | grep . | sort -u | wc -l)
[ "$values" -le 64 ] || fail "the dataset's bytes take $values values: not the profile's"
unmount_dgenfs "$MNT"

if "$DGENFS" -c none -o profile_dir="$WORK/ds.conf" "$MNT" 2>"$WORK/err"; then
	fail "-o profile_dir=FILE mounted"
fi
grep -q 'profile_dir=.*: not a directory' "$WORK/err" || fail "profile_dir=FILE: $(cat "$WORK/err")"
exit 0
