#!/bin/sh
# SPDX-License-Identifier: MIT
# vpath-build.sh SRCDIR DIR [CONFIGURE-ARGS...]: configure a copy of the
# source tree in DIR/build (a VPATH build of DIR/src), for the sanitizer
# suite (make check-sanitize) and the fuzzers (tests/fuzz/run.sh).
#
# A tree configured in place cannot host a VPATH build (configure refuses),
# so the sources are copied first: the files git tracks plus untracked ones
# it does not ignore, i.e. the working tree as it is now.  Later runs copy
# only what changed and reuse the configured build, so make stays
# incremental.  Needs git; a tarball can instead be configured out of tree
# directly.  This script builds nothing: the caller runs make in DIR/build.
set -e
[ $# -ge 2 ] || { echo "usage: $0 SRCDIR DIR [CONFIGURE-ARGS...]" >&2; exit 2; }
src=$(cd "$1" && pwd)
dir=$2
shift 2
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 ||
	{ echo "$0: $src is not a git checkout; configure out of tree instead" >&2; exit 2; }
mkdir -p "$dir/src" "$dir/build"
dir=$(cd "$dir" && pwd)
(cd "$src" && git ls-files -z --cached --others --exclude-standard) >"$dir/files.new"
rsync -a --from0 --files-from="$dir/files.new" "$src/" "$dir/src/"
# Files the tree no longer has (deleted, renamed) leave the copy too: a
# stale header there would keep old objects looking up to date.
if [ -f "$dir/files" ]; then
	tr '\0' '\n' <"$dir/files" | sort >"$dir/files.old.txt"
	tr '\0' '\n' <"$dir/files.new" | sort >"$dir/files.new.txt"
	comm -23 "$dir/files.old.txt" "$dir/files.new.txt" | while IFS= read -r gone; do
		rm -f "$dir/src/$gone"
	done
	rm -f "$dir/files.old.txt" "$dir/files.new.txt"
fi
mv "$dir/files.new" "$dir/files"
[ -x "$dir/src/configure" ] || (cd "$dir/src" && autoreconf -fi >/dev/null)
# Reconfigure only when the arguments change (config.status remembers them).
want="$*"
have=$(cat "$dir/build/.configure-args" 2>/dev/null || true)
if [ ! -f "$dir/build/config.status" ] || [ "$want" != "$have" ]; then
	(cd "$dir/build" && ../src/configure -q "$@")
	printf '%s' "$want" >"$dir/build/.configure-args"
fi
