#!/bin/sh
# SPDX-License-Identifier: MIT
# header_api.sh - the public header as a distribution's users meet it:
# include/dgen/dgen.h compiles clean under -std=c99 -pedantic -Werror and as
# C++ (-std=c++11 -pedantic -Werror), with and without
# DGEN_STATIC_LINKING_ONLY, and included twice (first without the macro,
# then with it, as a program that includes it through another header may);
# the stable API declares no struct dgen_file body; and its version macros
# agree with configure's version and with the library built here
# (dgen_version, dgen_version_number).  It does not check the ABI's sizes:
# src/lib/core/struct_sizes.c does that at build time.
set -eu
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
: "${CC:=cc}"
: "${VERSION:?VERSION not set (make check sets it)}"
top_builddir=$(cd "$top_builddir" && pwd)
HEADER_DIR=$top_srcdir/include
CXX_BIN=${CXX:-g++}
work=$(mktemp -d /tmp/dgen-header.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$work/use.c" <<'C'
#include <dgen/dgen.h>
#ifdef TWICE
#define DGEN_STATIC_LINKING_ONLY
#include <dgen/dgen.h>
#endif
#ifdef DGEN_STATIC_LINKING_ONLY
static unsigned long embedded(void)
{
	struct dgen_file file;

	return (unsigned long)sizeof(file);
}
#endif
int use(void);
int use(void)
{
	struct dgen_spec spec;

	dgen_spec_default(&spec);
#ifdef DGEN_STATIC_LINKING_ONLY
	(void)embedded();
#endif
	return (int)spec.reserved[0] + DGEN_VERSION_NUMBER;
}
C
cp "$work/use.c" "$work/use.cc"
# shellcheck disable=SC2086 # the flags are lists of words
for flags in "" "-DDGEN_STATIC_LINKING_ONLY" "-DTWICE"; do
	"$CC" -std=c99 -pedantic -Werror -Wall -Wextra $flags -I"$HEADER_DIR" \
		-c "$work/use.c" -o "$work/use.o" 2>"$work/err" ||
		{ cat "$work/err" >&2; fail "C99 -pedantic with '$flags'"; }
	if command -v "$CXX_BIN" >/dev/null; then
		"$CXX_BIN" -std=c++11 -pedantic -Werror -Wall -Wextra $flags -I"$HEADER_DIR" \
			-c "$work/use.cc" -o "$work/use.o" 2>"$work/err" ||
			{ cat "$work/err" >&2; fail "C++11 -pedantic with '$flags'"; }
	elif [ "${CI:-}" = true ]; then
		fail "no C++ compiler ($CXX_BIN) to check the header with"
	fi
done

# The stable API keeps struct dgen_file opaque: embedding it fails.
printf '#include <dgen/dgen.h>\nstruct dgen_file f;\n' >"$work/opaque.c"
"$CC" -std=c99 -I"$HEADER_DIR" -c "$work/opaque.c" -o "$work/opaque.o" 2>/dev/null &&
	fail "struct dgen_file is complete without DGEN_STATIC_LINKING_ONLY"

# The macros, configure's version and the library's.
major=$(sed -n 's/^#define DGEN_VERSION_MAJOR \([0-9]*\)$/\1/p' "$HEADER_DIR/dgen/dgen.h")
minor=$(sed -n 's/^#define DGEN_VERSION_MINOR \([0-9]*\)$/\1/p' "$HEADER_DIR/dgen/dgen.h")
patch=$(sed -n 's/^#define DGEN_VERSION_PATCH \([0-9]*\)$/\1/p' "$HEADER_DIR/dgen/dgen.h")
[ "$major.$minor.$patch" = "$VERSION" ] ||
	fail "dgen.h says $major.$minor.$patch, configure.ac $VERSION"
cat >"$work/version.c" <<'C'
#include <stdio.h>
#include <dgen/dgen.h>
int main(void)
{
	printf("%s %u %d\n", dgen_version(), dgen_version_number(), DGEN_VERSION_NUMBER);
	return 0;
}
C
"$CC" -std=c99 -I"$HEADER_DIR" -o "$work/version" "$work/version.c" \
	-L"$top_builddir/.libs" -Wl,-rpath,"$top_builddir/.libs" -ldgen ||
	fail "cannot link a program against $top_builddir/.libs/libdgen.so"
# A sanitizer build's libdgen needs the ASan runtime loaded first.
if nm -D --undefined-only "$top_builddir/.libs/libdgen.so" 2>/dev/null | grep -q __asan_init; then
	LD_PRELOAD=$("$CC" -print-file-name=libasan.so)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
fi
number=$((major * 10000 + minor * 100 + patch))
got=$("$work/version")
[ "$got" = "$VERSION $number $number" ] ||
	fail "library and header say '$got', expected '$VERSION $number $number'"
echo "PASS: dgen.h clean as C99 and C++11 -pedantic, opaque, version $VERSION ($number)"
