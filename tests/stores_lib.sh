# SPDX-License-Identifier: MIT
# stores_lib.sh - the real tools, one number each, for tests that hold a
# prediction or a model (tests/storesim) to what a store really keeps.
# Sourced by tests; each helper takes a file or a tree and prints one
# number on stdout:
#   btrfs_stored OPTION PATH...  logical / disk bytes (compsize) after cp
#                                into a fresh loop-mounted btrfs mounted
#                                with -o OPTION (compress=zstd:1, ...) and
#                                sync (btrfs_stored_each: one line per PATH)
#   restic_dedup PATH            logical / stored raw data (repository
#                                format 1: no compression)
#   borg_dedup PATH              original / deduplicated size (no
#                                compression, no encryption: every such
#                                repository chunks with borg's seed 0)
#   borg_drawn_dedup PATH        the same in a repository that draws its
#                                own chunker seed (-e authenticated, as
#                                every encrypted one does)
#   stores_mean N CMD PATH...    the mean of N runs of CMD PATH... (restic
#                                and borg_drawn draw a chunker each run)
#   borg_avg_chunk PATH          average chunk of that archive, in bytes
#   casync_dedup PATH            logical / distinct chunk bytes of the index
#   casync_avg_chunk PATH        average chunk of that index, in bytes
# Each runs in a subshell with its own temporary directory under
# ${TMPDIR:-/tmp}, removed (and the filesystem unmounted) by a trap however
# the helper ends.  A helper whose tool is missing, or that cannot loop-
# mount btrfs, says why on stderr and returns 77; stores_need makes the
# calling test skip (exit 77) up front.  Not the tests themselves.

# stores_need TOOL...: exit 77 (skip) unless every TOOL is installed
stores_need() {
	for tool; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "SKIP: $tool is not installed (.ci/install-deps installs it)"
			exit 77
		}
	done
}

# stores_missing TOOL...: 0 if one is missing (said on stderr)
stores_missing() {
	for tool; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "stores_lib: $tool is not installed" >&2
			return 0
		}
	done
	return 1
}

# stores_ratio A B: A / B to four decimals
stores_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f\n", a / b; else print "inf" }'
}

# stores_mean N CMD ARG...: the mean of N runs of CMD ARG..., each
# printing one number, to four decimals; fails (its status) if one does
stores_mean() {
	runs=$1
	shift
	sum=0
	i=0
	while [ "$i" -lt "$runs" ]; do
		one=$("$@") || return $?
		sum=$(awk -v a="$sum" -v b="$one" 'BEGIN { print a + b }')
		i=$((i + 1))
	done
	awk -v a="$sum" -v n="$runs" 'BEGIN { printf "%.4f\n", a / n }'
}

# stores_bytes PATH...: apparent bytes of the files and trees
stores_bytes() {
	du -scb --apparent-size "$@" | awk 'END { print $1 }'
}

# btrfs_copy OPTION CMD PATH...: a fresh loop-mounted btrfs (-o OPTION),
# PATH... copied in and synced, then CMD run with the mount point as $1
# and the copies' names after it
btrfs_copy() (
	opt=$1 cmd=$2
	shift 2
	stores_missing mkfs.btrfs compsize losetup && exit 77
	[ "$(id -u)" = 0 ] || { echo "stores_lib: btrfs needs root" >&2; exit 77; }
	if ! grep -qw btrfs /proc/filesystems && ! modprobe btrfs 2>/dev/null; then
		echo "stores_lib: this kernel has no btrfs" >&2
		exit 77
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/stores.XXXXXX") || exit 1
	# unmount before removing anything (lazily if busy): rm -rf must never
	# descend into a mounted filesystem
	trap 'if mountpoint -q "$dir/mnt"; then umount "$dir/mnt" || umount -l "$dir/mnt"; fi
	      mountpoint -q "$dir/mnt" || rm -rf "$dir"' EXIT
	trap 'exit 1' HUP INT TERM
	bytes=$(stores_bytes "$@")
	# room for the data uncompressed, and btrfs's own metadata
	truncate -s $((bytes + bytes / 2 + (512 << 20))) "$dir/img" || exit 1
	mkfs.btrfs -q "$dir/img" >/dev/null || exit 1
	mkdir "$dir/mnt"
	mount -o "loop,$opt" "$dir/img" "$dir/mnt" 2>/dev/null || {
		echo "stores_lib: cannot loop-mount btrfs with -o $opt here" >&2
		exit 77
	}
	cp -r "$@" "$dir/mnt/" || exit 1
	sync -f "$dir/mnt" || exit 1
	mnt=$dir/mnt
	for p; do
		set -- "$@" "$(basename "$p")"
		shift
	done
	"$cmd" "$mnt" "$@"
)

