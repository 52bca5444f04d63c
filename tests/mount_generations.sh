#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_generations.sh - a dataset's generations (issue 21) through real
# dgenfs mounts: -o generations=0-3 shows gen0/ .. gen3/, each the tree a
# -o generation=N mount serves byte for byte; from one generation to the
# next the files that stay are byte-identical or changed (about the change
# rate of them), and exactly the predicted files are deleted and added
# (dgen info --generation's counts); a copy of generation 2 verifies
# against generation 2 and fails against 1; dgen write --generation 2
# writes that copy; -o shard splits a generation's files exactly once;
# /.dgenfs/stats and stats.json name the generations served (stats.json
# valid against its schema); bad options and the keys in an older format
# are refused.
. "${top_srcdir:-.}/tests/mount_lib.sh"

CONF=$WORK/dgenfs.conf
cat >"$CONF" <<'CONF'
[dataset t]
files = 200
fanout = 16
file_size_min = 4KiB
file_size_max = 256KiB
distribution = loguniform
dedup = 2
compress = 2
change_rate = 10%
file_add_rate = 0.05
file_delete_rate = 3%
CONF

ALL=$WORK/all
mount_dgenfs "$ALL" -c "$CONF" -o generations=0-3
[ "$(ls "$ALL/t" | tr '\n' ' ')" = "gen0 gen1 gen2 gen3 " ] ||
	fail "generations=0-3 lists $(ls "$ALL/t" | tr '\n' ' ')"
[ ! -e "$ALL/t/gen4" ] && [ ! -e "$ALL/t/gen01" ] || fail "a generation outside 0-3 looked up"
[ -f "$ALL/1M-d2-g3-r5%" ] || fail "a magic name with -g is not served beside generations"

# stats_generation MOUNT TEXT FIRST LAST DIRS: its stats say "generation
# TEXT", its stats.json {"first", "last", "directories"} and is valid
stats_generation() {
	grep -qx "generation $2" "$1/.dgenfs/stats" ||
		fail "$1/.dgenfs/stats: want 'generation $2', have '$(grep '^generation' "$1/.dgenfs/stats")'"
	cat "$1/.dgenfs/stats.json" >"$WORK/stats.json"
	/usr/bin/python3 -c 'import json, sys
g = json.load(open(sys.argv[1]))["generation"]
want = {"first": int(sys.argv[2]), "last": int(sys.argv[3]), "directories": sys.argv[4] == "true"}
sys.exit(0 if g == want else "generation %r, want %r" % (g, want))' \
		"$WORK/stats.json" "$3" "$4" "$5" || fail "$1/.dgenfs/stats.json"
	stats_valid "$WORK/stats.json"
}
stats_generation "$ALL" 0-3 0 3 true

names() { (cd "$1" && find . -type f | sort); }
g=0
while [ "$g" -le 3 ]; do
	one=$WORK/g$g
	mount_dgenfs "$one" -c "$CONF" -o generation=$g
	stats_generation "$one" $g $g $g false
	diff -r "$one/t" "$ALL/t/gen$g" >/dev/null || fail "gen$g/ differs from -o generation=$g"
	files=$("$DGEN" info --dataset t -c "$CONF" --generation $g --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["files"])')
	[ "$(names "$one/t" | wc -l)" -eq "$files" ] ||
		fail "generation $g: $(names "$one/t" | wc -l) files, dgen info says $files"
	unmount_dgenfs "$one"
	g=$((g + 1))
done

# from g - 1 to g: 200 files, 5 % added (10) and 3 % deleted (6) per
# generation exactly; the rest identical or changed, about 10 % of them
g=1
while [ "$g" -le 3 ]; do
	prev=$ALL/t/gen$((g - 1)) cur=$ALL/t/gen$g
	names "$prev" >"$WORK/prev"
	names "$cur" >"$WORK/cur"
	added=$(comm -13 "$WORK/prev" "$WORK/cur" | wc -l)
	deleted=$(comm -23 "$WORK/prev" "$WORK/cur" | wc -l)
	[ "$added" -eq 10 ] && [ "$deleted" -eq 6 ] ||
		fail "generation $g: $added added and $deleted deleted, want 10 and 6"
	changed=0
	for f in $(comm -12 "$WORK/prev" "$WORK/cur"); do
		cmp -s "$prev/$f" "$cur/$f" || changed=$((changed + 1))
	done
	# of 190 odd files 10 %: 19, a draw per file (copies go with their
	# originals): 8 to 40
	[ "$changed" -ge 8 ] && [ "$changed" -le 40 ] ||
		fail "generation $g: $changed files changed, want about 19"
	echo "ok: generation $g: $added added, $deleted deleted, $changed changed"
	g=$((g + 1))
