#!/bin/sh
# SPDX-License-Identifier: MIT
# scaleout_shared.sh - docs/SCALE-OUT.md's recipe for many clients copying
# into one shared target loses nothing: four real mounts of the four shards
# (-o shard=I/4) of a deep tree copy at the same time, with the recipe's
# command, into one directory; the union then verifies whole (dgen verify:
# every file, no bad, none missing) with the dataset's file count, and
# every directory stays writable for a client that comes later.  GNU
# `cp -a`, the recipe before, lost files here: it fails "File exists" on a
# directory another client made meanwhile and skips its subtree.
. "${top_srcdir:-.}/tests/mount_lib.sh"

# the command each client runs, as the recipe gives it (/mnt/gen is the
# client's mount, /pfs the shared target)
RECIPE='rsync -a --chmod=Du+w /mnt/gen/large/ /pfs/large/'
grep -qF "$RECIPE" "$top_srcdir/docs/SCALE-OUT.md" ||
	fail "docs/SCALE-OUT.md no longer gives '$RECIPE': test what it gives"
command -v rsync >/dev/null || fail "rsync is not installed (.ci/install-deps installs it)"

# many directories on several levels, so that clients meet in them
cat >"$WORK/conf" <<'CONF'
[dataset large]
files = 3000
fanout = 4
file_size_min = 1KiB
file_size_max = 16KiB
distribution = loguniform
CONF
for i in 0 1 2 3; do
	mount_dgenfs "$WORK/client$i" -c "$WORK/conf" -o "shard=$i/4"
done
mkdir "$WORK/pfs"
clients=""
for i in 0 1 2 3; do
	cmd=$(printf %s "$RECIPE" | sed "s|/mnt/gen|$WORK/client$i|; s|/pfs|$WORK/pfs|")
	sh -c "$cmd" 2>"$WORK/client$i.err" &
	clients="$clients $!"
done
i=0
for pid in $clients; do
	wait "$pid" || fail "client $i exited $?: $(cat "$WORK/client$i.err")"
	i=$((i + 1))
done

"$DGEN" verify "$WORK/pfs/large" --dataset large -c "$WORK/conf" >"$WORK/out" 2>&1 ||
	{ cat "$WORK/out" >&2; fail "the union of the four copies does not verify"; }
grep -q '^verify: 3000 ok, 0 bad;' "$WORK/out" || fail "not 3000 files: $(cat "$WORK/out")"
[ "$(find "$WORK/pfs/large" -type f | wc -l)" = 3000 ] || fail "the file count is not the dataset's"
[ -z "$(find "$WORK/pfs/large" -type d ! -perm -u+w)" ] ||
	fail "directories left read-only: a later client could not write into them"
exit 0
