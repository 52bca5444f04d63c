#!/bin/sh
# SPDX-License-Identifier: MIT
# profiles_build.sh - regenerates the built-in profiles text, binary and
# mixed (docs/PROFILES.md, "Built-in profiles"): assembles each corpus
# from files every Debian 12 machine has (bench/profiles_corpus.py, BYTES
# each), learns it with the built dgen (its version 2 text, [calibration]
# fitted on this machine's codecs) and writes the three texts as C strings
# over the block between the "BEGIN builtin_profiles" and "END
# builtin_profiles" marks of src/lib/profile/profile_builtin.c.  Not a
# test; nothing is timed.  Rebuild afterwards.  From the build tree after
# `make`:
#   bench/profiles_build.sh [SRCDIR] [BYTES]    (default: . and 64 MiB)
set -eu
srcdir=${1:-.}
bytes=${2:-67108864}
dgen=${DGEN:-./dgen}
file=$srcdir/src/lib/profile/profile_builtin.c
[ -x "$dgen" ] || { echo "profiles_build.sh: no $dgen (make first)" >&2; exit 2; }
[ -f "$file" ] || { echo "profiles_build.sh: no $file" >&2; exit 2; }
work=$(mktemp -d /tmp/profiles_build.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

echo "profiles_build.sh: $("$srcdir/bench/machine_codecs.sh")" >&2
{
	echo "/* BEGIN builtin_profiles (bench/profiles_build.sh) */"
	for kind in text binary mixed; do
		/usr/bin/python3 "$srcdir/bench/profiles_corpus.py" "$kind" "$bytes" "$work/$kind"
		"$dgen" learn "$work/$kind" -o "$work/$kind.profile" >&2
		# a C string of the text, several of its lines to a line of C
		echo "static const char builtin_$kind[] ="
		awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); l = l $0 "\\n" }
		     length(l) > 80 { print "\t\"" l "\""; l = "" }
		     END { if (l != "") print "\t\"" l "\""; print "\t;" }' "$work/$kind.profile"
	done
	echo "/* END builtin_profiles */"
} >"$work/block"
"$srcdir/bench/between_marks.sh" "$file" builtin_profiles "$work/block"
echo "profiles_build.sh: wrote $file" >&2