done
# a deleted file stays deleted: gen3 holds no name gen1 lost
names "$ALL/t/gen0" >"$WORK/n0"
names "$ALL/t/gen1" >"$WORK/n1"
names "$ALL/t/gen3" >"$WORK/n3"
[ -z "$(comm -23 "$WORK/n0" "$WORK/n1" | comm -12 - "$WORK/n3")" ] ||
	fail "a file deleted in generation 1 came back in generation 3"

# a file's user.dgen.verify names its generation, and dgen verify FILE
# reads it back (the file on the mount itself, which has the attributes)
f=$(cd "$ALL/t/gen2" && find . -type f -name 'f2*' | head -n 1)
[ -n "$f" ] || fail "gen2 has no added file"
python3 -c 'import os, sys; v = os.getxattr(sys.argv[1], "user.dgen.verify").decode()
sys.exit(0 if v.endswith(" --generation 2") else "user.dgen.verify: " + v)' "$ALL/t/gen2/$f" ||
	fail "user.dgen.verify of gen2/$f does not name generation 2"
"$DGEN" verify "$ALL/t/gen2/$f" --quiet 2>/dev/null || fail "dgen verify gen2/$f (its xattrs) failed"

# a restored generation verifies against itself, not against the one before
cp -r "$ALL/t/gen2" "$WORK/restored"
"$DGEN" verify "$WORK/restored" --dataset t -c "$CONF" --generation 2 --quiet ||
	fail "a copy of generation 2 does not verify against generation 2"
status=0
"$DGEN" verify "$WORK/restored" --dataset t -c "$CONF" --generation 1 --quiet \
	>/dev/null 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "a copy of generation 2 against generation 1: status $status, want 1"
"$DGEN" write --dataset t -c "$CONF" --generation 2 "$WORK/written" >/dev/null ||
	fail "dgen write --generation 2 failed"
diff -r "$WORK/written" "$WORK/restored" >/dev/null || fail "dgen write --generation 2 differs from gen2/"
echo "ok: verify and write of generation 2"

# shards of a generation: every file of it in exactly one of two
for i in 0 1; do
	mount_dgenfs "$WORK/s$i" -c "$CONF" -o generation=3,shard=$i/2
	names "$WORK/s$i/t" >"$WORK/s$i.list"
done
sort "$WORK/s0.list" "$WORK/s1.list" | cmp -s - "$WORK/n3" ||
	fail "the two shards of generation 3 are not its files, each once"

# bad values
mkdir "$WORK/bad"
for opt in generation=x generation=-1 generations=3-1 generations=3 \
	   generations=0-5000 generations=a-b "generation=1,generations=0-1"; do
	status=0
	"$DGENFS" -f -c "$CONF" -o "$opt" "$WORK/bad" 2>"$WORK/err" || status=$?
	[ "$status" -eq 2 ] && grep -q generation "$WORK/err" ||
		fail "-o $opt: status $status, want 2 and a reason ($(cat "$WORK/err"))"
done
status=0
"$DGEN" info --dataset t -c "$CONF" --generation x >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "dgen info --generation x: status $status, want 2"
for key in "change_rate = 2%" "file_add_rate = 0.1" "file_delete_rate = 1%"; do
	printf '[dataset old]\nfiles = 4\nfile_size = 4KiB\nformat = 2\n%s\n' "$key" >"$WORK/old.conf"
	status=0
	"$DGEN" info --dataset old -c "$WORK/old.conf" >/dev/null 2>"$WORK/err" || status=$?
	[ "$status" -eq 2 ] && grep -q "needs format 3" "$WORK/err" ||
		fail "$key in format 2: status $status ($(cat "$WORK/err"))"
done
for value in 0 2 abc "5% x"; do
	printf '[dataset r]\nfiles = 4\nfile_size = 4KiB\nchange_rate = %s\n' "$value" >"$WORK/r.conf"
	status=0
	"$DGEN" info --dataset r -c "$WORK/r.conf" >/dev/null 2>&1 || status=$?
	[ "$status" -eq 2 ] || fail "change_rate = $value: status $status, want 2"
done
echo "ok: bad options and keys refused"