# compsize_ratio PATH...: logical / disk bytes of PATH... (compsize TOTAL)
compsize_ratio() {
	compsize -b "$@" | awk '$1 == "TOTAL" { printf "%.4f\n", $4 / $3 }'
}

stores_stored_all() {
	mnt=$1
	shift
	(cd "$mnt" && compsize_ratio "$@")
}

stores_stored_each() {
	mnt=$1
	shift
	for name; do
		printf '%s %s\n' "$name" "$(cd "$mnt" && compsize_ratio "$name")"
	done
}

btrfs_stored() {
	opt=$1
	shift
	btrfs_copy "$opt" stores_stored_all "$@"
}

# btrfs_stored_each OPTION PATH...: "NAME RATIO" per PATH, all copied into
# one mount (each file is compressed on its own: per inode, per extent)
btrfs_stored_each() {
	opt=$1
	shift
	btrfs_copy "$opt" stores_stored_each "$@"
}

restic_dedup() (
	stores_missing restic python3 && exit 77
	dir=$(mktemp -d "${TMPDIR:-/tmp}/stores.XXXXXX") || exit 1
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 1' HUP INT TERM
	export RESTIC_PASSWORD=dgenfs-test RESTIC_CACHE_DIR="$dir/cache"
	restic init -q --repository-version 1 -r "$dir/repo" >/dev/null || exit 1
	restic backup -q -r "$dir/repo" "$@" >/dev/null || exit 1
	stored=$(restic stats -q -r "$dir/repo" --mode raw-data --json |
		 python3 -c 'import json,sys; print(json.load(sys.stdin)["total_size"])') || exit 1
	stores_ratio "$(stores_bytes "$@")" "$stored"
)

# borg_info PATH: `borg info --json` of an archive of PATH in a fresh
# repository (no compression; encryption $borg_encryption, none unless
# set: authenticated draws a chunker seed, with an empty passphrase)
borg_info() (
	stores_missing borg python3 && exit 77
	dir=$(mktemp -d "${TMPDIR:-/tmp}/stores.XXXXXX") || exit 1
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 1' HUP INT TERM
	export BORG_BASE_DIR="$dir/home" BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
	export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_PASSPHRASE=
	borg init --encryption "${borg_encryption:-none}" "$dir/repo" >"$dir/init" 2>&1 ||
		{ cat "$dir/init" >&2; exit 1; }
	borg create --compression none "$dir/repo::a" "$@" || exit 1
	borg info --json "$dir/repo::a"
)

borg_dedup() (
	out=$(borg_info "$@") || exit $?
	printf '%s' "$out" | python3 -c '
import json, sys
a = json.load(sys.stdin)["archives"][0]["stats"]
print("%.4f" % (a["original_size"] / a["deduplicated_size"]))'
)

borg_drawn_dedup() (
	borg_encryption=authenticated
	borg_dedup "$@"
)

# borg_avg_chunk PATH: the average chunk borg cut, in bytes (the one
# archive's bytes over its chunks, from the repository's cache stats)
borg_avg_chunk() (
	out=$(borg_info "$@") || exit $?
	printf '%s' "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)["cache"]["stats"]
print("%.4f" % (s["total_size"] / s["total_chunks"]))'
)

# casync_index PATH: prints "logical distinct_bytes chunks" of the index
# casync makes of PATH (a .caibx for a file, a .caidx for a tree): the
# index is a 48-byte header, a 16-byte table header, then one 40-byte item
# per chunk (its end offset, its 32-byte id) up to a zero offset.
casync_index() (
	stores_missing casync python3 && exit 77
	dir=$(mktemp -d "${TMPDIR:-/tmp}/stores.XXXXXX") || exit 1
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 1' HUP INT TERM
	if [ -d "$1" ]; then index=$dir/a.caidx; else index=$dir/a.caibx; fi
	casync make --store="$dir/store" "$index" "$1" >/dev/null || exit 1
	python3 - "$index" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, prev, seen, distinct, n = 64, 0, set(), 0, 0
while off + 40 <= len(d):
    end, = struct.unpack_from("<Q", d, off)
    if end == 0:
        break
    cid = d[off + 8:off + 40]
    if cid not in seen:
        seen.add(cid)
        distinct += end - prev
    prev, n, off = end, n + 1, off + 40
print(prev, distinct, n)
PY
)

casync_dedup() (
	out=$(casync_index "$1") || exit $?
	set -- $out
	[ $# = 3 ] || exit 1
	stores_ratio "$1" "$2"
)

casync_avg_chunk() (
	out=$(casync_index "$1") || exit $?
	set -- $out
	[ $# = 3 ] || exit 1
	stores_ratio "$1" "$3"
)
