#!/bin/sh
# SPDX-License-Identifier: MIT
# verify_infer.sh - dgen verify FILE without --as, on copies out of a real
# mount: a cp --preserve=xattr copy is checked against its user.dgen.verify
# xattr (a magic file with the mount's seed, and one dataset file alone),
# a corrupted one is still caught, a copy named as a dgen name is checked
# against its name, a renamed copy without xattrs fails clearly, and
# --as and --seed still win.  Each run says on stderr where its spec came
# from.
. "${top_srcdir:-.}/tests/mount_lib.sh"
OUTDIR=$WORK
. "${top_srcdir:-.}/tests/expect_lib.sh"

# run STATUS CMD...: CMD's stdout in $WORK/out, stderr in $WORK/err.
run() {
	want=$1
	shift
	rc=0
	"$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = "$want" ] || {
		cat "$WORK/out" "$WORK/err" >&2
		fail "'$*' exited $rc, expected $want"
	}
}

MNT=$WORK/mnt
CONF=$WORK/dgenfs.conf
cat >"$CONF" <<'CONF'
[dataset small]
files = 5
file_size = 300KiB
dedup = 2
compress = 2
CONF
# seed 9: a copy checked with seed 0 would fail, so the xattr's seed counts
mount_dgenfs "$MNT" -c "$CONF" -o seed=9

# The copies go where user xattrs are kept: $WORK (under /tmp) or a tmpfs.
COPIES=
for dir in "$WORK/copies" "/dev/shm/dgenfs-test.$$"; do
	mkdir -p "$dir"
	if touch "$dir/probe" && setfattr -n user.probe -v 1 "$dir/probe" 2>/dev/null; then
		COPIES=$dir
		break
	fi
	rm -rf "$dir"
done
[ -n "$COPIES" ] || skip "neither $WORK nor /dev/shm keeps user xattrs"
[ "$COPIES" = "$WORK/copies" ] || trap 'rm -rf "$COPIES"; cleanup' EXIT

# A magic file: the copy keeps user.dgen.verify, which carries the seed.
NAME=3MiB-d2-c3
cp --preserve=xattr "$MNT/$NAME" "$COPIES/kept.bin"
getfattr --absolute-names -n user.dgen.verify "$COPIES/kept.bin" >/dev/null 2>&1 ||
	fail "cp --preserve=xattr did not keep user.dgen.verify"
run 0 "$DGEN" verify "$COPIES/kept.bin"
expect_out "OK       $COPIES/kept.bin (3145728 bytes)"
expect_err "verify: spec from xattr user.dgen.verify: --as "
expect_err " --seed 9"
# JSON says what it was checked against; the note stays on stderr
run 0 "$DGEN" verify "$COPIES/kept.bin" --json
python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
sys.exit(not (doc["as"].startswith("3145728-d2-c3") and doc["spec_from"] == "xattr"))' \
	"$WORK/out" || fail "JSON names no spec, or not the xattr: $(cat "$WORK/out")"
expect_err "spec from xattr user.dgen.verify"
# --seed on the command line wins over the xattr's: seed 0 is other bytes
run 1 "$DGEN" verify "$COPIES/kept.bin" --seed 0
expect_err "(the seed of --seed instead)"
# --as wins over the xattr, silently
run 0 "$DGEN" verify "$COPIES/kept.bin" --as "$NAME" --seed 9
[ ! -s "$WORK/err" ] || fail "--as still notes a source: $(cat "$WORK/err")"

# A corrupted copy with its xattrs is still caught, at the byte changed.
cp --preserve=xattr "$COPIES/kept.bin" "$COPIES/bad.bin"
printf 'x' | dd of="$COPIES/bad.bin" bs=1 seek=1000000 conv=notrunc status=none
cmp -s "$COPIES/kept.bin" "$COPIES/bad.bin" &&
	{ printf 'y' | dd of="$COPIES/bad.bin" bs=1 seek=1000000 conv=notrunc status=none; }
run 1 "$DGEN" verify "$COPIES/bad.bin"
expect_out "BAD      $COPIES/bad.bin: first bad offset 1000000, 1 of 768 4 KiB units bad"
expect_err "spec from xattr user.dgen.verify"

# A copy without xattrs named as the file was: its name, with --seed.
cp "$MNT/$NAME" "$COPIES/$NAME"
run 0 "$DGEN" verify "$COPIES/$NAME" --seed 9
expect_err "verify: spec from the file name: $NAME, seed 9"
run 1 "$DGEN" verify "$COPIES/$NAME"
expect_err "verify: spec from the file name: $NAME, seed 0 (a copy of a mount with another seed needs --seed N)"

# A renamed copy without xattrs: nothing to go by, and the error names
# the three ways to say it.
cp "$MNT/$NAME" "$COPIES/renamed.bin"
run 2 "$DGEN" verify "$COPIES/renamed.bin"
[ ! -s "$WORK/out" ] || fail "a failed inference printed a report"
expect_err "renamed.bin: nothing says what it should hold"
expect_err "no user.dgen.verify xattr (none)"
expect_err "its name 'renamed.bin' is no dgen name"
expect_err "Give --as NAME"
expect_err "copy with the xattrs (cp --preserve=xattr"
expect_err "name the file as a dgen name"
run 2 "$DGEN" verify "$COPIES/nosuch"
expect_err "nosuch: No such file or directory"
# an xattr that is not verify's arguments is refused, not guessed around
cp --preserve=xattr "$COPIES/kept.bin" "$COPIES/$NAME"
setfattr -n user.dgen.verify -v "--as" "$COPIES/$NAME"
run 2 "$DGEN" verify "$COPIES/$NAME"
expect_err "xattr user.dgen.verify '--as' is not understood"

# A dataset file: its xattrs name the dataset, the config and the seed
# (user.dgen.verify) and its node (user.dgen.spec); checked alone.
f=$(find "$MNT/small" -type f | sort | sed -n 2p)
cp --preserve=xattr "$f" "$COPIES/one-file"
run 0 "$DGEN" verify "$COPIES/one-file"
expect_out "OK       $COPIES/one-file (307200 bytes)"
expect_err "verify: spec from xattr user.dgen.verify: dataset small (-c $(realpath "$CONF")), file ${f#"$MNT/small/"}"
expect_err "seed 9"
# another file of the dataset under its xattrs is caught
other=$(find "$MNT/small" -type f | sort | sed -n 3p)
cp "$other" "$COPIES/swapped"
for x in verify spec; do
	setfattr -n "user.dgen.$x" -v "$(getfattr --absolute-names --only-values -n "user.dgen.$x" "$COPIES/one-file")" \
		"$COPIES/swapped"
done
run 1 "$DGEN" verify "$COPIES/swapped"
expect_out "BAD      $COPIES/swapped: first bad offset 0"
# without the node, the dataset's whole-tree check is the way
setfattr -x user.dgen.spec "$COPIES/swapped"
run 2 "$DGEN" verify "$COPIES/swapped"
expect_err "user.dgen.spec is unreadable"
expect_err "dgen verify DIR --dataset NAME"
exit 0
